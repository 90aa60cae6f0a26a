"""tests/rasa holds the Rasa test stories and, for the Rasa environment only, the tracker store tests.

The app environment's pytest has no Rasa, so there the Python tests here are not collected.
"""

import importlib.util

import pytest

if importlib.util.find_spec("rasa") is None:
    collect_ignore_glob = ["test_*.py"]
else:
    from rasa_addons.patches import install_all

    install_all()  # as rasa_addons.serve does before Rasa starts


@pytest.fixture
def wrapper_names():
    """The code name of every function in the chain of wrappers around a handler, outermost first."""

    def names(handle) -> list:
        found = []
        while handle is not None:
            found.append(handle.__code__.co_name)
            handle = getattr(handle, "__wrapped__", None)
        return found

    return names

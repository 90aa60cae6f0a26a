"""tests/rasa holds the Rasa test stories and, for the Rasa environment only, the tracker store tests.

The app environment's pytest has no Rasa, so there the Python tests here are not collected.
"""

import importlib.util

if importlib.util.find_spec("rasa") is None:
    collect_ignore_glob = ["test_*.py"]

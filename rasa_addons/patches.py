"""DoeMee's changes to Rasa's behaviour, installed explicitly at start-up and only on the Rasa they were written for.

Each patch replaces or wraps a Rasa internal as it is in one release. On
another release the internal may have moved or changed its meaning, and a
patch that silently no longer applies would drop a privacy or robustness
guarantee without anyone noticing. So every patch module names the release
it was written for (`WRITTEN_FOR_RASA`), and `install_all` refuses to start
on any other one, naming the patches to check. The SQL tracker store refuses
to start unless the patches are in (`require_installed`), so a server
started without `rasa_addons.serve` fails loudly too.
"""

from __future__ import annotations

from types import ModuleType
from typing import Optional, Sequence

import rasa

from rasa_addons import action_replies, incoming_text, private_logs, startup_objects, turn_gate

PATCHES: Sequence[ModuleType] = (action_replies, turn_gate, startup_objects, incoming_text, private_logs)

_installed = False


class UnsupportedRasaVersion(RuntimeError):
    """This Rasa is not the one the patches were written for."""


class PatchesNotInstalled(RuntimeError):
    """Rasa was started without `rasa_addons.serve`, so the patches are missing."""


def mismatched(version: str) -> list:
    return [module.__name__ for module in PATCHES if module.WRITTEN_FOR_RASA != version]


def install_all(version: Optional[str] = None) -> None:
    """Installs every patch once; raises before installing any if one does not fit this Rasa."""
    global _installed
    version = version or rasa.__version__
    wrong = mismatched(version)
    if wrong:
        raise UnsupportedRasaVersion(
            f"Rasa {version} is running, but these patches were written for another release: "
            f"{', '.join(wrong)}. Check each against the new Rasa, then update its WRITTEN_FOR_RASA."
        )
    for module in PATCHES:
        module.install()
    _installed = True


def installed() -> bool:
    return _installed


def require_installed() -> None:
    if not _installed:
        raise PatchesNotInstalled(
            "DoeMee's Rasa patches are not installed. Start Rasa with `python -m rasa_addons.serve run ...` "
            "(bin/rasa run does this), not with the plain rasa command."
        )

"""Volunteer centres that embed the widget, from centres.yml.

The checks live in the domain (doemee.centres), shared with
`doemee centres-sync`; the gateway still reads the file when it starts, so a
typo or an unreadable colour stops the start-up with a clear reason instead
of showing residents a broken widget.
"""

from __future__ import annotations

from doemee.centres import (
    MIN_CONTRAST,
    MIN_NON_TEXT_CONTRAST,
    CentreConfig,
    CentreConfigError,
    is_valid_slug,
    load_centres,
)

Centre = CentreConfig

__all__ = [
    "MIN_CONTRAST", "MIN_NON_TEXT_CONTRAST", "Centre", "CentreConfigError", "is_valid_slug", "load_centres",
]

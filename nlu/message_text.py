"""What Rasa accepts as a message's text, before anything else reads it.

A JSON request can carry a lone surrogate ("\\ud800"), which no UTF-8 encoder
takes: spaCy's tokenizer raised on it, and so would the tracker store's
database. NUL ends strings in native code; other control characters only get
in the way. A Telegram message is at most 4,096 characters and the widget
allows 1,000, so a longer text is cut rather than parsed at length.

Standard library only: the Rasa entry point (rasa_addons/incoming_text.py)
and the fuzz runs use the same function.
"""

from __future__ import annotations

import re

MAX_CHARS = 4096
REPLACEMENT = "\ufffd"

_SURROGATE = re.compile("[\ud800-\udfff]")
# C0 and C1 controls and DEL, except tab, line feed and carriage return.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def clean(text: str) -> str:
    text = _SURROGATE.sub(REPLACEMENT, text[:MAX_CHARS])
    return _CONTROL.sub(" ", text)

"""Builds the served widget.js: the hand-written script with its CSS and Dutch labels.

The script stays one request for the host page, and its Dutch text stays in
doemee.messages with every other sentence DoeMee says.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from doemee import messages

STATIC = Path(__file__).resolve().parent / "static"
LABELS_SLOT = "/*@LABELS@*/{}"
CSS_SLOT = '/*@CSS@*/""'


@dataclass(frozen=True)
class WidgetBundle:
    body: bytes
    etag: str


def _js_literal(value: object) -> str:
    # json.dumps is valid JS; escaping "<" keeps a "</script>" in text inert if inlined.
    return json.dumps(value, ensure_ascii=False).replace("<", "\\u003c")


def build_widget() -> WidgetBundle:
    script = (STATIC / "widget.js").read_text(encoding="utf-8")
    css = (STATIC / "widget.css").read_text(encoding="utf-8")
    for slot in (LABELS_SLOT, CSS_SLOT):
        if script.count(slot) != 1:
            raise RuntimeError(f"widget.js must contain {slot} exactly once")
    script = script.replace(LABELS_SLOT, _js_literal(messages.WEB_WIDGET_LABELS))
    script = script.replace(CSS_SLOT, _js_literal(css))
    body = script.encode("utf-8")
    return WidgetBundle(body=body, etag='"' + hashlib.sha256(body).hexdigest()[:16] + '"')

"""Jinja2 for every server-rendered page.

Autoescaping is on for every template, whatever its name: initiatives,
residents and staff type the text these pages show, so all of it is
untrusted. An undefined name fails the render instead of showing nothing.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from doemee import messages

TEMPLATES = Path(__file__).resolve().parent / "templates"


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["messages"] = messages
    return env


def render(name: str, **context: object) -> str:
    return environment().get_template(name).render(**context)

"""Public pages for initiatives under /initiatief: ask for a manage link, then manage with it.

Importing the page module registers its routes; `routes()` lists them for the gateway.
"""

from __future__ import annotations

from starlette.routing import Route

from bot.web.initiative import pages
from bot.web.initiative.guard import routes as _routes

__all__ = ["pages", "routes"]


def routes() -> list[Route]:
    return _routes()

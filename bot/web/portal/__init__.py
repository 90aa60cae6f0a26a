"""The staff portal under /portaal: login, Vandaag, Concepten, Hulpvragen, Vacatures, CSV, Cijfers, Post, Team, Logboek, Privacy.

Importing a page module registers its routes; `routes()` lists them all,
for the gateway and for the test that tries every route across centres.
"""

from __future__ import annotations

from starlette.routing import Route

from bot.web.portal import (  # noqa: F401  (registers their routes)
    account,
    api_keys,
    concepts,
    exchange,
    figures,
    logbook,
    mail,
    privacy,
    questions,
    team,
    today,
    vacancies,
)
from bot.web.portal.auth import routes as page_routes

__all__ = ["routes"]


def routes() -> list[Route]:
    """The pages, then the file upload, which reads its own multipart body."""
    return page_routes() + list(exchange.ROUTES)

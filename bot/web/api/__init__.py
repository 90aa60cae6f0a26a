"""The partner API under /api/v1: search, one listing, a centre's vacancy bank, the HSDS feed, its docs.

`routes()` lists them for the gateway; `install(app, config)` gives the
app the API's own rate limits.
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.routing import Route

from bot.web.api import centre, docs, feed, opportunities
from bot.web.api.common import PREFIX, Limits, status_error
from bot.web.config import GatewayConfig

__all__ = ["install", "routes", "status_error", "PREFIX"]


def routes() -> list[Route]:
    return [
        Route(f"{PREFIX}/openapi.json", docs.openapi_json, methods=["GET"]),
        Route(f"{PREFIX}/docs", docs.docs_page, methods=["GET"]),
        Route(f"{PREFIX}/opportunities", opportunities.search, methods=["GET"]),
        Route(f"{PREFIX}/opportunities/{{id}}", opportunities.one, methods=["GET"]),
        Route(f"{PREFIX}/centre/opportunities/{{external_id}}", centre.upsert, methods=["PUT"]),
        Route(f"{PREFIX}/centre/opportunities/{{external_id}}", centre.read, methods=["GET"]),
        Route(f"{PREFIX}/centre/opportunities/{{external_id}}/close", centre.close, methods=["POST"]),
        Route(f"{PREFIX}/hsds", feed.about, methods=["GET"]),
        Route(f"{PREFIX}/hsds/services", feed.services, methods=["GET"]),
        Route(f"{PREFIX}/hsds/services/{{id}}", feed.service, methods=["GET"]),
        Route(f"{PREFIX}/hsds/organizations", feed.organizations, methods=["GET"]),
        Route(f"{PREFIX}/hsds/taxonomy_terms", feed.taxonomy_terms, methods=["GET"]),
    ]


def install(app: Starlette, config: GatewayConfig) -> None:
    app.state.api_limits = Limits(config.api_rate_per_key, config.api_rate_anonymous, app.state.gateway.shared)

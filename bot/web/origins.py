"""Which web pages may use the chat: the configured sites and the gateway itself.

A request without an Origin header is not a browser page running on another
site (browsers always send it on cross-site POSTs), so it is let through;
CORS protects residents' browsers, not the server against scripts.
"""

from __future__ import annotations

from urllib.parse import urlsplit


def is_allowed(origin: str | None, host: str | None, allowed: frozenset[str]) -> bool:
    if origin is None:
        return True
    origin = origin.strip().lower().rstrip("/")
    if origin in allowed:
        return True
    if origin == "null" or not host:
        return False
    return urlsplit(origin).netloc == host.strip().lower()


def cors_headers(origin: str | None) -> dict[str, str]:
    """Headers that let the allowed `origin` read the answer."""
    headers = {"Vary": "Origin"}
    if origin:
        headers["Access-Control-Allow-Origin"] = origin
    return headers


def preflight_headers(origin: str, methods: str) -> dict[str, str]:
    return {
        **cors_headers(origin),
        "Access-Control-Allow-Methods": methods,
        "Access-Control-Allow-Headers": "Content-Type",
        "Access-Control-Max-Age": "600",
    }

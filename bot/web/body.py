"""Reading a request body with a cap, for every endpoint that takes one.

A declared length can lie and a chunked body declares none, so the cap
holds while reading, not only against Content-Length: an oversized body
is never held whole in memory.
"""

from __future__ import annotations

from starlette.requests import Request


async def read_capped(request: Request, limit: int) -> bytes | None:
    """The body, or None as soon as it is known to be larger than `limit` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return None
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > limit:
            return None
    return bytes(body)

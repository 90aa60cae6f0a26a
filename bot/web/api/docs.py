"""GET /api/v1/openapi.json and /api/v1/docs: the description, and a page made from it that works offline.

The page is rendered on the server from the same document, so it can
never tell something else than the API does, and it loads no script.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from bot.web.api.openapi import document
from bot.web.templating import render

METHODS = ("get", "put", "post", "delete", "patch")


@lru_cache(maxsize=1)
def _document_bytes() -> bytes:
    return json.dumps(document(), ensure_ascii=False, indent=2).encode("utf-8")


async def openapi_json(request: Request) -> Response:
    return Response(_document_bytes(), media_type="application/json",
                    headers={"Access-Control-Allow-Origin": "*", "Cache-Control": "public, max-age=300"})


def _resolve(doc: dict[str, Any], item: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in item:
        node: Any = doc
        for part in item["$ref"].removeprefix("#/").split("/"):
            node = node[part]
        item = node
    return item


def _type(schema: dict[str, Any]) -> str:
    kind = schema.get("type", "object")
    words = " of ".join(kind) if isinstance(kind, list) else kind
    if "enum" in schema:
        words += ": " + ", ".join(str(v) for v in schema["enum"])
    if schema.get("type") == "array" and "enum" in schema.get("items", {}):
        words += " van: " + ", ".join(schema["items"]["enum"])
    return words


def operations(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """Each operation as the page shows it: parameters, body fields and answers in plain rows."""
    found = []
    for path, item in doc["paths"].items():
        for method in METHODS:
            if method not in item:
                continue
            op = item[method]
            body = []
            if "requestBody" in op:
                schema = _resolve(doc, op["requestBody"]["content"]["application/json"]["schema"])
                body = [{"name": name, "required": name in schema.get("required", []), "type": _type(field),
                         "description": field.get("description", "")} for name, field in schema["properties"].items()]
            found.append({
                "id": op["operationId"], "method": method.upper(), "path": path, "summary": op.get("summary", ""),
                "description": op.get("description", ""), "needs_key": {} not in op.get("security", [{}]),
                "parameters": [{"name": p["name"], "where": {"query": "adres (query)", "path": "pad"}[p["in"]],
                                "required": p.get("required", False), "type": _type(p["schema"]),
                                "description": p.get("description", "")} for p in op.get("parameters", [])],
                "body": body,
                "responses": [(status, _resolve(doc, answer)["description"]) for status, answer in op["responses"].items()],
            })
    return found


async def docs_page(request: Request) -> Response:
    doc = document()
    limits = request.app.state.gateway.config
    html = render(
        "api/docs.html", info=doc["info"], operations=operations(doc),
        error_codes=doc["components"]["schemas"]["Error"]["properties"]["code"]["enum"],
        limits={"anonymous": limits.api_rate_anonymous, "per_key": limits.api_rate_per_key},
    )
    return HTMLResponse(html, headers={"Cache-Control": "public, max-age=300"})

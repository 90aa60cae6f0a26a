"""The OpenAPI 3.1 description of /api/v1, written by hand next to the routes it describes.

A test validates it against the OpenAPI 3.1 meta-schema and schemathesis
checks every answer of the running app against it; /api/v1/docs renders
it as a page. Descriptions are Dutch, like the API's answers.
"""

from __future__ import annotations

from typing import Any

from doemee.categories import CATEGORIES
from doemee.hsds import DEFAULT_PER_PAGE as HSDS_PER_PAGE
from doemee.hsds import MAX_PER_PAGE as HSDS_MAX_PER_PAGE
from doemee.opportunities import LIMITS, TIME_COMMITMENTS
from doemee.storage.models import DAY_PARTS, Status

VERSION = "1.0.0"
SLUGS = [c.slug for c in CATEGORIES]
NULLABLE_STRING = {"type": ["string", "null"]}
# No spaces at either end and no control characters (doemee.api_listings.check_external_id).
EXTERNAL_ID_PATTERN = r"^[^\s\x00-\x1f\x7f](?:[^\x00-\x1f\x7f]*[^\s\x00-\x1f\x7f])?$"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _answer(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/responses/{name}"}


def _query(name: str, description: str, schema: dict[str, Any], example: object = None) -> dict[str, Any]:
    found = {"name": name, "in": "query", "required": False, "description": description, "schema": schema}
    if example is not None:
        found["example"] = example
    return found


PAGE_PARAMETERS = [
    _query("page", "Welke pagina, vanaf 1.", {"type": "integer", "minimum": 1, "maximum": 1_000_000, "default": 1}),
    _query("per_page", "Hoeveel per pagina.",
           {"type": "integer", "minimum": 1, "maximum": HSDS_MAX_PER_PAGE, "default": HSDS_PER_PAGE}),
]
READ_SECURITY: list[dict[str, list[str]]] = [{}, {"bearer": []}, {"apiKey": []}]
WRITE_SECURITY: list[dict[str, list[str]]] = [{"bearer": []}, {"apiKey": []}]
READ_ERRORS = {"401": _answer("Unauthorized"), "422": _answer("Invalid"), "429": _answer("RateLimited"),
               "503": _answer("Unavailable")}


def _listing_properties(with_contact: bool) -> dict[str, Any]:
    found: dict[str, Any] = {
        "id": {"type": "integer", "description": "DoeMee's id van de vacature."},
        "external_id": {"type": "string", "description": "Het id dat de leverancier de vacature gaf."},
        "title": {"type": "string"},
        "description": {"type": "string"},
        "initiative": {"type": "string", "description": "De naam van het initiatief."},
        "initiative_website": NULLABLE_STRING,
        "category": {"type": "string", "enum": SLUGS},
        "place": {"type": "string"},
        "time_commitment": {"type": "string", "enum": list(TIME_COMMITMENTS)},
        "day_parts": {"type": "array", "items": {"type": "string", "enum": list(DAY_PARTS)}},
        "remote": {"type": "boolean"},
        "valid_until": {"type": ["string", "null"], "format": "date"},
    }
    if with_contact:
        found["contact_email"] = {"type": "string", "description": "Waar aanmeldingen heen gaan."}
    return found


def _hsds_page(item: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty",
                     "contents"],
        "properties": {
            "total_items": {"type": "integer", "minimum": 0},
            "total_pages": {"type": "integer", "minimum": 1},
            "page_number": {"type": "integer", "minimum": 1},
            "size": {"type": "integer", "minimum": 0},
            "first_page": {"type": "boolean"},
            "last_page": {"type": "boolean"},
            "empty": {"type": "boolean"},
            "contents": {"type": "array", "items": item},
        },
    }


def document() -> dict[str, Any]:
    """The whole document; a function so that nobody changes a shared dict by accident."""
    listing_input = {
        "type": "object",
        "additionalProperties": False,
        "required": ["initiative_name", "title", "description", "category", "postcode", "time_commitment",
                     "contact_email"],
        "description": "De velden van het CSV-formaat (zonder external_id, dat in het pad staat), met dezelfde regels.",
        "properties": {
            "initiative_name": {"type": "string", "minLength": 1, "maxLength": LIMITS["initiative_name"]},
            "initiative_website": {"type": ["string", "null"], "maxLength": LIMITS["initiative_website"],
                                   "description": "http(s)-adres"},
            "title": {"type": "string", "minLength": 1, "maxLength": LIMITS["title"]},
            "description": {"type": "string", "minLength": 1, "maxLength": LIMITS["description"]},
            "category": {"type": "string", "enum": SLUGS},
            "postcode": {"type": "string", "description": "1234 of 1234 AB", "example": "3511 AB"},
            "place": {"type": ["string", "null"], "maxLength": LIMITS["place"],
                      "description": "Leeg: de plaats van de postcode."},
            "time_commitment": {"type": "string", "enum": list(TIME_COMMITMENTS)},
            "day_parts": {"type": "array", "maxItems": 4, "items": {"type": "string", "enum": list(DAY_PARTS)}},
            "remote": {"type": "boolean", "default": False},
            "contact_email": {"type": "string", "maxLength": LIMITS["contact_email"],
                              "description": "Waar aanmeldingen heen gaan; nooit openbaar."},
            "valid_until": {"type": ["string", "null"], "format": "date",
                            "description": "Laatste dag. Een datum in het verleden slaat de vacature gesloten op."},
        },
    }
    term = {
        "type": "object", "required": ["id", "name", "description"],
        "properties": {"id": {"type": "string", "format": "uuid"}, "code": {"type": "string"},
                       "name": {"type": "string"}, "description": {"type": "string"}, "taxonomy": {"type": "string"},
                       "taxonomy_id": {"type": "string"}, "language": {"type": "string"}},
    }
    organization = {
        "type": "object", "required": ["id", "name", "description"],
        "properties": {"id": {"type": "string", "format": "uuid"}, "name": {"type": "string"},
                       "description": {"type": "string"}, "website": {"type": "string"}},
    }
    service_list = {
        "type": "object", "required": ["id", "name", "status"],
        "properties": {
            "id": {"type": "string", "format": "uuid"}, "organization_id": {"type": "string", "format": "uuid"},
            "name": {"type": "string"}, "description": {"type": "string"}, "url": {"type": "string"},
            "status": {"type": "string", "enum": ["active", "inactive", "defunct", "temporarily closed"]},
            "application_process": {"type": "string"}, "alert": {"type": "string"},
            "last_modified": {"type": "string", "format": "date-time"}, "organization": _ref("HsdsOrganization"),
        },
    }
    service_full = {
        "allOf": [_ref("HsdsServiceList")],
        "type": "object",
        "required": ["attributes", "service_at_locations"],
        "properties": {
            "attributes": {"type": "array", "items": {
                "type": "object", "required": ["id"],
                "properties": {"id": {"type": "string", "format": "uuid"}, "link_id": {"type": "string"},
                               "link_type": {"type": "string"}, "link_entity": {"type": "string"},
                               "taxonomy_term_id": {"type": "string"}, "value": {"type": "string"},
                               "label": {"type": "string"}, "taxonomy_term": _ref("HsdsTaxonomyTerm")}}},
            "languages": {"type": "array", "items": {"type": "object", "required": ["id"], "properties": {
                "id": {"type": "string"}, "service_id": {"type": "string"}, "name": {"type": "string"},
                "code": {"type": "string"}}}},
            "service_at_locations": {"type": "array", "items": {
                "type": "object", "required": ["id", "location"],
                "properties": {"id": {"type": "string", "format": "uuid"}, "service_id": {"type": "string"},
                               "location_id": {"type": "string"}, "location": {
                                   "type": "object", "required": ["id", "location_type"],
                                   "properties": {
                                       "id": {"type": "string", "format": "uuid"},
                                       "location_type": {"type": "string", "enum": ["physical", "postal", "virtual"]},
                                       "name": {"type": "string"}, "description": {"type": "string"},
                                       "latitude": {"type": "number"}, "longitude": {"type": "number"},
                                       "external_identifier": {"type": "string"},
                                       "external_identifier_type": {"type": "string"}}}}}},
        },
    }
    search_item = {
        "type": "object",
        "required": ["id", "external_id", "title", "initiative", "category", "place", "distance_km", "within_radius",
                     "score", "reasons"],
        "properties": {
            **_listing_properties(with_contact=False),
            "category_label": {"type": "string"}, "pc4": {"type": "string"},
            "distance_km": {"type": "number", "minimum": 0},
            "within_radius": {"type": "boolean",
                              "description": "false alleen voor de dichtstbijzijnde alternatieven buiten de straal."},
            "score": {"type": "number"},
            "reasons": {"type": "array", "items": {"type": "string"}, "description": "Nederlandse zinnen voor de inwoner."},
        },
    }
    return {
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "info": {
            "title": "DoeMee partner-API",
            "version": VERSION,
            "summary": "Vrijwilligerswerk zoeken met de zoekmachine van de chatbot, en de vacaturebank van een centrum bijhouden.",
            "description": (
                "Lezen mag zonder sleutel: dat is open data, met een lagere limiet per adres. "
                "Schrijven kan alleen met een API-sleutel van een vrijwilligerscentrum; die maakt het centrum in "
                "het portaal (/portaal/api). Een sleutel schrijft alleen in de vacaturebank van zijn eigen centrum. "
                "Fouten zijn JSON met een vaste code (Engels, voor programma's) en een message in het Nederlands."
            ),
            "license": {"name": "CC0 1.0 (de open data)", "identifier": "CC0-1.0"},
        },
        "servers": [{"url": "/"}],
        "tags": [
            {"name": "zoeken", "description": "Open vacatures vinden, met dezelfde zoekmachine als de chatbot."},
            {"name": "centrum", "description": "De vacaturebank van het centrum van je sleutel."},
            {"name": "open data", "description": "Alle open vacatures in Open Referral HSDS 3.0."},
        ],
        "paths": {
            "/api/v1/opportunities": {"get": {
                "operationId": "searchOpportunities", "tags": ["zoeken"], "security": READ_SECURITY,
                "summary": "Zoek open vacatures bij een postcode of plaats",
                "description": "De beste vacatures eerst. Past er niets binnen de straal, dan krijg je de "
                               "dichtstbijzijnde daarbuiten (within_radius false, only_alternatives true).",
                "parameters": [
                    _query("postcode", "Een postcode: 3511, 3511 AB of 3511ab. Geef een postcode óf een plaats.",
                           {"type": "string", "maxLength": 20}, "3511"),
                    _query("place", "Een plaats of wijk, zoals Utrecht of Overvecht.",
                           {"type": "string", "maxLength": 120}),
                    _query("interests", "Interesses, met komma's: slugs zoals groen,taal (of woorden als tuinieren).",
                           {"type": "string", "maxLength": 300}, "groen,taal"),
                    _query("when", "Tijden, met komma's: ochtend, middag, avond, weekend, doordeweeks, eenmalig, "
                                   "wekelijks, maandelijks.", {"type": "string", "maxLength": 300}),
                    _query("radius_km", "Straal in kilometers (standaard 10).",
                           {"type": "number", "minimum": 0.1, "maximum": 300, "default": 10}),
                    _query("centre", "Alleen in de regio van dit centrum (de slug uit centres.yml), zoals de chat op "
                                     "de website van dat centrum zoekt.", {"type": "string", "maxLength": 40}),
                    _query("page", "Welke pagina, vanaf 1.", {"type": "integer", "minimum": 1, "maximum": 100, "default": 1}),
                    _query("per_page", "Hoeveel per pagina.",
                           {"type": "integer", "minimum": 1, "maximum": 50, "default": 10}),
                ],
                "responses": {"200": _json(_ref("SearchResult"), "De gevonden vacatures."), **READ_ERRORS},
            }},
            "/api/v1/opportunities/{id}": {"get": {
                "operationId": "getOpportunity", "tags": ["zoeken"], "security": READ_SECURITY,
                "summary": "Eén open vacature",
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1}}],
                "responses": {"200": _json(_ref("PublicListing"), "De vacature."), "404": _answer("NotFound"),
                              **READ_ERRORS},
            }},
            "/api/v1/centre/opportunities/{external_id}": {"get": {
                "operationId": "getCentreOpportunity", "tags": ["centrum"], "security": WRITE_SECURITY,
                "summary": "Lees een vacature die je centrum via de API schreef, met status en contactadres",
                "parameters": [_external_id()],
                "responses": {
                    "200": _json(_ref("Listing"), "De vacature."), "401": _answer("Unauthorized"),
                    "404": _answer("NotFound"), "422": _answer("Invalid"), "429": _answer("RateLimited"),
                    "503": _answer("Unavailable"),
                },
            }, "put": {
                "operationId": "upsertOpportunity", "tags": ["centrum"], "security": WRITE_SECURITY,
                "summary": "Zet een vacature in de vacaturebank van je centrum, of werk hem bij",
                "description": "Hetzelfde external_id nog eens sturen werkt de vacature bij; er komt nooit een dubbele. "
                               "Een gesloten vacature gaat weer open; een gepauzeerde of volle houdt die status.",
                "parameters": [_external_id()],
                "requestBody": {"required": True, "content": {"application/json": {"schema": _ref("ListingInput")}}},
                "responses": {
                    "200": _json(_ref("Listing"), "Bijgewerkt."), "201": _json(_ref("Listing"), "Nieuw."),
                    "400": _answer("BadRequest"), "401": _answer("Unauthorized"), "404": _answer("NotFound"),
                    "413": _answer("BadRequest"), "415": _answer("BadRequest"), "422": _answer("Invalid"),
                    "429": _answer("RateLimited"), "503": _answer("Unavailable"),
                },
            }},
            "/api/v1/centre/opportunities/{external_id}/close": {"post": {
                "operationId": "closeOpportunity", "tags": ["centrum"], "security": WRITE_SECURITY,
                "summary": "Sluit een vacature van je centrum",
                "description": "Daarna vindt niemand hem meer. Nog eens sluiten verandert niets.",
                "parameters": [_external_id()],
                "responses": {
                    "200": _json(_ref("Listing"), "Gesloten."), "401": _answer("Unauthorized"),
                    "404": _answer("NotFound"), "409": _answer("Conflict"), "422": _answer("Invalid"),
                    "429": _answer("RateLimited"), "503": _answer("Unavailable"),
                },
            }},
            "/api/v1/hsds": {"get": {
                "operationId": "hsdsAbout", "tags": ["open data"], "security": READ_SECURITY,
                "summary": "Over deze HSDS-feed",
                "responses": {"200": _json(_ref("HsdsAbout"), "Versie, uitgever en waar de beschrijving staat."),
                              **READ_ERRORS},
            }},
            "/api/v1/hsds/services": {"get": {
                "operationId": "hsdsServices", "tags": ["open data"], "security": READ_SECURITY,
                "summary": "Alle open vacatures als HSDS-services, per pagina",
                "description": "Zonder demo-vacatures en zonder contactgegevens. Oudste eerst.",
                "parameters": PAGE_PARAMETERS,
                "responses": {"200": _json(_hsds_page(_ref("HsdsServiceList")), "Een pagina services."), **READ_ERRORS},
            }},
            "/api/v1/hsds/services/{id}": {"get": {
                "operationId": "hsdsService", "tags": ["open data"], "security": READ_SECURITY,
                "summary": "Eén open vacature als volledige HSDS-service",
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string", "format": "uuid"}}],
                "responses": {"200": _json(_ref("HsdsService"), "De service."), "404": _answer("NotFound"), **READ_ERRORS},
            }},
            "/api/v1/hsds/organizations": {"get": {
                "operationId": "hsdsOrganizations", "tags": ["open data"], "security": READ_SECURITY,
                "summary": "De initiatieven met een open vacature",
                "parameters": PAGE_PARAMETERS,
                "responses": {"200": _json(_hsds_page(_ref("HsdsOrganization")), "Een pagina organisaties."),
                              **READ_ERRORS},
            }},
            "/api/v1/hsds/taxonomy_terms": {"get": {
                "operationId": "hsdsTaxonomyTerms", "tags": ["open data"], "security": READ_SECURITY,
                "summary": "De termen van DoeMee: interesses, tijdsinzet en dagdelen",
                "responses": {"200": _json(_hsds_page(_ref("HsdsTaxonomyTerm")), "Alle termen."), **READ_ERRORS},
            }},
        },
        "components": {
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer",
                           "description": "De API-sleutel van een centrum: Authorization: Bearer dm_…."},
                "apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key",
                           "description": "Dezelfde sleutel, voor wie geen Authorization-kop kan zetten."},
            },
            "responses": {
                "BadRequest": _json(_ref("Error"), "De inhoud kan niet gelezen worden (geen JSON, te groot)."),
                "Unauthorized": _json(_ref("Error"), "Geen of een ongeldige sleutel (code key_missing of unauthorized)."),
                "NotFound": _json(_ref("Error"), "Bestaat niet, of niet voor jouw centrum."),
                "Conflict": _json(_ref("Error"), "Kan nu niet (code concept: wacht op controle)."),
                "Invalid": _json(_ref("Error"), "Iets klopt niet; problems zegt per veld wat."),
                "RateLimited": {**_json(_ref("Error"), "Te veel verzoeken; probeer het na Retry-After seconden."),
                                "headers": {"Retry-After": {"schema": {"type": "integer"},
                                                            "description": "Seconden tot het weer kan."}}},
                "Unavailable": _json(_ref("Error"), "De database is even weg; probeer het later."),
            },
            "schemas": {
                "Error": {
                    "type": "object", "required": ["code", "message"],
                    "properties": {
                        "code": {"type": "string", "description": "Vast, voor programma's.", "enum": [
                            "key_missing", "unauthorized", "rate_limited", "invalid", "not_found", "bad_json",
                            "not_json", "too_large", "concept", "unavailable", "method_not_allowed", "server_error"]},
                        "message": {"type": "string", "description": "Wat er mis is, in het Nederlands."},
                        "problems": {"type": "array", "items": _ref("Problem")},
                    },
                },
                "Problem": {"type": "object", "required": ["field", "message"],
                            "properties": {"field": {"type": "string"}, "message": {"type": "string"}}},
                "PublicListing": {
                    "type": "object",
                    "required": ["id", "external_id", "title", "description", "initiative", "category", "place",
                                 "time_commitment", "day_parts", "remote", "is_demo"],
                    "properties": {**_listing_properties(with_contact=False), "category_label": {"type": "string"},
                                   "pc4": {"type": "string"},
                                   "is_demo": {"type": "boolean", "description": "Voorbeelddata, geen echte vacature."}},
                },
                "SearchItem": search_item,
                "SearchResult": {
                    "type": "object",
                    "required": ["query", "page", "per_page", "total_within_radius", "only_alternatives", "items"],
                    "properties": {
                        "query": {"type": "object", "required": ["origin", "lat", "lon", "radius_km"], "properties": {
                            "origin": {"type": "string"}, "place": {"type": "string"},
                            "municipality": {"type": "string"}, "lat": {"type": "number"}, "lon": {"type": "number"},
                            "radius_km": {"type": "number"}, "interests": {"type": "array", "items": {"type": "string"}},
                            "when": {"type": "array", "items": {"type": "string"}}}},
                        "page": {"type": "integer", "minimum": 1}, "per_page": {"type": "integer", "minimum": 1},
                        "total_within_radius": {"type": "integer", "minimum": 0},
                        "only_alternatives": {"type": "boolean"},
                        "items": {"type": "array", "items": _ref("SearchItem")},
                    },
                },
                "ListingInput": listing_input,
                "Listing": {
                    "type": "object",
                    "required": ["id", "external_id", "status", "title", "description", "initiative", "category",
                                 "postcode", "place", "time_commitment", "day_parts", "remote", "contact_email",
                                 "updated_at"],
                    "properties": {
                        **_listing_properties(with_contact=True),
                        "status": {"type": "string", "enum": [s.value for s in Status]},
                        "postcode": {"type": "string"},
                        "updated_at": {"type": "string", "format": "date-time"},
                    },
                },
                "HsdsAbout": {
                    "type": "object", "required": ["version", "openapi_url"],
                    "properties": {"version": {"type": "string"}, "profile": {"type": "string"},
                                   "openapi_url": {"type": "string"}, "description": {"type": "string"},
                                   "publisher": {"type": "object", "properties": {
                                       "name": {"type": "string"}, "website": {"type": "string"}}}},
                },
                "HsdsOrganization": organization,
                "HsdsTaxonomyTerm": term,
                "HsdsServiceList": service_list,
                "HsdsService": service_full,
            },
        },
    }


def _external_id() -> dict[str, Any]:
    return {"name": "external_id", "in": "path", "required": True,
            "description": "Jouw eigen id van de vacature (1 tot 100 tekens).",
            "schema": {"type": "string", "minLength": 1, "maxLength": 100, "pattern": EXTERNAL_ID_PATTERN}}

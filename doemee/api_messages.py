"""Dutch for the partner API (/api/v1): its error answers and the words of its docs page.

The readers are developers of other platforms and the volunteer centres
that give them a key. B1 where it can be; every error also carries a
stable `code` in English for programs, which never changes with the text.
"""

from __future__ import annotations

from collections.abc import Iterable

# code -> the Dutch sentence every answer with that code carries.
UNAUTHORIZED = "Deze API-sleutel werkt niet. Vraag het centrum om een nieuwe sleutel, of kijk of hij goed is overgenomen."
KEY_MISSING = "Hiervoor heb je een API-sleutel nodig. Stuur hem mee als 'Authorization: Bearer <sleutel>'."
RATE_LIMITED = "Je doet te veel verzoeken achter elkaar. Wacht even en probeer het dan opnieuw."
NOT_FOUND = "Die vacature bestaat niet of is niet meer open."
LISTING_NOT_FOUND = "Dit centrum heeft via de API geen vacature met dit external_id."
PATH_NOT_FOUND = "Dit adres bestaat niet in de API. Kijk in /api/v1/docs welke adressen er zijn."
METHOD_NOT_ALLOWED = "Deze methode werkt niet op dit adres. Kijk in /api/v1/docs welke methodes er zijn."
INVALID = "Niet alles wat je stuurde klopt. In 'problems' staat per veld wat er mis is."
BAD_JSON = "De inhoud is geen geldige JSON. Stuur één JSON-object met de velden van de vacature."
NOT_JSON = "Stuur de vacature als JSON, met de kop 'Content-Type: application/json'."
TOO_LARGE = "De inhoud is te groot. Een vacature past in 64 kB."
NEED_LOCATION = "Geef een postcode of een plaats mee, bijvoorbeeld postcode=3511 of place=Utrecht."
BOTH_LOCATIONS = "Geef een postcode óf een plaats mee, niet allebei."
CONFLICT_CONCEPT = "Deze vacature wacht nog op controle door het centrum en kan nu niet gesloten worden."
SERVER_ERROR = "Er ging iets mis aan onze kant. Probeer het over een paar minuten opnieuw."
BUSY = "De database is even niet bereikbaar. Probeer het over een paar minuten opnieuw."

# Field problems: each sentence says what is wrong and what would be right.
FIELD_UNKNOWN = "Dit veld kennen we niet."
FIELD_NOT_TEXT = "Dit moet tekst zijn."
FIELD_NOT_BOOLEAN = "Dit moet true of false zijn."
FIELD_NOT_LIST = "Dit moet een lijst van dagdelen zijn, bijvoorbeeld [\"ochtend\", \"avond\"]."
BODY_NOT_OBJECT = "Stuur één JSON-object, met de velden van de vacature."
EXTERNAL_ID_BAD = "Het external_id is 1 tot 100 tekens, zonder spaties aan het begin of eind en zonder stuurtekens."


def not_a_number(name: str, low: int | float, high: int | float) -> str:
    return f"{name} moet een getal zijn van {_number(low)} tot en met {_number(high)}."


def too_long(name: str, limit: int) -> str:
    return f"{name} is te lang: hooguit {limit} tekens."


def unknown_postcode(text: str) -> str:
    return f"We kennen postcode '{text}' niet. Gebruik een Nederlandse postcode, zoals 3511 of 3511 AB."


def unknown_place(text: str) -> str:
    return f"We kennen de plaats '{text}' niet. Probeer een postcode, of een andere schrijfwijze."


def ambiguous_place(text: str, options: Iterable[str]) -> str:
    return f"Er zijn meer plaatsen met de naam '{text}'. Bedoel je: {'; '.join(options)}? Of geef een postcode."


def unknown_interests(unknown: Iterable[str], allowed: Iterable[str]) -> str:
    return f"Deze interesses kennen we niet: {', '.join(unknown)}. Kies uit: {', '.join(allowed)}."


def unknown_times(unknown: Iterable[str], allowed: Iterable[str]) -> str:
    return f"Deze tijden kennen we niet: {', '.join(unknown)}. Kies uit: {', '.join(allowed)}."


def unknown_parameter(names: Iterable[str]) -> str:
    return f"Deze parameters kennen we niet: {', '.join(names)}."


def unknown_centre(slug: str) -> str:
    return f"Een centrum '{slug}' kennen we niet. Gebruik de korte naam (slug) van het centrum, zoals utrecht."


def repeated_parameter(name: str) -> str:
    return f"Geef {name} maar één keer mee."


def _number(value: int | float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value).replace(".", ",")

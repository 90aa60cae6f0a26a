"""How a typed place name becomes a lookup key, and what a "(Gld)" after it means.

Residents write "den bosch", "'s-Hertogenbosch", "Alphen a/d Rijn" or
"St. Oedenrode"; GeoNames writes them one way. A key folds case, accents,
apostrophes and punctuation so all of those meet in one dictionary slot.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# GeoNames admin1 codes for the Netherlands, with the provinces' Dutch names.
PROVINCES: dict[str, str] = {
    "01": "Drenthe",
    "02": "Fryslân",
    "03": "Gelderland",
    "04": "Groningen",
    "05": "Limburg",
    "06": "Noord-Brabant",
    "07": "Noord-Holland",
    "09": "Utrecht",
    "10": "Zeeland",
    "11": "Zuid-Holland",
    "15": "Overijssel",
    "16": "Flevoland",
}

# The abbreviations Dutch addresses use to tell namesakes apart: "Hengelo (Gld)".
PROVINCE_ABBREVIATIONS: dict[str, str] = {
    "dr": "Drenthe",
    "d": "Drenthe",
    "fr": "Fryslân",
    "f": "Fryslân",
    "fl": "Flevoland",
    "gld": "Gelderland",
    "gl": "Gelderland",
    "gn": "Groningen",
    "gr": "Groningen",
    "l": "Limburg",
    "lb": "Limburg",
    "li": "Limburg",
    "nb": "Noord-Brabant",
    "nh": "Noord-Holland",
    "ov": "Overijssel",
    "o": "Overijssel",
    "ut": "Utrecht",
    "u": "Utrecht",
    "z": "Zeeland",
    "zl": "Zeeland",
    "ze": "Zeeland",
    "zh": "Zuid-Holland",
}

_SHORT_FORMS: dict[str, str] = {
    "dr": "Dr",
    "fr": "Fr",
    "fl": "Fl",
    "gld": "Gld",
    "gn": "Gn",
    "l": "L",
    "nb": "NB",
    "nh": "NH",
    "ov": "Ov",
    "ut": "Ut",
    "z": "Z",
    "zh": "ZH",
}

# Words that name a part of a town ("Zwolle-Zuid", "Utrecht centrum", "Groningen stad"), not a place.
TOWN_PARTS: frozenset[str] = frozenset(
    {"noord", "zuid", "oost", "west", "noordoost", "noordwest", "zuidoost", "zuidwest",
     "centrum", "midden", "binnenstad", "stad", "oud", "nieuw"}
)

# The words that join a place to what it lies in or near ("Schalkwijk bij Houten", "Cothen in de
# gemeente Wijk bij Duurstede"), longest first so that "in de gemeente" is not read as "in"
# followed by a place called "de gemeente".
JOINTS: tuple[tuple[str, ...], ...] = tuple(
    sorted(
        (tuple(joint.split()) for joint in (
            "in", "te", "van", "bij", "nabij", "vlakbij", "vlak bij", "dichtbij", "dicht bij", "naast", "rond",
            "rondom", "omgeving", "omgeving van", "in de omgeving van", "in de buurt van", "buurt van", "regio",
            "in de regio", "in regio", "gemeente", "gem", "in de gemeente", "in gemeente", "in de gem",
            "provincie", "prov", "in de provincie", "in provincie", "in de prov",
        )),
        key=len,
        reverse=True,
    )
)

# Areas too large to search from: the provinces as people name them, well-known regions
# (hamlets share some of their names: Veluwe, Gooi, Achterhoek) and the country.
_REGIONS: dict[str, str] = {
    "drenthe": "Drenthe",
    "fryslan": "Fryslân",
    "friesland": "Friesland",
    "gelderland": "Gelderland",
    "groningen": "Groningen",
    "limburg": "Limburg",
    "noord brabant": "Noord-Brabant",
    "brabant": "Brabant",
    "noord holland": "Noord-Holland",
    "utrecht": "Utrecht",
    "zeeland": "Zeeland",
    "zuid holland": "Zuid-Holland",
    "overijssel": "Overijssel",
    "flevoland": "Flevoland",
    "veluwe": "De Veluwe",
    "achterhoek": "De Achterhoek",
    "gooi": "Het Gooi",
    "twente": "Twente",
    "betuwe": "De Betuwe",
    "randstad": "De Randstad",
    "nederland": "Nederland",
    "holland": "Nederland",
    "netherlands": "Nederland",
    "the netherlands": "Nederland",
}

# Regions that lie in one province, so "Hengelo, Achterhoek" tells the Hengelo in Gelderland apart.
_REGION_PROVINCES: dict[str, str] = {
    "friesland": "Fryslân",
    "brabant": "Noord-Brabant",
    "veluwe": "Gelderland",
    "achterhoek": "Gelderland",
    "betuwe": "Gelderland",
    "twente": "Overijssel",
    "gooi": "Noord-Holland",
}

# "in de provincie Utrecht", "op de Veluwe", "regio Twente".
_BEFORE_A_REGION = frozenset({"in", "op", "bij", "uit", "rond", "omgeving", "regio", "provincie", "de", "het", "t"})

_APOSTROPHE_RUN = re.compile("['’‘`´ʼ]+")
_SEPARATORS = re.compile(r"[\W_]+")
_REWRITTEN = frozenset({"a", "den", "st"})
_PARENTHESISED = re.compile(r"^(?P<base>.+?)\s*\((?P<qualifier>[^()]+)\)\s*$")


@lru_cache(maxsize=65536)
def name_key(text: str) -> str:
    """The form two spellings of one name share: "'s-Hertogenbosch" -> "s hertogenbosch"."""
    if not text.isascii():
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    words = _SEPARATORS.sub(" ", _APOSTROPHE_RUN.sub("", text.casefold())).split()
    if not _REWRITTEN.intersection(words):
        return " ".join(words)
    out: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        if word == "a" and i + 1 < len(words) and words[i + 1] in ("d", "den"):
            out.extend(("aan", "de"))
            i += 2
            continue
        if word == "den" and out and out[-1] == "aan":
            word = "de"
        elif word == "st":
            word = "sint"
        out.append(word)
        i += 1
    return " ".join(out)


def province_for_qualifier(qualifier: str) -> str | None:
    """The province a qualifier such as "Gld", "N.H.", "Overijssel" or "de Achterhoek" names, if any."""
    key = name_key(qualifier)
    compact = key.replace(" ", "")
    if compact in PROVINCE_ABBREVIATIONS:
        return PROVINCE_ABBREVIATIONS[compact]
    for province in PROVINCES.values():
        if key == name_key(province):
            return province
    words = key.split()
    if len(words) > 1 and words[0] in ("de", "het", "t"):
        words = words[1:]
    return _REGION_PROVINCES.get(" ".join(words))


def split_qualifier(text: str) -> tuple[str, str | None]:
    """("Hengelo", "Ov") for "Hengelo (Ov)" or "Haren Gn"; (text, None) without one."""
    match = _PARENTHESISED.match(text.strip())
    if match:
        return match.group("base").strip(), match.group("qualifier").strip()
    words = text.split()
    if len(words) >= 2 and province_for_qualifier(words[-1]) is not None and len(words[-1]) <= 4:
        return " ".join(words[:-1]), words[-1]
    return text.strip(), None


def province_short_form(province: str) -> str:
    """"NH" for Noord-Holland: the suffix that tells two municipalities named Bergen apart."""
    for abbreviation, full in PROVINCE_ABBREVIATIONS.items():
        if full == province and abbreviation in _SHORT_FORMS:
            return _SHORT_FORMS[abbreviation]
    return province


def region_name(text: str) -> str | None:
    """"Friesland", "Het Gooi", or "Nederland" for "holland": a region, not a place to search from.

    Several are also the name of a hamlet (Friesland, Veluwe, Gooi, Holland) or
    a village (Zeeland); someone who answers with one means the region. Utrecht
    and Groningen are cities first: the caller decides that.
    """
    words = name_key(text).split()
    while len(words) > 1 and words[0] in _BEFORE_A_REGION:
        words = words[1:]
    return _REGIONS.get(" ".join(words))

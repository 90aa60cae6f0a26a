"""The interest taxonomy (CONTRACT section 5) and the everyday words for it.

Slugs are stable identifiers shared with CSV files, the NLU pipeline and
volunteer centres; labels are what people read. The word list lets both the
chatbot and the command line turn "tuin" or "repair café" into a slug.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Category:
    slug: str
    label: str


CATEGORIES: tuple[Category, ...] = (
    Category("energie", "Energie en duurzaamheid"),
    Category("zorg", "Zorg en welzijn"),
    Category("ouderen", "Ouderen"),
    Category("jeugd", "Kinderen en jongeren"),
    Category("groen", "Natuur, groen en tuinieren"),
    Category("taal", "Taal en nieuwkomers"),
    Category("voedsel", "Voedsel en maaltijden"),
    Category("ontmoeting", "Ontmoeting, buurthuis en dorpshuis"),
    Category("sport", "Sport en bewegen"),
    Category("cultuur", "Kunst en cultuur"),
    Category("klussen", "Klussen en repareren"),
    Category("vervoer", "Vervoer"),
    Category("digitaal", "Digitale hulp"),
    Category("organisatie", "Bestuur en organisatie"),
)

SLUGS: frozenset[str] = frozenset(c.slug for c in CATEGORIES)
LABELS: dict[str, str] = {c.slug: c.label for c in CATEGORIES}

# Everyday words (already normalised: lower case, no accents) per slug.
_WORDS: dict[str, tuple[str, ...]] = {
    "energie": (
        "energie", "duurzaam", "duurzaamheid", "zonnepanelen", "zonnepaneel", "zonne energie",
        "energiecooperatie", "energiecoach", "energiecoaches", "energie coach", "isolatie", "isoleren",
        "klimaat", "windmolen", "windmolens", "warmtepomp", "energiebesparing", "energie besparen",
        "groene stroom", "energiearmoede",
    ),
    "zorg": (
        "zorg", "welzijn", "zorgcooperatie", "mantelzorg", "mantelzorger", "zieken", "zieke",
        "gehandicapten", "beperking", "dementie", "hospice", "eenzaamheid", "eenzaam", "gezondheid",
        "verzorging", "verplegen", "palliatief", "buddy", "maatje", "zorgen voor",
    ),
    "ouderen": (
        "ouderen", "oudere", "bejaarden", "bejaarde", "senioren", "senior", "oude mensen",
        "ouderenzorg", "verzorgingshuis", "bejaardenhuis", "zorgcentrum", "opa", "oma", "oma's",
        "opa's", "grootouders", "75 plus", "65 plus",
    ),
    "jeugd": (
        "jeugd", "jongeren", "jongere", "kinderen", "kind", "kids", "tieners", "scholieren",
        "huiswerkbegeleiding", "huiswerk", "bijles", "voorlezen", "speeltuin", "jeugdwerk",
        "scouting", "peuters", "baby", "babys", "school", "pubers",
    ),
    "groen": (
        "groen", "natuur", "tuin", "tuinen", "tuinieren", "moestuin", "buurttuin", "plantsoen",
        "bomen", "boom", "planten", "bloemen", "zwerfafval", "afval prikken", "opruimen",
        "natuurbeheer", "bos", "park", "dieren", "vogels", "imker", "bijen", "volkstuin",
        "schoffelen", "snoeien",
    ),
    "taal": (
        "taal", "taalmaatje", "taalmaatjes", "nederlands leren", "taalles", "taalcafe",
        "nieuwkomers", "nieuwkomer", "vluchtelingen", "vluchteling", "statushouders",
        "statushouder", "inburgering", "inburgeren", "asielzoekers", "lezen en schrijven",
        "laaggeletterdheid", "conversatie",
    ),
    "voedsel": (
        "voedsel", "voedselbank", "eten", "maaltijd", "maaltijden", "koken", "kok", "buurtmaaltijd",
        "soep", "lunch", "diner", "voedselpakketten", "boodschappen", "kookclub", "bakken",
        "tafeltje dek je", "restaurant",
    ),
    "ontmoeting": (
        "ontmoeting", "buurthuis", "dorpshuis", "wijkcentrum", "buurtcentrum", "koffie",
        "koffieochtend", "bar", "gastvrouw", "gastheer", "activiteiten", "buurtfeest", "feest",
        "bingo", "spelletjes", "inloop", "gezelligheid", "evenement", "evenementen",
    ),
    "sport": (
        "sport", "sporten", "bewegen", "voetbal", "hockey", "tennis", "zwemmen", "wandelen",
        "fietsen", "hardlopen", "gym", "trainer", "training", "sportclub", "sportvereniging",
        "beweegmaatje", "yoga", "dansen", "scheidsrechter",
    ),
    "cultuur": (
        "cultuur", "kunst", "muziek", "theater", "toneel", "museum", "bibliotheek", "boeken",
        "film", "festival", "koor", "zingen", "schilderen", "fotografie", "erfgoed",
        "geschiedenis", "historisch", "concert", "expositie",
    ),
    "klussen": (
        "klussen", "klus", "klussendienst", "repareren", "reparatie", "repair cafe", "repaircafe",
        "fietsenmaker", "fiets repareren", "timmeren", "verven", "schilderwerk", "techniek",
        "elektra", "naaien", "handig", "gereedschap", "onderhoud",
    ),
    "vervoer": (
        "vervoer", "rijden", "chauffeur", "auto", "buurtbus", "vrijwillige chauffeur",
        "boodschappen rijden", "ziekenhuis rijden", "rolstoelbus", "taxi", "begeleiden",
        "rolstoel duwen", "buurtauto", "elektrische auto", "deelauto",
    ),
    "digitaal": (
        "digitaal", "digitale", "computer", "computers", "laptop", "tablet", "ipad", "smartphone",
        "telefoon", "internet", "digid", "whatsapp", "website", "ict", "online",
        "computerles", "digitale hulp", "apps", "programmeren",
    ),
    "organisatie": (
        "organisatie", "bestuur", "bestuurslid", "penningmeester", "secretaris", "voorzitter",
        "administratie", "boekhouding", "financien", "communicatie", "pr", "social media",
        "fondsenwerving", "subsidie", "coordinator", "coordineren", "ledenadministratie",
        "nieuwsbrief", "vergaderen", "organiseren",
    ),
}

WORD_TO_SLUG: dict[str, str] = {
    word: slug for slug, words in _WORDS.items() for word in words
}
for _c in CATEGORIES:
    WORD_TO_SLUG.setdefault(_c.slug, _c.slug)


def normalise_word(text: str) -> str:
    """Lower case without accents or punctuation: "Repair Café!" -> "repair cafe"."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9']+", " ", stripped.lower()).strip()


def slug_for(word: str) -> str | None:
    """The category a single word or short phrase stands for, or None."""
    return WORD_TO_SLUG.get(normalise_word(word))


def slugs_in(text: str) -> list[str]:
    """Every category named in free text, in order of first mention.

    Phrases are tried before single words so "repair café" is not read as
    just "cafe".
    """
    words = normalise_word(text).split()
    found: list[str] = []
    i = 0
    while i < len(words):
        for size in (3, 2, 1):
            phrase = " ".join(words[i:i + size])
            slug = WORD_TO_SLUG.get(phrase) if len(words[i:i + size]) == size else None
            if slug:
                if slug not in found:
                    found.append(slug)
                i += size
                break
        else:
            i += 1
    return found


def parse_interests(values: list[str] | str) -> tuple[list[str], list[str]]:
    """Slugs for a list of slugs or free words, and the words not understood."""
    items = values.split(",") if isinstance(values, str) else values
    slugs: list[str] = []
    unknown: list[str] = []
    for item in (i.strip() for i in items):
        if not item:
            continue
        exact = slug_for(item)
        matched = [exact] if exact else slugs_in(item)
        if not matched:
            unknown.append(item)
        for slug in matched:
            if slug not in slugs:
                slugs.append(slug)
    return slugs, unknown

"""Every Dutch sentence the domain, the command line and the actions show.

Written for B1 readers: short sentences, concrete words, "je". Keep text
here (or in domain.yml responses), never inside logic. Each part of the
code adds its own section below.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from doemee.categories import CATEGORIES
from doemee.categories import LABELS as _CATEGORY_LABELS
from doemee.matching.query import Match, Reason, ReasonKind

# --- shared helpers ----------------------------------------------------------


def dutch_km(km: float, decimals: int = 1) -> str:
    """2.349 -> "2,3": rounded here and only here, with the decimal comma Dutch readers expect.

    Distances travel unrounded through the domain, so a card and its reason
    that word the same distance always show the same number.
    """
    return f"{km:.{decimals}f}".replace(".", ",")


_MONTHS = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)


def dutch_date(day: date) -> str:
    """`day` (a date or datetime) as "3 maart 2025"."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def _shown(value: str, limit: int = 40) -> str:
    """A value as it may be echoed back: short, on one line, invisible characters made visible."""
    flat = "".join(ch if ch.isprintable() else "?" for ch in value)
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _or(value: str | None, fallback: str) -> str:
    """`value` as it goes into a sentence, or `fallback` when there is none: a sentence never shows a gap."""
    return (value or "").strip() or fallback


def _one_of(items: Sequence[str]) -> str:
    """ "a", "a of b", "a, b of c", leaving out empty items."""
    named = [item.strip() for item in items if item and item.strip()]
    if len(named) <= 1:
        return "".join(named)
    return f"{', '.join(named[:-1])} of {named[-1]}"


# A new opportunity's sign-up button in the news of the widget and in a Telegram alert.
NEWS_SIGN_UP = "Aanmelden: {title}"
BUTTON_RETRY = "Probeer opnieuw"


def _where(match: Match) -> str:
    """Where a new opportunity is, in the few words an alert has room for."""
    view = match.opportunity
    if view.remote:
        return "op afstand"
    if match.distance_km < 1:
        return f"{view.place}, minder dan 1 km"
    return f"{view.place}, {dutch_km(match.distance_km, 0)} km"


def _news(opening: str, matches: Sequence[Match], closing: str) -> str:
    """The body both news channels share: one short entry per new opportunity."""
    lines = [opening]
    for match in matches:
        view = match.opportunity
        lines.append(f"\n• {view.title}\n  {view.initiative} ({_where(match)})")
    lines.append(closing)
    return "\n".join(lines)


# --- geography -------------------------------------------------------------

GEO_UNKNOWN_PLACE = "Die plek ken ik niet. Een postcode is genoeg, bijvoorbeeld 3511."
GEO_ATTRIBUTION = "Postcodes en plaatsen: GeoNames (CC BY 4.0)."


def geo_unknown_postcode(postcode: str) -> str:
    which = f"Postcode {postcode.strip()}" if postcode.strip() else "Die postcode"
    return f"{which} ken ik niet. Klopt hij? Je mag ook je woonplaats noemen."


def geo_place_label(name: str, kind: str, place: str, municipality: str, province: str = "") -> str:
    """How to name one of several places with the same name, so a resident can pick."""
    name = _or(name, place or municipality or "deze plek")
    where = f" in {place.strip()}" if place.strip() else ""
    if kind == "neighbourhood":
        return f"de wijk {name}{where}"
    if kind == "municipality":
        return f"de gemeente {name}"
    if kind == "postcode":
        return f"postcode {name}{where}"
    if not municipality or municipality == name or municipality.startswith(f"{name} ("):
        return f"{name} in {province}" if province else name
    return f"{name} in de gemeente {municipality}"


def geo_ambiguous(labels: list[str]) -> str:
    """The question when a name fits several places, labels from geo_place_label()."""
    if not _one_of(labels):
        return GEO_UNKNOWN_PLACE
    return f"Bedoel je {_one_of(labels)}?"


def geo_region(region: str) -> str:
    """A province or the whole country is too big to search from."""
    return f"{_or(region, 'Dat')} is een groot gebied. In welke plaats woon je? Een postcode is ook goed."


def geo_corrected(label: str) -> str:
    if not label.strip():
        return "Ik denk dat ik weet welke plek je bedoelt."
    return f"Ik denk dat je {label.strip()} bedoelt."


def geo_download_failed(folder: str) -> str:
    return (
        "Ik kan de postcodes en plaatsnamen niet downloaden van GeoNames. "
        "Kijk of de internetverbinding werkt. "
        f"Of zet de bestanden NL_postal.txt en NL_places.txt zelf in de map {_or(folder, 'voor GeoNames')}."
    )


# --- matching reasons ------------------------------------------------------

_POSTCODE_ORIGIN = re.compile(r"^\s*(\d{4})\s*(?:[A-Za-z]{2})?\s*$")

REASON_INTEREST = "Past bij je interesse in {label}."
REASON_INTEREST_ANY = "Past bij wat je graag doet."
REASON_DISTANCE = "{km} km van {origin}."
REASON_REMOTE = "Je kunt dit vanuit huis doen."
REASON_DAY_PART = "Past bij je voorkeur voor {when}."
REASON_DAY_PART_ANY = "Past bij wanneer jij kunt."
REASON_NEW = "Nieuw deze week."
REASON_BEYOND_RADIUS = "Verder weg dan je zoekgebied: {km} km."
REASON_COMMITMENT = {
    "eenmalig": "Past bij je wens om één keer te helpen.",
    "wekelijks": "Past bij je wens om elke week te helpen.",
    "maandelijks": "Past bij je wens om elke maand te helpen.",
    "flexibel": "Je bepaalt zelf hoe vaak je helpt.",
}
DAY_PART_PHRASES = {
    "ochtend": "de ochtend",
    "middag": "de middag",
    "avond": "de avond",
    "weekend": "het weekend",
    "doordeweeks": "doordeweeks",
}


def origin_phrase(origin: str) -> str:
    """ "3511" -> "postcode 3511"; "Overvecht" stays "Overvecht"."""
    found = _POSTCODE_ORIGIN.match(origin or "")
    if found:
        return f"postcode {found.group(1)}"
    return (origin or "").strip() or "je zoekplek"


def _interest_label(slug: str) -> str:
    label = _CATEGORY_LABELS.get(slug, slug)
    return label[:1].lower() + label[1:]


def reason_text(reason: Reason, origin: str) -> str:
    """One reason as a short B1 sentence, for the resident who searched from `origin`."""
    kind, value = reason.kind, reason.value
    if kind is ReasonKind.INTEREST:
        label = _interest_label(str(value or "")).strip()
        return REASON_INTEREST.format(label=label) if label else REASON_INTEREST_ANY
    if kind is ReasonKind.DISTANCE:
        return REASON_DISTANCE.format(km=dutch_km(float(value or 0.0)), origin=origin_phrase(origin))
    if kind is ReasonKind.REMOTE:
        return REASON_REMOTE
    if kind is ReasonKind.DAY_PART:
        when = DAY_PART_PHRASES.get(str(value), str(value or "")).strip()
        return REASON_DAY_PART.format(when=when) if when else REASON_DAY_PART_ANY
    if kind is ReasonKind.COMMITMENT:
        return REASON_COMMITMENT.get(str(value), REASON_COMMITMENT["flexibel"])
    if kind is ReasonKind.NEW:
        return REASON_NEW
    km = float(value or 0.0)
    return REASON_BEYOND_RADIUS.format(km=dutch_km(km, 0 if km >= 10 else 1))


def reasons_text(match: Match, origin: str) -> list[str]:
    """Every reason of a match, worded, in the order the engine gave them."""
    return [reason_text(reason, origin) for reason in match.reasons]


# --- CSV import and export ---------------------------------------------------
FIELD_REQUIRED = "is leeg, maar moet ingevuld zijn."
FIELD_CONTROL_CHARS = "bevat onzichtbare tekens (zoals een tab of een nieuwe regel). Haal die weg."
CSV_COLUMNS_HINT = "external_id, initiative_name, title, description, category, postcode, time_commitment, contact_email"


def field_too_long(limit: int, length: int) -> str:
    return f"is te lang: hooguit {limit} tekens, nu {length}."


def bad_website(value: str) -> str:
    return f"'{_shown(value)}' is geen webadres. Begin met http:// of https://."


def unknown_category(value: str) -> str:
    allowed = ", ".join(c.slug for c in CATEGORIES)
    return f"'{_shown(value)}' is geen categorie. Kies uit: {allowed}."


def bad_postcode(value: str) -> str:
    return f"'{_shown(value)}' is geen postcode. Schrijf 1234 of 1234 AB."


def unknown_postcode(value: str) -> str:
    return f"postcode {_shown(value)} ken ik niet." if value.strip() else "die postcode ken ik niet."


def bad_time_commitment(value: str) -> str:
    return f"'{_shown(value)}' kan niet. Kies uit: eenmalig, wekelijks, maandelijks of flexibel."


def bad_day_part(value: str) -> str:
    return f"'{_shown(value)}' is geen dagdeel. Kies uit: ochtend, middag, avond of weekend, met een puntkomma (;) ertussen."


def bad_remote(value: str) -> str:
    return f"'{_shown(value)}' kan niet. Schrijf ja of nee."


def bad_email(value: str) -> str:
    return f"'{_shown(value)}' is geen geldig e-mailadres."


def bad_date(value: str) -> str:
    return f"'{_shown(value)}' is geen datum. Schrijf JJJJ-MM-DD, bijvoorbeeld 2026-12-31."


def formula_like(first_char: str) -> str:
    shown = {"\t": "een tab", "\r": "een regeleinde"}.get(first_char) or _or(first_char, "een formuleteken")
    return (
        f"begint met {shown}. Een spreadsheet kan dat uitvoeren als formule. "
        "Bedoel je het echt zo? Zet er dan een ' voor."
    )


def duplicate_external_id(value: str, first_line: int) -> str:
    return f"'{_shown(value)}' staat ook al op regel {first_line}. Elke external_id mag maar één keer in het bestand."


def too_many_fields(found: int, expected: int) -> str:
    return (
        f"deze regel heeft {found} velden, de kopregel {expected}. "
        "Staat er een komma in een tekst zonder aanhalingstekens eromheen?"
    )


def too_few_fields(found: int, expected: int) -> str:
    return f"deze regel heeft {found} velden, de kopregel {expected}. Er mist iets."


def _file(path: str) -> str:
    return f"het bestand {path.strip()}" if path.strip() else "het bestand"


def csv_file_not_found(path: str) -> str:
    return f"Ik kan {_file(path)} niet vinden."


def csv_file_unreadable(path: str) -> str:
    return f"Ik kan {_file(path)} niet openen of lezen."


def csv_too_big(limit_mb: int) -> str:
    return f"Het bestand is te groot: hooguit {limit_mb} MB."


CSV_EMPTY = "Het bestand is leeg. De eerste regel moet de kolomnamen hebben: " + CSV_COLUMNS_HINT + "."
CSV_BINARY = "Dit is geen CSV-bestand maar iets anders (binair). Sla het op als CSV UTF-8 met komma's."
CSV_SEMICOLONS = (
    "De kolommen zijn gescheiden met puntkomma's (;). Gebruik komma's: "
    "kies bij opslaan 'CSV UTF-8 (door komma's gescheiden)'."
)
CSV_TABS = "De kolommen zijn gescheiden met tabs. Gebruik komma's: kies bij opslaan 'CSV UTF-8 (door komma's gescheiden)'."
CSV_NO_HEADER = "De eerste regel moet de kolomnamen hebben: " + CSV_COLUMNS_HINT + "."


def csv_not_utf8(line: int) -> str:
    return f"Regel {line} is geen UTF-8-tekst. Sla het bestand op als 'CSV UTF-8'."


def csv_missing_columns(columns: list[str]) -> str:
    named = [c.strip() for c in columns if c.strip()]
    if not named:
        return "Er ontbreekt een verplichte kolom."
    word = "Deze verplichte kolom ontbreekt" if len(named) == 1 else "Deze verplichte kolommen ontbreken"
    return f"{word}: {', '.join(named)}."


def csv_duplicate_column(column: str) -> str:
    if not column.strip():
        return "Een kolom zonder naam staat twee keer in de kopregel."
    return f"De kolom {_shown(column)} staat twee keer in de kopregel."


def csv_unknown_column(column: str) -> str:
    return f"Let op: de kolom '{_shown(column)}' ken ik niet. Die sla ik over."


def csv_nameless_column(position: int) -> str:
    return f"Let op: kolom {position} heeft geen naam. Die sla ik over."


def csv_field_too_big(line: int, limit: int) -> str:
    return f"Regel {line}: een veld is te groot (meer dan {limit} tekens). Is dit wel het goede bestand?"


def csv_broken(line: int) -> str:
    return f"Regel {line}: dit is geen geldige CSV. Kloppen de aanhalingstekens?"


def csv_row_problem(line: int, column: str, reason: str) -> str:
    reason = _or(reason, "hier klopt iets niet.")
    if column:
        return f"Regel {line}, kolom {column}: {reason}"
    return f"Regel {line}: {reason}"


def csv_rejected(problems: int, rows: int) -> str:
    fouten = "1 fout" if problems == 1 else f"{problems} fouten"
    regels = "1 regel" if rows == 1 else f"{rows} regels"
    return f"Er is niets geïmporteerd: {fouten} in {regels}. Verbeter het bestand en probeer het opnieuw."


def csv_imported(new: int, updated: int, removed: int) -> str:
    return f"Klaar: {new} nieuw, {updated} bijgewerkt, {removed} verwijderd."


def csv_exported(count: int, path: str) -> str:
    plekken = "1 open plek" if count == 1 else f"{count} open plekken"
    where = f" naar {path.strip()}" if path.strip() else ""
    return f"Klaar: {plekken} geschreven{where}."


def csv_cannot_write(path: str) -> str:
    where = f"naar {path.strip()}" if path.strip() else "naar dat bestand"
    return f"Ik kan niet schrijven {where}. Bestaat de map en mag je daar schrijven?"


# --- command line ------------------------------------------------------------

CLI_LANGUAGE_HINT_EN = "Nederlands: start zonder LANG=en..., bijvoorbeeld LANG=nl_NL.UTF-8 doemee --help."

# Help texts per language; `doemee --help` is Dutch unless LANG starts with "en".
CLI_HELP: dict[str, dict[str, str]] = {
    "nl": {
        "description": (
            "DoeMee op de opdrachtregel: vrijwilligersplekken importeren en exporteren (CSV), "
            "zoeken zoals de chatbot zoekt, postcodes en plaatsen opzoeken, oproepen uit de chat "
            "goedkeuren of afwijzen, en zien waar inwoners zoeken en niets vinden. "
            "English help: LANG=en_US.UTF-8 doemee --help."
        ),
        "epilog": (
            "De database komt uit DOEMEE_DATABASE_URL (standaard var/doemee.db). "
            "Zet DOEMEE_DEBUG=1 om bij een onverwachte fout de details te zien."
        ),
        "help": "toon deze hulp en stop",
        "commands": "opdrachten",
        "import-csv": "importeer vrijwilligersplekken uit een CSV-bestand",
        "import-csv.description": (
            "Importeert vrijwilligersplekken uit een CSV-bestand (UTF-8, komma's, kopregel verplicht). "
            "Eerst wordt elke regel gecontroleerd. Is er één regel fout, dan wordt niets geïmporteerd "
            "en zie je elke foute regel met regelnummer, kolom en reden. Een external_id die al bestaat, "
            "wordt bijgewerkt."
        ),
        "import-csv.file": "het CSV-bestand",
        "import-csv.replace": (
            "haal eerst de plekken uit eerdere imports van dit centrum weg die niet in dit bestand staan "
            "(plekken van andere centra blijven staan)"
        ),
        "import-csv.centre": "voor welk centrum (zie centres.yml; standaard het eerste centrum)",
        "export-csv": "schrijf alle open vrijwilligersplekken naar een CSV-bestand",
        "export-csv.description": (
            "Schrijft alle open vrijwilligersplekken in hetzelfde formaat als import-csv, zodat je het bestand "
            "weer kunt importeren. Tekst die een spreadsheet als formule zou lezen (begint met = + - of @) "
            "krijgt een ' ervoor; import-csv haalt die weer weg."
        ),
        "export-csv.file": "het CSV-bestand dat je wilt maken",
        "export-csv.centre": "alleen de plekken van dit centrum (standaard alle centra)",
        "centres-sync": "zet de centra uit centres.yml in de database",
        "centres-sync.description": (
            "Leest centres.yml (of FILE) en zet elk centrum in de database: nieuw of bijgewerkt, op naam (slug). "
            "Eerst wordt het hele bestand gecontroleerd (kleuren, CBS-codes). Een centrum dat niet meer in het "
            "bestand staat, wordt weggehaald, behalve als het nog vrijwilligersplekken heeft."
        ),
        "centres-sync.file": "het bestand met centra (standaard centres.yml of DOEMEE_CENTRES_FILE)",
        "match": "zoek vrijwilligersplekken zoals de chatbot dat doet",
        "match.description": (
            "Zoekt open vrijwilligersplekken bij een postcode of plaats, de beste eerst. "
            "Is er niets binnen de straal, dan zie je de dichtstbijzijnde plekken daarbuiten."
        ),
        "match.postcode": "postcode, bijvoorbeeld 3511 of 3511 AB (gaat voor --place)",
        "match.place": "plaats of wijk, bijvoorbeeld Utrecht of Overvecht",
        "match.interests": "interesses met komma's ertussen: categorieën of gewone woorden (groen,tuin,ouderen)",
        "match.when": "wanneer, met komma's: ochtend, middag, avond, weekend, doordeweeks, eenmalig, wekelijks, maandelijks",
        "match.radius": "straal in km (standaard 10)",
        "match.limit": "hoeveel plekken je wilt zien (standaard 5)",
        "match.json": "geef het antwoord als JSON",
        "geo": "zoek een postcode, plaats of wijk op",
        "geo.description": "Zoekt een postcode (3511, 3511 AB, 3511ab), plaats of wijk op en laat zien waar die ligt.",
        "geo.query": "postcode, plaats of wijk",
        "geo.json": "geef het antwoord als JSON",
        "setup": "maak de database klaar en laad de demodata als de database leeg is",
        "geo-fetch": "zorg dat de GeoNames-bestanden er zijn (download ze als ze ontbreken)",
        "demo-load": "laad de demodata (of werk die bij)",
        "demo-remove": "haal alle demodata weg",
        "migrate": "werk de database bij naar de nieuwste versie",
        "concepts": "toon de oproepen uit de chat die wachten op controle",
        "concepts.description": (
            "Toont de oproepen die initiatieven in de chat plaatsten en die nog niet zichtbaar zijn, "
            "de oudste eerst. Je ziet ook het e-mailadres van het initiatief."
        ),
        "concepts.json": "geef het antwoord als JSON",
        "approve": "keur een oproep goed: inwoners kunnen hem dan vinden",
        "approve.description": (
            "Zet een oproep uit de chat open, zodat inwoners hem kunnen vinden. "
            "Het initiatief krijgt daarover een e-mail."
        ),
        "approve.id": "het nummer van de oproep (zie doemee concepts)",
        "reject": "wijs een oproep af: hij komt niet in DoeMee",
        "reject.description": (
            "Sluit een oproep uit de chat, zodat inwoners hem nooit zien. "
            "Het initiatief krijgt daarover een e-mail, met de reden als je die geeft."
        ),
        "reject.id": "het nummer van de oproep (zie doemee concepts)",
        "reject.reason": "waarom niet; dit staat in de e-mail aan het initiatief",
        "demand": "zie waar inwoners zoeken en niets vinden",
        "demand.description": (
            "Telt per gemeente en per interesse hoe vaak inwoners zochten, hoe vaak ze niets vonden "
            "binnen hun straal, en hoeveel open plekken er nu zijn. Wat het vaakst niets opleverde, staat bovenaan. "
            "Er staat niets in over wie er zocht."
        ),
        "demand.since": "tel zoekvragen vanaf deze dag, JJJJ-MM-DD (standaard 90 dagen terug)",
        "demand.municipality": "alleen deze gemeente: naam of CBS-code (bijvoorbeeld Utrecht of 0344)",
        "demand.limit": "hoeveel regels je hooguit wilt zien (standaard 20)",
        "demand.json": "geef het antwoord als JSON",
    },
    "en": {
        "description": (
            "DoeMee on the command line: import and export volunteer opportunities (CSV), search the way "
            "the chatbot searches, look up postcodes and places, approve or reject needs posted in the "
            "chat (moderation), and see where residents search and find nothing (unmet demand). "
            "Nederlandse hulp: LANG=nl_NL.UTF-8 doemee --help."
        ),
        "epilog": (
            "The database comes from DOEMEE_DATABASE_URL (default var/doemee.db). "
            "Set DOEMEE_DEBUG=1 to see details of an unexpected error. Error messages are in Dutch."
        ),
        "help": "show this help and exit",
        "commands": "commands",
        "import-csv": "import volunteer opportunities from a CSV file",
        "import-csv.description": (
            "Imports opportunities from a CSV file (UTF-8, commas, header row required). Every row is "
            "checked first; if any row is wrong nothing is imported and every bad row is listed with line "
            "number, column and reason. An existing external_id is updated."
        ),
        "import-csv.file": "the CSV file",
        "import-csv.replace": (
            "first remove this centre's opportunities from earlier imports that are not in this file "
            "(other centres' opportunities stay)"
        ),
        "import-csv.centre": "which centre (see centres.yml; default the first centre)",
        "export-csv": "write every open opportunity to a CSV file",
        "export-csv.description": (
            "Writes every open opportunity in the import-csv format, so the file imports again. Text a "
            "spreadsheet would run as a formula (starting with = + - or @) gets a leading ', which "
            "import-csv removes."
        ),
        "export-csv.file": "the CSV file to write",
        "export-csv.centre": "only this centre's opportunities (default every centre)",
        "centres-sync": "apply centres.yml to the database",
        "centres-sync.description": (
            "Reads centres.yml (or FILE) and inserts or updates every centre by its slug. The whole file is "
            "checked first (colours, CBS codes). A centre no longer in the file is removed, unless it still "
            "has opportunities."
        ),
        "centres-sync.file": "the centres file (default centres.yml or DOEMEE_CENTRES_FILE)",
        "match": "search opportunities the way the chatbot does",
        "match.description": (
            "Finds open opportunities near a postcode or place, best first. When nothing lies inside the "
            "radius, the nearest ones beyond it are shown."
        ),
        "match.postcode": "postcode, e.g. 3511 or 3511 AB (wins over --place)",
        "match.place": "place or neighbourhood, e.g. Utrecht or Overvecht",
        "match.interests": "comma-separated interests: category slugs or everyday Dutch words (groen,tuin,ouderen)",
        "match.when": "comma-separated: ochtend, middag, avond, weekend, doordeweeks, eenmalig, wekelijks, maandelijks",
        "match.radius": "radius in km (default 10)",
        "match.limit": "how many results (default 5)",
        "match.json": "print JSON",
        "geo": "look up a postcode, place or neighbourhood",
        "geo.description": "Resolves a postcode (3511, 3511 AB, 3511ab), place or neighbourhood to where it lies.",
        "geo.query": "postcode, place or neighbourhood",
        "geo.json": "print JSON",
        "setup": "migrate the database and load the demo data when it is empty",
        "geo-fetch": "make sure the GeoNames files exist (downloads them when missing)",
        "demo-load": "load (or update) the demo data",
        "demo-remove": "remove all demo data",
        "migrate": "migrate the database to the newest version",
        "concepts": "list the needs from the chat waiting for moderation",
        "concepts.description": (
            "Lists the needs initiatives posted in the chat that are not visible yet, oldest first, "
            "with the initiative's email address."
        ),
        "concepts.json": "print JSON",
        "approve": "approve a need: residents can find it",
        "approve.description": "Opens a need from the chat so residents can find it, and emails the initiative.",
        "approve.id": "the need's number (see doemee concepts)",
        "reject": "reject a need: it never appears in DoeMee",
        "reject.description": "Closes a need from the chat so residents never see it, and emails the initiative.",
        "reject.id": "the need's number (see doemee concepts)",
        "reject.reason": "why not; it goes into the email to the initiative",
        "demand": "see where residents search and find nothing",
        "demand.description": (
            "Counts per municipality and interest how often residents searched, how often nothing lay inside "
            "their radius, and how many opportunities are open there now; most unmet first. Holds nothing about "
            "who searched."
        ),
        "demand.since": "count searches from this day, YYYY-MM-DD (default 90 days ago)",
        "demand.municipality": "only this municipality: name or CBS code (e.g. Utrecht or 0344)",
        "demand.limit": "at most this many rows (default 20)",
        "demand.json": "print JSON",
    },
}

# argparse's own messages, in Dutch (keys are argparse's message ids).
CLI_ARGPARSE_NL: dict[str, str] = {
    "usage: ": "gebruik: ",
    "positional arguments": "argumenten",
    "options": "opties",
    "show this help message and exit": "toon deze hulp en stop",
    "argument %(argument_name)s: %(message)s": "%(argument_name)s: %(message)s",
    "unrecognized arguments: %s": "dit ken ik niet: %s",
    "the following arguments are required: %s": "dit mist nog: %s",
    "one of the arguments %s is required": "geef een van deze: %s",
    "expected one argument": "hier hoort een waarde bij",
    "expected at most one argument": "hier hoort hooguit één waarde bij",
    "expected at least one argument": "hier hoort minstens één waarde bij",
    "ambiguous option: %(option)s could match %(matches)s": "%(option)s kan meerdere opties zijn: %(matches)s",
    "invalid %(type)s value: %(value)r": "%(value)r is geen geldige waarde",
    "invalid choice: %(value)r (choose from %(choices)s)": "%(value)r ken ik niet. Kies uit: %(choices)s",
    "not allowed with argument %s": "kan niet samen met %s",
    "unexpected option string: %s": "onverwachte optie: %s",
}

CLI_UNEXPECTED = "Er ging iets mis dat ik niet verwachtte. Zet DOEMEE_DEBUG=1 om de details te zien."
CLI_DATABASE_DOWN = "Ik kan de database niet bereiken. Klopt DOEMEE_DATABASE_URL en draait de database?"
CLI_INTERRUPTED = "Gestopt."
CLI_NEED_LOCATION = "Geef een postcode (--postcode) of een plaats (--place)."
CLI_MIGRATED = "De database is klaar: bijgewerkt naar de nieuwste versie."
CLI_SETUP_HAS_DATA = "De database is klaar. Er staan al {count} vrijwilligersplekken in; ik laad geen demodata."
CLI_NO_DEMO_FILE = "Het bestand met demodata ontbreekt: {path}."


def cli_usage_error(command: str, message: str) -> str:
    command = _or(command, "doemee")
    return f"{command}: {_or(message, 'dat klopt niet')}. Zie {command} --help."


def cli_unknown_postcode(value: str) -> str:
    return f"Postcode {_shown(value)} ken ik niet." if value.strip() else "Die postcode ken ik niet."


def cli_unknown_place(value: str) -> str:
    return f"'{_shown(value)}' ken ik niet als postcode, plaats of wijk. Kijk of het goed gespeld is."


def cli_ambiguous_place(value: str, candidates: list[str]) -> str:
    listed = _one_of(candidates)
    options = f": {listed}" if listed else ""
    return f"'{_shown(value)}' kan meerdere plekken zijn{options}. Geef liever een postcode."


def cli_unknown_interests(words: list[str], allowed: list[str]) -> str:
    named = [w for w in words if w.strip()]
    label = "Deze interesse ken ik niet" if len(named) <= 1 else "Deze interesses ken ik niet"
    shown = ", ".join(f"'{_shown(w)}'" for w in named)
    choose = f" Kies uit: {', '.join(allowed)}." if allowed else ""
    return (f"{label}: {shown}." if shown else "Die interesse ken ik niet.") + choose


def cli_unknown_times(words: list[str], allowed: list[str]) -> str:
    shown = ", ".join(f"'{_shown(w)}'" for w in words if w.strip())
    choose = f" Kies uit: {', '.join(allowed)}." if allowed else ""
    return (f"Dit moment ken ik niet: {shown}." if shown else "Dat moment ken ik niet.") + choose


def cli_bad_number(value: str) -> str:
    return f"'{_shown(value)}' is geen getal"


def cli_out_of_range(low: float, high: float) -> str:
    return f"kies een getal van {low:g} tot en met {high:g}".replace(".", ",")


def _cli_origin(origin: str) -> str:
    return _or(origin, "die plek")


def cli_match_header(count: int, origin: str, radius_km: float) -> str:
    plekken = "1 plek" if count == 1 else f"{count} plekken"
    return f"Ik vond {plekken} binnen {dutch_km(radius_km)} km van {_cli_origin(origin)}. De beste eerst:"


def cli_match_alternatives(origin: str, radius_km: float) -> str:
    return (
        f"Binnen {dutch_km(radius_km)} km van {_cli_origin(origin)} vond ik niets dat past. "
        "Dit zijn de dichtstbijzijnde plekken daarbuiten:"
    )


def cli_match_none(origin: str) -> str:
    return f"Ik vond geen open vrijwilligersplekken die passen bij je zoekvraag rond {_cli_origin(origin)}."


def cli_match_line(number: int, title: str, initiative: str, place: str, distance_km: float) -> str:
    by = ", ".join(part.strip() for part in (initiative, place) if part.strip())
    head = f"{number}. {_or(title, 'Vrijwilligerswerk')}"
    return f"{head} – {by} ({dutch_km(distance_km)} km)" if by else f"{head} ({dutch_km(distance_km)} km)"


def cli_geo_found(name: str, place: str, municipality: str, code: str, pc4: str | None, lat: float, lon: float) -> str:
    facts = [place.strip()] if place.strip() else []
    cbs = f"CBS-code {code.strip()}" if code.strip() else ""
    if municipality.strip():
        facts.append(f"gemeente {municipality.strip()}" + (f" ({cbs})" if cbs else ""))
    elif cbs:
        facts.append(cbs)
    if pc4:
        facts.append(f"postcode {pc4}")
    described = f"{_or(name, 'Deze plek')}: {', '.join(facts)}." if facts else f"{_or(name, 'Deze plek')}."
    return f"{described} Coördinaten: {lat:.4f}, {lon:.4f}."


def cli_demo_loaded(new: int, updated: int, removed: int) -> str:
    return f"Demodata geladen: {new} nieuw, {updated} bijgewerkt, {removed} verwijderd."


def cli_demo_removed(opportunities: int, initiatives: int) -> str:
    return f"Demodata weggehaald: {opportunities} vrijwilligersplekken en {initiatives} initiatieven."


def cli_geo_files(path: str) -> str:
    return f"De GeoNames-bestanden staan in {path.strip()}." if path.strip() else "De GeoNames-bestanden zijn er."



# --- web gateway and widget (bot/web) ----------------------------------------

WEB_EMPTY_MESSAGE = "Je bericht is leeg. Typ eerst je vraag."
WEB_MESSAGE_TOO_LONG = "Je bericht is te lang. Gebruik maximaal {limit} tekens."
WEB_BAD_REQUEST = "Dat bericht kan ik niet lezen. Probeer het opnieuw."
WEB_BAD_SENDER = "Ik herken dit gesprek niet. Laad de pagina opnieuw."
WEB_UNKNOWN_CENTRE = "Deze chat is niet goed ingesteld. Neem contact op met het vrijwilligerscentrum."
WEB_ORIGIN_REFUSED = "Deze website mag de chat van DoeMee niet gebruiken."
WEB_RATE_LIMITED = "Je stuurt veel berichten snel na elkaar. Wacht even en probeer het dan opnieuw."
WEB_RASA_DOWN = "Sorry, ik kan je nu even niet helpen. Probeer het zo nog eens."
WEB_NO_ANSWER = "Sorry, er ging iets mis aan mijn kant. Probeer het zo nog eens."
WEB_NOT_FOUND = "Deze pagina bestaat niet."
WEB_SERVER_ERROR = "Er ging iets mis. Probeer het later nog eens."

# The widget's own labels; the gateway puts them into widget.js.
WEB_WIDGET_LABELS = {
    "launcher": "Chat",
    "launcherLabel": "Open de chat van {name}",
    "close": "Sluit chat",
    "input": "Stel je vraag",
    "send": "Verstuur",
    "log": "Gesprek",
    "you": "Jij",
    "bot": "DoeMee",
    "typing": "DoeMee is aan het typen",
    "hint": "Tip: deel je postcode, dan zoek ik bij jou in de buurt.",
    "offline": "Ik kan de chat nu niet bereiken. Controleer je internet en probeer het zo nog eens.",
    "retry": BUTTON_RETRY,
    "defaultName": "DoeMee",
    "defaultGreeting": "Hoi! Ik help je vrijwilligerswerk te vinden bij jou in de buurt. Waar woon je, en wat vind je leuk om te doen?",
}

# News at the next visit: a widget resident's alerts, shown when the widget opens.
WEB_NEWS_STOP = "Stop berichten"


def web_news(matches: Sequence[Match]) -> str:
    if len(matches) == 1:
        opening = "Welkom terug! Er is iets nieuws dat bij je zoekvraag past:"
    else:
        opening = f"Welkom terug! Er zijn {len(matches)} nieuwe plekken die bij je zoekvraag passen:"
    return _news(opening, matches, "\nWil je meedoen? Kies hieronder. Nieuws krijg je hooguit één keer per dag.")


# The plain page with open opportunities (/kansen).
WEB_LISTING_TITLE = "Vrijwilligerswerk bij jou in de buurt"
WEB_LISTING_INTRO = "Dit zijn alle open plekken. Kies een plaats om minder te zien."
WEB_LISTING_FILTER_LABEL = "Plaats"
WEB_LISTING_ALL_PLACES = "Alle plaatsen"
WEB_LISTING_FILTER_BUTTON = "Toon"
WEB_LISTING_COUNT = {1: "1 open plek", "other": "{count} open plekken"}
WEB_LISTING_EMPTY = "Er zijn nu geen open plekken. Kijk later nog eens."
WEB_LISTING_TRUNCATED = "Je ziet de eerste {shown}. Kies een plaats om de rest te zien."
WEB_LISTING_INITIATIVE = "Bij {name}"
WEB_LISTING_REMOTE = "Kan ook op afstand"
WEB_LISTING_UNTIL = "Tot en met {date}"
WEB_LISTING_CHAT_HINT = "Meedoen? Vraag het aan de chat op de homepage. Die helpt je met aanmelden."
# {geonames} and {licence} become links.
WEB_GEONAMES_CREDIT = "Plaatsgegevens: {geonames}, licentie {licence}."
WEB_TIME_COMMITMENT = {
    "eenmalig": "Eenmalig",
    "wekelijks": "Elke week",
    "maandelijks": "Elke maand",
    "flexibel": "Wanneer het jou uitkomt",
}
WEB_DAY_PARTS = {"ochtend": "ochtend", "middag": "middag", "avond": "avond", "weekend": "weekend"}

# --- conversation (actions) --------------------------------------------------

# Buttons and shared pieces of the chat.
BUTTON_SIGN_UP = "Aanmelden"
BUTTON_MORE_INFO = "Meer info"
BUTTON_MORE = "Meer"
BUTTON_YES = "Ja"
BUTTON_NO = "Nee"

SORRY_TECHNICAL = (
    "Sorry, er gaat bij mij nu iets mis. Er is niets opgeslagen. "
    "Probeer het over een paar minuten nog eens."
)


# Form questions (asked by actions/questions.py; Rasa 3.6's validator does not
# count utter_ask_ responses as used, so they live here).
ASK_LOCATION = "Waar woon je? Een postcode of plaats is genoeg, bijvoorbeeld 3511 of Zwolle."
ASK_INTERESTS = "Wat doe je graag? Bijvoorbeeld tuinieren, koken, of iets met ouderen of kinderen."
INTEREST_BUTTONS: tuple[tuple[str, str], ...] = (
    ("Natuur en tuin", "groen"), ("Ouderen", "ouderen"), ("Kinderen", "jeugd"),
    ("Koken en eten", "voedsel"), ("Taal", "taal"),
)
BUTTON_NO_PREFERENCE = "Maakt niet uit"
ASK_FIRST_NAME = "Leuk! Hoe heet je? Alleen je voornaam is genoeg."
ASK_CONTACT = "Hoe kan het initiatief je bereiken? Geef een e-mailadres of telefoonnummer."
ASK_NEED_INITIATIVE = "Hoe heet jullie initiatief of club?"
ASK_NEED_TITLE = "Geef het vrijwilligerswerk een korte titel. Bijvoorbeeld: \"Hulp bij de moestuin\"."
ASK_NEED_DESCRIPTION = "Vertel in een paar zinnen wat de vrijwilliger gaat doen."
ASK_NEED_CATEGORY = "Bij welk onderwerp past het? Bijvoorbeeld groen, ouderen, jeugd, taal of koken."
NEED_CATEGORY_BUTTONS: tuple[tuple[str, str], ...] = (
    ("Natuur en groen", "groen"), ("Ouderen", "ouderen"), ("Kinderen en jongeren", "jeugd"),
    ("Zorg en welzijn", "zorg"), ("Ontmoeting", "ontmoeting"),
)
ASK_NEED_POSTCODE = "Op welke postcode is het? Bijvoorbeeld 3511 of 3511 AB."
ASK_NEED_COMMITMENT = "Hoe vaak is het? Eenmalig, wekelijks, maandelijks of flexibel?"
COMMITMENT_BUTTONS: tuple[tuple[str, str], ...] = (
    ("Eenmalig", "eenmalig"), ("Wekelijks", "wekelijks"), ("Maandelijks", "maandelijks"), ("Flexibel", "flexibel"),
)
ASK_NEED_EMAIL = "Op welk e-mailadres mogen vrijwilligers en het vrijwilligerscentrum jullie mailen?"
ASK_FORGET = (
    "Wil je echt dat ik alles over jou wis? Dat zijn je naam, je contactgegevens, "
    "je berichten over nieuwe plekken en ons gesprek. Dat kan ik niet terugdraaien."
)
BUTTON_FORGET_YES = "Ja, wis alles"
BUTTON_FORGET_NO = "Nee, toch niet"

# Location.
SHARED_LOCATION_USED = "Dank je. Ik zoek bij de plek die je deelde."
LOCATION_OUTSIDE_NL = "Die plek ligt niet in Nederland. Noem je postcode of woonplaats."
ASK_LOCATION_AGAIN = "Waar woon je? Een postcode of plaats is genoeg."
# "iets anders" while the search form asks something: say what the question is for, then ask it again.
SOMETHING_ELSE_NEEDS_PLACE = (
    "Ik zoek vrijwilligerswerk bij jou in de buurt. Daarvoor moet ik eerst weten waar je woont. "
    "Wil je iets anders? Zeg dan \"stop\"."
)
SOMETHING_ELSE_NONE_OF_THESE = "Geen van deze plekken? Noem dan je postcode. Dan weet ik precies waar je woont."
SOMETHING_ELSE_INTERESTS = (
    "Iets anders mag ook. Zeg in je eigen woorden wat je leuk vindt, bijvoorbeeld muziek, sport of dieren."
)

# Interests.
INTERESTS_UNKNOWN = (
    "Dat ken ik nog niet. Kies iets uit de lijst, of zeg bijvoorbeeld "
    "\"tuin\", \"ouderen\" of \"koken\". \"Maakt niet uit\" mag ook."
)

# Results.
def results_intro(count: int, origin: str) -> str:
    origin = _or(origin, "jou")
    if count == 1:
        return f"Ik vond 1 plek bij {origin} in de buurt."
    return f"Ik vond {count} plekken bij {origin} in de buurt. Dit zijn de beste:"


def results_more_intro(first_number: int) -> str:
    return f"Hier zijn er nog meer, vanaf nummer {first_number}:"


def nothing_nearby(origin: str, radius_km: float) -> str:
    return (
        f"Eerlijk gezegd: binnen {dutch_km(radius_km, 0)} km van {_or(origin, 'jou')} vond ik niets dat past. "
        "Dit is het dichtstbij, wel verder weg:"
    )


def nothing_at_all(origin: str) -> str:
    return (
        f"Sorry, ik vond niets dat past bij {_or(origin, 'jou')}. "
        "Probeer een andere interesse, of zeg \"maakt niet uit\"."
    )


NO_MORE_RESULTS = "Meer heb ik niet. Wil je iets anders zoeken? Zeg dan bijvoorbeeld \"iets met kinderen\"."
NO_SEARCH_YET = "Vertel eerst wat je zoekt en waar je woont. Dan zoek ik iets voor je."
LOCATION_CHOICE_PENDING = "Dat kan straks. Eerst nog even je plaats, anders kan ik niet zoeken. Of zeg \"stop\"."
RESULTS_HINT = (
    "Kies \"Aanmelden\" bij wat je leuk vindt. Je kunt ook zeggen: "
    "\"liever in het weekend\", \"iets anders\" of een andere plaats."
)


def result_card(number: int, title: str, initiative: str, place: str, distance_km: float | None,
                remote: bool, reasons: list[str]) -> str:
    where = "Kan vanuit huis" if remote else place.strip()
    distance = f"({dutch_km(distance_km)} km)" if distance_km is not None and not remote else ""
    by = ", ".join(part for part in (initiative.strip(), where) if part)
    lines = [f"{number}. {_or(title, 'Vrijwilligerswerk')}"]
    if by or distance:
        lines.append(" ".join(part for part in (by, distance) if part))
    lines += [f"- {reason.strip()}" for reason in reasons if reason.strip()]
    return "\n".join(lines)


def opportunity_details(title: str, initiative: str, description: str, place: str, commitment: str,
                        day_parts: list[str], website: str | None) -> str:
    by = ", ".join(part.strip() for part in (initiative, place) if part.strip())
    when = ", ".join(part.strip() for part in (commitment, *day_parts) if part.strip())
    lines = [_or(title, "Vrijwilligerswerk")]
    if by:
        lines.append(f"Van: {by}")
    if when:
        lines.append(f"Wanneer: {when}")
    if description.strip():
        lines += ["", description.strip()]
    if website and website.strip():
        lines += ["", f"Website: {website.strip()}"]
    return "\n".join(lines)


OPPORTUNITY_GONE = "Die plek is er niet meer, of is al vol. Kies een andere uit de lijst."

# Sign-up.
def ask_which_opportunity(count: int) -> str:
    if count <= 1:
        return "Voor welke plek wil je je aanmelden? Tik op \"Aanmelden\" bij de plek die je leuk vindt."
    return f"Voor welke plek wil je je aanmelden? Tik op \"Aanmelden\", of zeg bijvoorbeeld \"de eerste\" (1 tot {count})."


ASK_WHICH_NOTHING_SHOWN = (
    "Je hebt nog geen plekken gezien. Zeg \"stop\", en vertel me dan wat je zoekt en waar je woont."
)
# Signing up before any result was shown: the search comes first, and its question follows.
SIGNUP_NOTHING_SHOWN = "Je hebt nog geen plekken gezien. Eerst zoeken we samen iets dat bij je past."


def ask_which_typed(count: int, first_name: str | None = None, unclear: bool = False, unknown: bool = False,
                    again: bool = False) -> str:
    """Which result to sign up for, after a message that did not make it clear; buttons follow."""
    question = "Voor welke plek wil je je aanmelden? Tik op een knop"
    example = f", of zeg bijvoorbeeld \"de eerste\" (1 tot {count})." if count > 1 else "."
    if again:
        return f"Sorry, ik weet nog niet welke je bedoelt. {question}."
    if unclear:
        return f"Daar passen er meer bij. {question}."
    if unknown:
        return f"Die zie ik niet in de lijst. {question}, of vertel wat je anders zoekt."
    name = (first_name or "").strip()
    if name:
        return f"Fijn, {name}! {question}{example}"
    return f"{question}{example}"


CHOICE_NOT_FOUND = (
    "Ik weet niet welke plek je bedoelt. Tik op een plek om je aan te melden. "
    "Of vertel wat je anders zoekt: een andere plaats, of iets anders om te doen."
)
CHOICE_NOT_FOUND_AGAIN = (
    "Ik snap nog niet welke plek je bedoelt. Tik op een knop, of zeg \"stop\"."
)
ASK_WHICH_MORE_INFO = "Over welke plek wil je meer weten? Tik op een knop."
DETAILS_AGAIN = "Dit is dezelfde plek als net. Nog een keer:"


def ask_which_more_info(count: int) -> str:
    if count <= 1:
        return "Over welke plek wil je meer weten? Tik op \"Meer info\" bij die plek."
    return f"Over welke plek wil je meer weten? Tik op \"Meer info\", of zeg bijvoorbeeld \"de eerste\" (1 tot {count})."
FIRST_NAME_INVALID = "Dat lijkt me geen voornaam."
# The name question asked again, after one of the reasons above or below ("Leuk!" only the first time).
ASK_FIRST_NAME_AGAIN = "Hoe heet je? Alleen je voornaam is genoeg."
FIRST_NAME_AFTER_YES = "Fijn! Dan heb ik alleen nog je voornaam nodig."


def first_name_is_place(place: str) -> str:
    if not place.strip():
        return FIRST_NAME_INVALID
    return f"{place.strip()} is een plaats. Heet je zo? Zeg dan: \"ik heet {place.strip()}\"."


def _signing_up_for(title: str) -> str:
    which = f" voor \"{title.strip()}\"" if title.strip() else ""
    return f"Je meldt je nu aan{which}."


def signup_goes_on(title: str) -> str:
    """Said when a message asks for something else halfway a sign-up: where we are, and the way out."""
    return f"{_signing_up_for(title)} Wil je iets anders? Zeg dan \"stop\"."


def consent_again(title: str) -> str:
    return f"{_signing_up_for(title)} Ik stuur pas iets door als jij ja zegt."


def contact_none(missing: str) -> str:
    """No e-mail address (or no phone): the other is fine too, and a person can help with neither."""
    other = "een e-mailadres" if missing == "phone" else "een telefoonnummer"
    return (f"Dat geeft niet. {other[0].upper()}{other[1:]} is ook goed. "
            "Heb je allebei niet? Zeg dan \"mens\". Dan helpt iemand van het vrijwilligerscentrum je verder.")


CONTACT_NONE_AGAIN = (
    "Zonder e-mailadres of telefoonnummer kan ik je niet aanmelden. Zeg \"mens\", dan helpt iemand "
    "van het vrijwilligerscentrum je. Of zeg \"stop\"."
)
CONTACT_INVALID = (
    "Dat snap ik niet. Geef een e-mailadres of een telefoonnummer, "
    "bijvoorbeeld sanne@mail.nl of 06 12345678."
)


# In place of a first name or contact the resident has not given (yet).
NOT_GIVEN = "(nog niet gegeven)"


def consent_statement(initiative: str, title: str, contact_kind: str) -> str:
    """The consent as stored with the sign-up: what is shared, with whom, for what (no personal values)."""
    what = "e-mailadres" if contact_kind == "email" else "telefoonnummer"
    about = f", voor \"{title.strip()}\"" if title.strip() else ""
    return (
        f"Ik geef DoeMee toestemming om mijn voornaam en {what} te delen met {_or(initiative, 'het initiatief')}"
        f"{about}. {_or(initiative, 'Het initiatief')} neemt daarmee contact met mij op."
    )


def consent_question(initiative: str, title: str, first_name: str, contact_kind: str, contact: str) -> str:
    what = "E-mailadres" if contact_kind == "email" else "Telefoonnummer"
    lines = [
        f"Dit stuur ik naar {_or(initiative, 'het initiatief')}:",
        f"- Voornaam: {_or(first_name, NOT_GIVEN)}",
        f"- {what}: {_or(contact, NOT_GIVEN)}",
    ]
    if title.strip():
        lines.append(f"Voor: \"{title.strip()}\".")
    lines.append("Ik deel niets anders. Is dat goed?")
    return "\n".join(lines)


def signup_confirmed(title: str, initiative: str, contact_email: str, website: str | None) -> str:
    lines = [
        f"Gelukt! Je bent aangemeld voor \"{title.strip()}\"." if title.strip() else "Gelukt! Je bent aangemeld.",
        f"{_or(initiative, 'Het initiatief')} neemt contact met je op.",
    ]
    if contact_email.strip():
        lines.append(f"Zelf contact opnemen mag ook: {contact_email.strip()}")
    if website and website.strip():
        lines.append(f"Website: {website.strip()}")
    return "\n".join(lines)


def signup_already(title: str, initiative: str, contact_email: str) -> str:
    which = f"voor \"{title.strip()}\"" if title.strip() else "voor deze plek"
    text = f"Je was al aangemeld {which}. Ik stuur het niet nog een keer."
    if contact_email.strip():
        text += f" Contact met {_or(initiative, 'het initiatief')}: {contact_email.strip()}"
    return text


SIGNUP_DECLINED = "Prima. Ik deel niets en je bent niet aangemeld."


def _subject(opening: str, title: str) -> str:
    return f"{opening}: {title.strip()}" if title.strip() else opening


def _dear(name: str) -> str:
    return f"Beste {name.strip()}," if name.strip() else "Hallo,"


def _quoted(title: str) -> str:
    return f" \"{title.strip()}\"" if title.strip() else ""


def signup_notice_subject(title: str) -> str:
    return _subject("Nieuwe aanmelding via DoeMee", title)


def signup_notice_body(initiative: str, title: str, first_name: str, contact: str, manage: str = "") -> str:
    """`manage` is a paragraph for the initiative's manage link (doemee.initiative_messages), or empty."""
    about = f" voor{_quoted(title)}" if title.strip() else ""
    return (
        f"{_dear(initiative)}\n\n"
        f"Via DoeMee heeft iemand zich aangemeld{about}.\n\n"
        f"Voornaam: {_or(first_name, NOT_GIVEN)}\n"
        f"Contact: {_or(contact, NOT_GIVEN)}\n\n"
        "Deze persoon heeft toestemming gegeven om deze gegevens met jullie te delen. "
        "Neem binnen een paar dagen contact op. Gebruik de gegevens alleen hiervoor.\n\n"
        f"{manage}"
        "Groet,\nDoeMee\n"
    )


# Posting a need.
NEED_EMPTY = "Ik kreeg geen antwoord. Probeer het nog een keer."
NEED_BAD_POSTCODE = "Dat is geen postcode. Schrijf vier cijfers, eventueel met twee letters: 3511 of 3511 AB."
NEED_BAD_COMMITMENT = "Kies eenmalig, wekelijks, maandelijks of flexibel."
NEED_BAD_EMAIL = "Dat is geen geldig e-mailadres. Bijvoorbeeld: info@buurttuin.nl"
NEED_UNKNOWN_CATEGORY = (
    "Die soort ken ik niet. Kies bijvoorbeeld groen, ouderen, jeugd, zorg, taal, voedsel, "
    "ontmoeting, sport, cultuur, klussen, vervoer, digitaal, energie of organisatie."
)


def need_too_short(minimum: int) -> str:
    return f"Dat is wat kort. Schrijf minstens {minimum} tekens."


def need_too_long(limit: int) -> str:
    return f"Dat is te lang. Het mag hoogstens {limit} tekens zijn."


def need_unknown_postcode(postcode: str) -> str:
    which = f"Postcode {postcode.strip()}" if postcode.strip() else "Die postcode"
    return f"{which} ken ik niet. Klopt hij?"


def need_saved(title: str, email: str) -> str:
    what = f"\"{title.strip()}\"" if title.strip() else "je oproep"
    via = f"via {email.strip()}" if email.strip() else "per e-mail"
    return (
        f"Dank je! Ik heb {what} opgeslagen. Het is nog niet zichtbaar. "
        "Het vrijwilligerscentrum kijkt er eerst naar. "
        f"Daarna zien inwoners het in DoeMee. Je hoort het {via}."
    )


NEED_NOTED = "Een deel heb ik al uit je bericht gehaald. Ik vraag alleen nog wat ontbreekt."
NEED_FIELD_LABELS: dict[str, str] = {
    "need_initiative": "Initiatief", "need_title": "Titel", "need_description": "Wat de vrijwilliger doet",
    "need_category": "Onderwerp", "need_postcode": "Postcode", "need_commitment": "Hoe vaak",
    "need_email": "E-mailadres",
}
BUTTON_NEED_SAVE = "Ja, opslaan"
BUTTON_NEED_CHANGE = "Nee, iets aanpassen"
ASK_NEED_FIX = "Wat wil je aanpassen? Kies hieronder. Of typ meteen het goede antwoord, bijvoorbeeld een ander e-mailadres."
NEED_FIX_UNCLEAR = "Dat snap ik niet helemaal. Kies wat je wilt aanpassen. Of zeg \"opslaan\" of \"stop\"."
NEED_CONFIRM_AGAIN = "Ik wil eerst weten of ik dit zo mag opslaan."
NEED_NOT_AN_ANSWER: dict[str, str] = {
    "need_initiative": "Dat lijkt me geen naam van een initiatief. Dat past niet bij deze vraag.",
    "need_title": "Dat lijkt me geen titel. Dat past niet bij deze vraag.",
    "need_description": "Dat lijkt me geen uitleg van het werk. Dat past niet bij deze vraag.",
}
NEED_BUSY = (
    "We maken nu samen een oproep voor vrijwilligers. Wil je liever zelf vrijwilligerswerk zoeken? "
    "Zeg dan eerst \"stop\"."
)
NEED_TITLE_SAYS_NOTHING = "Zeg in de titel wat de vrijwilliger doet. Dat mag in een paar woorden."
NEED_ALREADY_POSTING = "Daar zijn we nu mee bezig. Ik heb nog een paar vragen."


def need_place_answer(place: str) -> str:
    named = f"\"{place.strip()}\" is een plaats." if place.strip() else "Dat is een plaats."
    return f"{named} Dat past niet bij deze vraag."


def need_wrong_kind(kind: str, kept: bool) -> str:
    what = kind.strip() or "een ander soort antwoord"
    kept_text = " Ik bewaar het voor de vraag waar het bij hoort." if kept else ""
    return f"Dat lijkt {what}. Dat past niet bij deze vraag.{kept_text}"


def need_summary(labels: list[str], values: list[str]) -> str:
    lines = [f"- {label.strip()}: {value.strip()}" for label, value in zip(labels, values) if label.strip() and value.strip()]
    listed = "\n".join(lines) if lines else "- (nog niets)"
    return f"Klopt dit?\n{listed}\nZal ik het zo opslaan?"


def need_rejected(problems: list[str]) -> str:
    listed = [p.strip() for p in problems if p.strip()]
    if not listed:
        return "Het lukt nog niet om dit op te slaan. Probeer het nog een keer."
    return "Het lukt nog niet om dit op te slaan:\n" + "\n".join(f"- {p}" for p in listed)


# Alerts.
def alerts_subscribed(summary: str) -> str:
    return (
        f"Goed! Komt er iets nieuws bij dat past{_between_brackets(summary)}, dan stuur ik je een bericht. "
        "Hoogstens een keer per dag. Stoppen? Zeg \"stop berichten\"."
    )


def alerts_already(summary: str) -> str:
    return f"Je krijgt al berichten voor deze zoektocht{_between_brackets(summary)}."


ALERTS_NEED_SEARCH = "Vertel eerst wat je zoekt en waar je woont. Dan kan ik je berichten sturen over nieuwe plekken."
ALERTS_STOPPED = "Klaar. Je krijgt geen berichten meer over nieuwe plekken."
ALERTS_NONE = "Je kreeg van mij geen berichten over nieuwe plekken. Er is dus niets te stoppen."


def _between_brackets(text: str) -> str:
    return f" ({text.strip()})" if text.strip() else ""


def alert_summary(interest_labels: list[str], origin: str, radius_km: float) -> str:
    what = ", ".join(label.strip() for label in interest_labels if label.strip()) or "alles"
    return f"{what}, binnen {dutch_km(radius_km, 0)} km van {_or(origin, 'jou')}"


def alert_intro(count: int) -> str:
    if count == 1:
        return "Er is een nieuwe plek die bij je past:"
    return f"Er zijn {count} nieuwe plekken die bij je passen:"


# Forgetting.
FORGET_CANCELLED = "Goed, ik wis niets."
FORGET_ASK_AGAIN = "Dat vraag ik je net. Zeg \"ja\" als ik alles mag wissen, of \"nee\" als ik niets moet wissen."
FORGOTTEN = (
    "Klaar. Ik heb alles over jou gewist: je naam, je contactgegevens, je berichten-abonnement "
    "en ons gesprek. Initiatieven waar je je aanmeldde zien alleen nog dat er iemand was."
)

# Talking to a person, fallback.
def handoff(contact: str) -> str:
    return f"Je kunt een mens spreken bij {_or(contact, 'het vrijwilligerscentrum bij jou in de buurt')}. Zij helpen je graag verder."


FALLBACK_FIRST = "Dat snap ik niet helemaal. Kun je het anders zeggen? Kort is prima."
FALLBACK_SECOND = (
    "Sorry, ik begrijp je nog steeds niet. Ik kan vrijwilligerswerk bij jou in de buurt zoeken. "
    "Kies hieronder wat je wilt doen."
)
FALLBACK_BUTTON_SEARCH = "Vrijwilligerswerk zoeken"
FALLBACK_BUTTON_HELP = "Wat kun jij?"
FALLBACK_BUTTON_HUMAN = "Een mens spreken"



# --- Telegram channel and alerts (bot/telegram) ------------------------------

TELEGRAM_SHARE_LOCATION = "Deel locatie"
TELEGRAM_LOCATION_PLACEHOLDER = "Typ je postcode of deel je locatie"
TELEGRAM_ASK_LOCATION = "Je kunt ook je locatie delen. Gebruik de knop hieronder."
TELEGRAM_CHOOSE = "Kies hieronder:"
TELEGRAM_OUTAGE = "Sorry, het lukt me nu even niet om te antwoorden. Probeer het zo nog eens."
TELEGRAM_BUTTON_EXPIRED = "Deze knop werkt niet meer. Typ je vraag opnieuw, of stuur /start om opnieuw te beginnen."
TELEGRAM_ONLY_TEXT = "Ik kan alleen tekst en een gedeelde locatie lezen. Typ je vraag maar."
TELEGRAM_UNKNOWN_COMMAND = (
    "Dat commando ken ik niet. Je kunt kiezen uit /start, /help, /stop en /vergeetmij. "
    "Of typ gewoon je vraag."
)
TELEGRAM_ERROR = "Sorry, er ging iets mis. Probeer het nog eens."
TELEGRAM_COMMANDS: dict = {
    "start": "Begin een gesprek",
    "help": "Wat kan DoeMee voor je doen?",
    "stop": "Stop de meldingen over nieuwe plekken",
    "vergeetmij": "Wis alles wat DoeMee van je weet",
    "privacy": "Wat DoeMee met je gegevens doet",
}
TELEGRAM_ALERTS_STOPPED = "Je krijgt geen meldingen meer. Wil je ze later toch weer? Zoek iets en vraag om meldingen."
TELEGRAM_STOP_ALERTS = "Stop meldingen"


def telegram_alert(matches: Sequence[Match]) -> str:
    """The daily alert."""
    if len(matches) == 1:
        opening = "Er is iets nieuws voor jou bij DoeMee:"
    else:
        opening = f"Er zijn {len(matches)} nieuwe plekken voor jou bij DoeMee:"
    return _news(opening, matches, "\nWil je meedoen? Kies hieronder. Je krijgt hooguit één bericht per dag.")


# --- moderation and demand (doemee/moderation.py, doemee/demand.py) ---------

_STATUS_WORDS = {
    "open": "al open", "paused": "gepauzeerd", "filled": "al vol", "closed": "gesloten", "concept": "een concept",
}


def moderation_unknown_id(opportunity_id: int) -> str:
    return f"Oproep {opportunity_id} bestaat niet. Kijk met doemee concepts welke oproepen wachten."


def moderation_not_a_concept(opportunity_id: int, status: str) -> str:
    state = _STATUS_WORDS.get(status) or status.strip()
    if not state:
        return f"Oproep {opportunity_id} wacht niet op controle."
    return f"Oproep {opportunity_id} wacht niet op controle: hij is {state}."


def moderation_reason_too_long(limit: int, length: int) -> str:
    return f"De reden is te lang ({length} tekens). Hoogstens {limit} tekens."


CLI_CONCEPTS_NONE = "Er wachten geen oproepen op controle."


def cli_concepts_header(count: int) -> str:
    if count == 1:
        return "Er wacht 1 oproep op controle:"
    return f"Er wachten {count} oproepen op controle. De oudste eerst:"


def cli_concept_lines(
    opportunity_id: int, title: str, initiative: str, category_label: str, place: str, postcode: str,
    time_commitment: str, created_at, contact_email: str, description: str,
) -> list[str]:
    head = f"#{opportunity_id} {_or(title, '(zonder titel)')}"
    if initiative.strip():
        head += f" – {initiative.strip()}"
    where = " ".join(part for part in (place.strip(), f"({postcode.strip()})" if postcode.strip() else "") if part)
    facts = " · ".join(part for part in (category_label.strip(), where, time_commitment.strip()) if part)
    placed = f"Geplaatst op {dutch_date(created_at)}"
    if contact_email.strip():
        placed += f" · contact: {contact_email.strip()}"
    lines = [head] + ([f"    {facts}"] if facts else []) + [f"    {placed}"]
    return lines + ([f"    {description.strip()}"] if description.strip() else [])


CLI_CONCEPTS_HINT = "Goedkeuren: doemee approve NUMMER. Afwijzen: doemee reject NUMMER --reason \"...\"."


def cli_approved(opportunity_id: int, title: str, status: str) -> str:
    named = f"Oproep {opportunity_id}" + (f" ({_quoted(title).strip()})" if title.strip() else "")
    if status == "open":
        return f"{named} is goedgekeurd. Inwoners kunnen hem nu vinden."
    return f"{named} is goedgekeurd, maar de einddatum is voorbij. Hij blijft gesloten."


def cli_rejected(opportunity_id: int, title: str) -> str:
    named = f"Oproep {opportunity_id}" + (f" ({_quoted(title).strip()})" if title.strip() else "")
    return f"{named} is afgewezen. Inwoners zien hem niet."


def cli_notice_queued(email: str) -> str:
    to = f" aan {email.strip()}" if email.strip() else ""
    return f"De e-mail{to} staat klaar en gaat zo weg. In het portaal zie je hem onder Post."


def moderation_approved_subject(title: str) -> str:
    return _subject("Je oproep staat in DoeMee", title)


def moderation_approved_body(initiative: str, title: str) -> str:
    return (
        f"{_dear(initiative)}\n\n"
        f"Het vrijwilligerscentrum heeft je oproep{_quoted(title)} bekeken. Hij staat nu in DoeMee. "
        "Inwoners kunnen hem vinden als ze in de chat zoeken.\n\n"
        "Meldt iemand zich aan? Dan krijg je een e-mail met de voornaam en het contact van die persoon.\n\n"
        "Groet,\nDoeMee\n"
    )


def moderation_rejected_subject(title: str) -> str:
    return _subject("Je oproep staat niet in DoeMee", title)


def moderation_rejected_body(initiative: str, title: str, reason: str | None, contact: str) -> str:
    why = f"De reden: {reason.strip()}\n\n" if reason and reason.strip() else ""
    return (
        f"{_dear(initiative)}\n\n"
        f"Het vrijwilligerscentrum heeft je oproep{_quoted(title)} bekeken. We zetten hem niet in DoeMee.\n\n"
        f"{why}"
        f"Heb je vragen, of wil je het samen nog eens bekijken? Neem contact op met {_or(contact, 'het vrijwilligerscentrum')}.\n\n"
        "Groet,\nDoeMee\n"
    )


def cli_bad_date(value: str) -> str:
    return f"'{_shown(value)}' is geen datum. Schrijf JJJJ-MM-DD, bijvoorbeeld 2025-01-31"


def cli_future_date(value: str) -> str:
    day = _shown(value) if value.strip() else "Die dag"
    return f"{day} ligt in de toekomst. Kies een dag van vandaag of eerder"


def cli_unknown_municipality(value: str) -> str:
    return f"'{_shown(value)}' ken ik niet als gemeente. Geef de naam of de CBS-code, bijvoorbeeld Utrecht of 0344."


def cli_did_you_mean_municipality(value: str, name: str, municipality: str) -> str:
    if not name.strip():
        return cli_unknown_municipality(value)
    meant = name if not municipality.strip() or name == municipality else f"{name} (gemeente {municipality})"
    return f"'{_shown(value)}' ken ik niet als gemeente. Bedoel je {meant}?"


def cli_ambiguous_municipality(value: str, municipalities: list[str]) -> str:
    listed = ", ".join(m.strip() for m in municipalities if m.strip())
    options = f": {listed}" if listed else ""
    return f"'{_shown(value)}' kan in meer gemeenten liggen{options}. Geef de CBS-code."


DEMAND_ANY_CATEGORY = "(alles)"
DEMAND_UNKNOWN_MUNICIPALITY = "(onbekend)"
DEMAND_COLUMNS = ("Gemeente", "Interesse", "Zoekvragen", "Niets gevonden", "Aandeel", "Open plekken")


def cli_demand_header(since, municipality: str | None, searches: int, unmet: int) -> str:
    where = f" in {municipality}" if municipality else ""
    zoekvragen = "1 zoekvraag" if searches == 1 else f"{searches} zoekvragen"
    return f"Sinds {dutch_date(since)}{where}: {zoekvragen}, waarvan {unmet} zonder plek binnen de straal."


def cli_demand_none(since, municipality: str | None) -> str:
    where = f" in {municipality}" if municipality else ""
    return f"Sinds {dutch_date(since)}{where} heeft niemand gezocht."


def cli_demand_share(share: float) -> str:
    return f"{share * 100:.0f}%"


CLI_DEMAND_NOTE = (
    "Niets gevonden: geen open plek binnen de straal van de zoeker. "
    "Een zoekvraag met meer interesses telt bij elke interesse mee."
)


# --- make run: the process supervisor (scripts/stack.py) ---------------------
# Operator console lines. They name a service and how it stopped, never what
# anyone wrote.

SUPERVISOR_SERVICES = {
    "actions": "De actieserver",
    "rasa": "Rasa",
    "gateway": "De webgateway",
    "telegram": "De Telegram-bot",
}
SUPERVISOR_EXIT_CODE = "exitcode {code}"
SUPERVISOR_SIGNAL = "signaal {name}"
SUPERVISOR_STOPPED = "{service} is gestopt ({how}). Opnieuw starten over {delay:g} s."
SUPERVISOR_NOT_HEALTHY = "{service} kwam niet op tijd op gang. Opnieuw starten over {delay:g} s."
SUPERVISOR_NOT_LAUNCHED = "{service} kon niet starten ({error}). Opnieuw proberen over {delay:g} s."
SUPERVISOR_RESTARTING = "{service} wordt opnieuw gestart."
SUPERVISOR_BACK = "{service} draait weer."


def supervisor_service(name: str) -> str:
    """"rasa-2" (make run-cluster's second instance) reads "Rasa 2"."""
    kind, _, number = name.partition("-")
    if number.isdigit() and kind in SUPERVISOR_SERVICES:
        return f"{SUPERVISOR_SERVICES[kind]} {number}"
    return SUPERVISOR_SERVICES.get(name) or name.strip() or "Een onderdeel van DoeMee"


# --- alerts by email (doemee/email_alerts.py, actions/alerts.py, bot/web/alert_pages.py)
# The address is echoed back in the chat so a typo shows; it never goes into a log.

ASK_ALERT_EMAIL = (
    "Ik kan je een mail sturen als er iets nieuws bij komt. Wat is je e-mailadres? "
    "Ik gebruik het alleen voor die mails. Liever niet? Zeg dan \"stop\"."
)
ALERT_EMAIL_INVALID = "Dat lijkt geen e-mailadres. Typ het zo: naam@voorbeeld.nl. Of zeg \"stop\"."


def email_alerts_consent(summary: str) -> str:
    """The consent as stored with the address: what the resident asked for, and on which terms (no address)."""
    return (
        f"Ik wil een mail krijgen over nieuw vrijwilligerswerk{_between_brackets(summary)}. "
        "DoeMee gebruikt mijn e-mailadres alleen daarvoor. Ik bevestig eerst met de link in een mail. "
        "Afmelden kan in elke mail."
    )


def _address(address: str) -> str:
    return _shown(address.strip(), 60) if address.strip() else "je e-mailadres"


def email_alerts_mail_coming(address: str, days: int) -> str:
    return (
        f"Ik stuur je nu een mail op {_address(address)}. Klik op de link in die mail. "
        f"Pas daarna krijg je mail over nieuwe plekken, hooguit één per dag. De link werkt {days} dagen. "
        "Geen mail gekregen? Kijk ook bij je ongewenste mail."
    )


def email_alerts_mail_sent_recently(address: str) -> str:
    return (
        f"Ik heb net al een mail gestuurd naar {_address(address)}. Klik op de link in die mail. "
        "Kijk ook bij je ongewenste mail."
    )


def email_alerts_confirmed(address: str, summary: str) -> str:
    return (
        f"Goed! Je hebt {_address(address)} al eerder bevestigd. Komt er iets nieuws bij dat past"
        f"{_between_brackets(summary)}, dan krijg je een mail. Hooguit één per dag."
    )


def email_alerts_already(address: str, summary: str) -> str:
    return f"Je krijgt voor deze zoektocht{_between_brackets(summary)} al mail op {_address(address)}."


EMAIL_CONFIRM_SUBJECT = "Bevestig: mail over nieuw vrijwilligerswerk"


def email_confirm_body(summary: str, link: str, days: int) -> str:
    if link.strip():
        ask = f"Klopt dat? Open dan deze link en klik op de knop:\n{link.strip()}\n\nDe link werkt {days} dagen."
    else:
        ask = "Klopt dat? Vraag dan in de chat opnieuw om mail. Dan krijg je een nieuwe link."
    return (
        "Hoi!\n\n"
        f"Je vroeg DoeMee om een mail als er nieuw vrijwilligerswerk is{_between_brackets(summary)}.\n\n"
        f"{ask} Doe je niets, dan krijg je geen mail van ons en wissen we je adres.\n"
        "Heb jij dit niet gevraagd? Dan hoef je niets te doen.\n\n"
        "Groet,\nDoeMee\n"
    )


def email_alert_subject(count: int) -> str:
    if count == 1:
        return "Nieuw vrijwilligerswerk bij jou in de buurt"
    return f"{count} nieuwe plekken voor vrijwilligerswerk bij jou in de buurt"


def email_alert_body(matches: Sequence[Match], links: Sequence[str], unsubscribe_link: str) -> str:
    """The daily alert mail: one entry per new opportunity with a link to read more, then how to stop."""
    blocks = [alert_intro(len(matches))]
    for match, link in zip(matches, links):
        view = match.opportunity
        more = f"\n  Lees meer: {link.strip()}" if link.strip() else ""
        blocks.append(f"- {view.title}\n  {view.initiative} ({_where(match)}){more}")
    blocks.append(
        "Meedoen? Vraag het aan de chat op de website. Die helpt je met aanmelden.\n"
        "Je krijgt hooguit één mail per dag."
    )
    if unsubscribe_link.strip():
        blocks.append(f"Geen mail meer? Meld je af met deze link:\n{unsubscribe_link.strip()}")
    else:
        blocks.append("Geen mail meer? Zeg \"stop berichten\" in de chat.")
    blocks.append("Groet,\nDoeMee")
    return "\n\n".join(blocks) + "\n"


# The pages behind the links in the mails.
ALERT_PAGE_TITLE = "Mail over nieuw vrijwilligerswerk"
ALERT_PAGE_HOME = "Naar DoeMee"
ALERT_CONFIRM_QUESTION = (
    "Wil je een mail krijgen als er nieuw vrijwilligerswerk bij jou in de buurt is? Klik dan op de knop."
)
ALERT_CONFIRM_BUTTON = "Ja, stuur me mail"
ALERT_CONFIRMED = (
    "Gelukt! Je krijgt een mail als er iets nieuws is. Hooguit één per dag. "
    "Afmelden kan onderaan elke mail."
)
ALERT_CONFIRMED_BEFORE = "Dit had je al bevestigd. Je krijgt een mail als er iets nieuws is."
ALERT_LINK_EXPIRED = "Deze link is verlopen. Vraag in de chat opnieuw om mail. Dan krijg je een nieuwe link."
ALERT_LINK_INVALID = (
    "Deze link klopt niet. Misschien is hij niet helemaal meegekomen. "
    "Kopieer de hele link uit de mail. Of vraag in de chat opnieuw om mail."
)
ALERT_LINK_GONE = (
    "Deze link werkt niet meer. Misschien heb je je al afgemeld, of een ander adres gegeven. "
    "Vraag in de chat opnieuw om mail als je dat wilt."
)
ALERT_UNSUBSCRIBE_QUESTION = "Wil je geen mail meer over nieuw vrijwilligerswerk? Klik dan op de knop."
ALERT_UNSUBSCRIBE_BUTTON = "Afmelden"
ALERT_UNSUBSCRIBED = "Je bent afgemeld. Je krijgt geen mail meer van ons. Je e-mailadres voor deze mails is gewist."
ALERT_UNSUBSCRIBED_BEFORE = "Je bent al afgemeld. Je krijgt geen mail meer van ons."
ALERT_PAGE_BUSY = "Het lukt nu even niet. Probeer het over een paar minuten nog eens."


# --- centres (doemee/centres.py, doemee/centre_sync.py, the command line) -----
# centres.yml problems, for `doemee centres-sync` (the gateway logs them in English).
CENTRE_BAD_SLUG = "de naam van het centrum (slug) mag alleen a-z, 0-9 en '-' bevatten."
CENTRE_NOT_A_MAPPING = "hier horen de instellingen van het centrum (name, colours, municipalities, ...)."
CENTRE_BAD_COLOUR = "colours heeft primary en text_on_primary nodig, elk als #rrggbb."
CENTRES_NONE = "Er staat nog geen centrum in de database. Zet ze erin met: bin/doemee centres-sync"


def centres_unreadable(path: str) -> str:
    return f"Ik kan {_centres_file(path)} niet lezen. Bestaat het bestand, en is het goede YAML?"


def _centres_file(path: str) -> str:
    return path.strip() or "het centrabestand"


def centres_empty(path: str) -> str:
    return f"In {_centres_file(path)} staat geen centrum. Zet ze onder 'centres:'."


def centre_invalid(path: str, slug: str, reason: str) -> str:
    which = f"centrum '{_shown(slug)}'" if slug.strip() else "een centrum"
    return f"{_centres_file(path)[:1].upper()}{_centres_file(path)[1:]}, {which}: {reason.strip() or 'klopt niet.'}"


def centre_low_contrast(ratio: float, needed: float) -> str:
    return f"text_on_primary op primary heeft een contrast van {ratio:.2f}. Dat moet minstens {needed} zijn."


def centre_too_light(needed: float) -> str:
    return f"primary is te licht naast wit. Het contrast moet minstens {needed}:1 zijn."


def centre_bad_codes(codes: list[str]) -> str:
    shown = ", ".join(_shown(c) for c in codes if str(c).strip())
    return "municipalities moeten CBS-codes van vier cijfers zijn" + (f", niet: {shown}." if shown else ".")


def centre_missing(key: str) -> str:
    return f"'{key}' ontbreekt of is leeg."


def centre_bad_origins(origins: list[object]) -> str:
    shown = ", ".join(_shown(str(o)) for o in origins if str(o).strip())
    return "origins moeten websites zijn zoals https://voorbeeld.nl (zonder pad)" + (f", niet: {shown}." if shown else ".")


def centre_unknown(slug: str, known: list[str]) -> str:
    choose = f" Kies uit: {', '.join(known)}." if known else " Er staat nog geen centrum in de database."
    return f"Centrum '{_shown(slug)}' ken ik niet.{choose}"


def centres_synced(new: int, updated: int, removed: int) -> str:
    return f"Centra bijgewerkt: {new} nieuw, {updated} bijgewerkt, {removed} weggehaald."


def centre_kept(slug: str, opportunities: int) -> str:
    plekken = "vrijwilligersplek" if opportunities == 1 else "vrijwilligersplekken"
    return (
        f"Centrum '{_shown(slug)}' staat niet meer in het bestand, maar heeft nog {opportunities} {plekken}. "
        "Ik laat het staan."
    )


def centre_overlap(code: str, slugs: list[str]) -> str:
    named = [s.strip() for s in slugs if s.strip()]
    where = f"gemeente {code.strip()}" if code.strip() else "een gemeente"
    if not named:
        return f"Let op: {where} hoort bij meer dan één centrum."
    return f"Let op: {where} hoort bij meer dan één centrum ({', '.join(named)}). Wat daar binnenkomt, gaat naar {named[0]}."


# --- centre portal: vacancies and figures (doemee/vacancies.py, doemee/centre_stats.py)
# For the staff of a volunteer centre. Field problems sit beside the field, so
# they need no field name; the import's FIELD_* and bad_* texts are reused.

VACANCY_NOT_FOUND = "Deze vacature bestaat niet (meer)."
VACANCY_CHOOSE_CENTRE = "Kies voor welk centrum deze vacature is."
VACANCY_DATE_PAST = "Deze datum is al voorbij. Kies vandaag of een dag later."
VACANCY_BAD_REMOTE = "Kies ja of nee."
VACANCY_SHARED_WEBSITE = (
    "Dit initiatief heeft ook vacatures bij een ander centrum. Laat de website leeg of zoals hij was; "
    "vraag DoeMee als hij echt anders moet."
)
VACANCY_EXPIRED = "Deze vacature is verlopen. Verleng hem, dan staat hij weer open."
VACANCY_CONCEPT = "Deze vacature is nog een concept. Keur hem eerst goed bij de oproepen die op controle wachten."
VACANCY_STATUS_LABELS = {
    "concept": "Concept", "open": "Open", "paused": "Gepauzeerd", "filled": "Vol", "closed": "Gesloten",
}
_VACANCY_STATES = {"open": "open", "paused": "gepauzeerd", "filled": "vol", "closed": "gesloten"}
_VACANCY_VERBS = {
    "pause": "pauzeren", "resume": "weer openzetten", "fill": "op vol zetten", "close": "sluiten", "renew": "verlengen",
}
_VACANCY_ALREADY = {
    ("pause", "paused"): "Deze vacature is al gepauzeerd.",
    ("resume", "open"): "Deze vacature staat al open.",
    ("fill", "filled"): "Deze vacature staat al op vol.",
    ("close", "closed"): "Deze vacature is al gesloten.",
    ("resume", "closed"): "Deze vacature is gesloten. Verleng hem om hem weer open te zetten.",
}


def vacancy_refused(action: str, status: str) -> str:
    """Why a button did nothing, for a vacancy in `status`."""
    if status == "concept":
        return VACANCY_CONCEPT
    if (action, status) in _VACANCY_ALREADY:
        return _VACANCY_ALREADY[(action, status)]
    verb = _VACANCY_VERBS.get(action, "veranderen")
    state = _VACANCY_STATES.get(status)
    return f"Je kunt deze vacature nu niet {verb}: hij is {state}." if state else f"Je kunt deze vacature nu niet {verb}."


def dutch_percent(share: float) -> str:
    return f"{round(share * 100)}%"


STATS_ANY_INTEREST = "alles"
STATS_WEEKLY_COLUMNS = ("week", "begint op", "zoekvragen", "zonder plek in de buurt", "aanmeldingen", "conversie")
STATS_DEMAND_COLUMNS = (
    "gemeente", "cbs-code", "interesse", "zoekvragen", "zonder plek in de buurt", "aandeel zonder plek", "open vacatures",
)
STATS_MUNICIPALITY_COLUMNS = (
    "gemeente", "cbs-code", "zoekvragen", "zonder plek in de buurt", "aandeel zonder plek", "open vacatures",
)
MAP_TITLE = "Kaart van de regio: zoekvragen per gemeente"
MAP_EMPTY = "Nog geen zoekvragen in deze regio."
MAP_EMPTY_DESC = "Er is nog niets te tekenen: in deze periode heeft niemand in de regio gezocht."


def map_description(municipalities: int, searches: int, unmet: int, since: date) -> str:
    gemeenten = "1 gemeente" if municipalities == 1 else f"{municipalities} gemeenten"
    return (
        f"{gemeenten} sinds {dutch_date(since)}, met samen {map_counts(searches, unmet)}. "
        "Hoe groter de cirkel, hoe meer zoekvragen. Hoe donkerder, hoe vaker er geen plek in de buurt was."
    )


def map_counts(searches: int, unmet: int) -> str:
    vragen = "1 zoekvraag" if searches == 1 else f"{searches} zoekvragen"
    if not searches:
        return vragen
    return f"{vragen}, waarvan {unmet} zonder plek in de buurt ({dutch_percent(unmet / searches)})"


def map_circle_title(name: str, searches: int, unmet: int) -> str:
    return f"{_or(name, 'Onbekende gemeente')}: {map_counts(searches, unmet)}"


# --- Leaving a question for the centre (doemee/handoff.py, actions/handoff.py) ----

ANSWER_WITHIN = "binnen 2 werkdagen"
QUESTION_EMPTY = "Ik zie nog geen vraag. Typ je vraag in een paar zinnen."
QUESTION_TOO_LONG = "Je vraag is te lang voor mij. Maak hem korter: hoogstens 500 tekens."
QUESTION_BAD_CHARACTERS = "Er staan tekens in je vraag die ik niet kan bewaren. Typ je vraag opnieuw, met gewone letters."
QUESTION_NO_CONTACT = "Ik heb een e-mailadres of telefoonnummer nodig, anders kan niemand je antwoorden."
QUESTION_NAME_INVALID = "Die naam kan ik niet bewaren."
QUESTION_NO_CENTRE = (
    "Ik weet niet welk vrijwilligerscentrum bij jou hoort. Vertel eerst waar je woont, "
    "of neem zelf contact op met het centrum."
)
QUESTION_NOT_STORED = "Sorry, het lukt me nu niet om je vraag te bewaren. Probeer het later nog eens."
QUESTION_CANCELLED = "Goed, ik stuur niets door. Je vraag is niet bewaard."
QUESTION_OFFER_BUTTON = "Stel je vraag"
ASK_QUESTION_TEXT = "Wat is je vraag? Typ hem hier in een paar zinnen. Stoppen kan altijd: zeg \"stop\"."
ASK_QUESTION_TEXT_AGAIN = "Typ je vraag maar. Of zeg \"stop\" als je toch geen vraag wilt stellen."
ASK_QUESTION_CONTACT = (
    "Hoe kan het vrijwilligerscentrum je bereiken? Typ je e-mailadres of je telefoonnummer. "
    "Heb je dat niet? Zeg dan \"heb ik niet\"."
)
QUESTION_CONTACT_INVALID = (
    "Dat snap ik niet. Typ een e-mailadres of een telefoonnummer, bijvoorbeeld sanne@mail.nl of 06 12345678."
)
QUESTION_CONTACT_NONE_AGAIN = (
    "Zonder e-mailadres of telefoonnummer kan niemand je antwoorden. Zeg \"stop\" en neem zelf contact op "
    "met het vrijwilligerscentrum: hun gegevens staan hierboven."
)
QUESTION_TOO_SHORT = "Dat is te weinig om door te sturen. Schrijf je vraag in een paar woorden."
QUESTION_ASK_YES_NO = "Zeg \"ja\" als ik je vraag mag doorsturen, of \"nee\" als ik niets moet doorsturen."


def question_contact_none(missing: str) -> str:
    """No e-mail address (or no phone): the other is fine too, and without either the centre cannot answer."""
    other = "een e-mailadres" if missing == "phone" else "een telefoonnummer"
    return (f"Dat geeft niet. {other[0].upper()}{other[1:]} is ook goed. Heb je allebei niet? "
            "Zeg dan \"stop\" en neem zelf contact op met het vrijwilligerscentrum: hun gegevens staan hierboven.")


def question_offer(centre: str) -> str:
    return (f"Kun je nu niet bellen of mailen? Laat dan hier je vraag achter. "
            f"Dan neemt {_or(centre, 'het vrijwilligerscentrum')} contact met je op.")


def question_consent(centre: str, kind: str, value: str, first_name: str | None = None) -> str:
    what = "je e-mailadres" if kind == "email" else "je telefoonnummer"
    if value:
        what = f"{what} ({value})"
    shared = f"je vraag, je naam ({first_name}) en {what}" if first_name else f"je vraag en {what}"
    return f"Ik stuur {shared} naar {_or(centre, 'het vrijwilligerscentrum')}. Is dat goed?"


def question_stored(centre: str, within: str, kind: str) -> str:
    how = "mailt" if kind == "email" else "belt of appt"
    centre = _or(centre, "het vrijwilligerscentrum")
    when = f" {within}" if within else ""
    return f"Dank je! Je vraag is verstuurd naar {centre}. Iemand van {centre} {how} je{when}."


# --- follow-up of a sign-up: "heeft het initiatief contact met je opgenomen?" (doemee.followup) ----

FOLLOWUP_YES = "Ja"
FOLLOWUP_NO = "Nee"
FOLLOWUP_NOT_NEEDED = "Niet meer nodig"
FOLLOWUP_UNKNOWN = "Die vraag kan ik niet meer vinden. Misschien heb je al geantwoord. Je kunt me gewoon iets vragen."
FOLLOWUP_PAGE_TITLE = "Je aanmelding"
FOLLOWUP_SEND_BUTTON = "Verstuur mijn antwoord"
FOLLOWUP_LINK_EXPIRED = "Deze link is te oud. Heb je nog een vraag? Stel hem in de chat van DoeMee."
FOLLOWUP_LINK_INVALID = (
    "Deze link werkt niet. Misschien is hij niet helemaal gekopieerd. Klik op de link in de mail, "
    "of stel je vraag in de chat van DoeMee."
)
FOLLOWUP_BUSY = "Dat lukt nu even niet. Probeer het over een paar minuten opnieuw."


def _for_listing(title: str) -> str:
    return f" voor{_quoted(title)}" if title.strip() else ""


def followup_question(initiative: str, title: str, signed_up_on: date) -> str:
    who = _or(initiative, "het initiatief")
    return (f"Je meldde je op {dutch_date(signed_up_on)} aan{_for_listing(title)}. "
            f"Heeft {who} contact met je opgenomen?")


def followup_confirm(title: str, choice: str) -> str:
    return (f"Je aanmelding{_for_listing(title)}. Je antwoord: {_or(choice, FOLLOWUP_NO)}. "
            "Klopt dat? Druk dan op de knop.")


def followup_thanks(initiative: str) -> str:
    return f"Fijn! Veel plezier bij {_or(initiative, 'het initiatief')}."


def followup_not_contacted(initiative: str, email: str, website: str | None, alternatives: Sequence[str]) -> str:
    """The initiative's contact again, and up to two other places ("Titel bij Initiatief, Plaats")."""
    who = _or(initiative, "het initiatief")
    lines = [
        "Wat jammer. Ik geef het door aan het vrijwilligerscentrum.",
        f"Je kunt {who} ook zelf mailen: {email}." if email.strip() else "",
        f"Of kijk op hun website: {website}" if website and website.strip() else "",
    ]
    text = "\n".join(line for line in lines if line)
    if alternatives:
        return text + "\n\nMisschien past dit ook bij je:\n" + "\n".join(f"- {item}" for item in alternatives)
    return text + "\n\nIk vond nu geen andere plekken in de buurt. Vraag me gerust om verder te zoeken."


def followup_alternative(title: str, initiative: str, place: str) -> str:
    what = f"{_or(title, 'Vrijwilligerswerk')} bij {_or(initiative, 'een initiatief')}"
    return f"{what}, {place.strip()}" if place.strip() else what


def followup_withdrawn(initiative: str, title: str) -> str:
    return (f"Goed, je aanmelding{_for_listing(title)} is gestopt. "
            f"Ik laat het {_or(initiative, 'het initiatief')} weten.")


def followup_mail_subject(initiative: str) -> str:
    return f"Heeft {_or(initiative, 'het initiatief')} contact met je opgenomen?"


def followup_mail_body(
    first_name: str | None, initiative: str, title: str, signed_up_on: date,
    yes_link: str, no_link: str, not_needed_link: str,
) -> str:
    hello = f"Hallo {first_name.strip()}," if first_name and first_name.strip() else "Hallo,"
    links = [(FOLLOWUP_YES, yes_link), (FOLLOWUP_NO, no_link), (FOLLOWUP_NOT_NEEDED, not_needed_link)]
    choices = "".join(f"{label}: {link.strip()}\n\n" for label, link in links if link.strip())
    return (
        f"{hello}\n\n"
        f"{followup_question(initiative, title, signed_up_on)}\n"
        "Klik op je antwoord:\n\n"
        f"{choices}"
        "Zeg je nee? Dan helpt het vrijwilligerscentrum je verder.\n\n"
        "Groet,\nDoeMee\n"
    )


# --- Withdrawing a sign-up in the chat (actions/withdraw.py) -------------------------------------

WITHDRAW_NONE = (
    "Ik zie geen aanmelding van jou die nog loopt. Heb je je via een ander kanaal aangemeld? "
    "Neem dan zelf contact op met het initiatief."
)
WITHDRAW_WHICH = "Voor welke aanmelding wil je je afmelden? Kies hieronder."
WITHDRAW_UNKNOWN = "Die aanmelding vind ik niet bij jou. Kies er een uit de lijst."
WITHDRAW_KEPT = "Goed, je aanmelding blijft staan."
WITHDRAW_GONE = "Die aanmelding loopt niet meer. Er is niets veranderd."
WITHDRAW_YES_OR_NO = "Zeg \"ja\" om je af te melden, of \"nee\" om het zo te laten."
BUTTON_WITHDRAW_YES = "Ja, afmelden"
BUTTON_WITHDRAW_NO = "Nee, laat staan"


def withdraw_confirm(title: str, initiative: str) -> str:
    return (f"Wil je je afmelden{_for_listing(title)} bij {_or(initiative, 'het initiatief')}? "
            "Dan laat ik het initiatief weten dat het niet meer nodig is.")


def withdraw_button(title: str, initiative: str) -> str:
    return f"{_or(title, 'Aanmelding')} ({_or(initiative, 'initiatief')})"[:64]

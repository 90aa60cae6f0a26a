"""Dutch for operators: `doemee backup`, `doemee restore` and the scheduled data-protection jobs (`retention`).

Each line says what happened and what to do next; a tool's own error
text is shown only with DOEMEE_DEBUG=1, as it may hold a host name.
"""

from __future__ import annotations

from datetime import date

from doemee.messages import dutch_date

CLI_HELP_NL = {
    "backup": "maak een complete kopie van de database in een bestand",
    "backup.description": (
        "Schrijft een kopie van de hele database naar FILE. Dat kan terwijl DoeMee draait: "
        "de kopie is van één moment. SQLite wordt gekopieerd met de back-up-functie van SQLite, "
        "PostgreSQL met pg_dump. Een bestaand bestand wordt pas vervangen als de nieuwe kopie klaar is."
    ),
    "backup.file": "waar de kopie heen moet",
    "restore": "zet de database terug uit een kopie van doemee backup",
    "restore.description": (
        "Vervangt de hele database door de kopie in FILE en werkt die daarna bij naar de nieuwste versie. "
        "Stop DoeMee eerst. Lukt het terugzetten niet, dan blijft de database zoals hij was."
    ),
    "restore.file": "de kopie die je terugzet",
    "retention": "verwijder oude gesprekken en houd oude zoekopdrachten alleen als tellingen",
    "retention.description": (
        "Verwijdert elk gesprek in Rasa waarin al langer dan DOEMEE_RETENTION_DAYS dagen (standaard 90) "
        "niets is gezegd, met alles erin. Oudere zoekopdrachten worden tellingen per dag: de cijfers "
        "blijven hetzelfde. De gateway doet dit elke dag vanzelf; twee keer draaien kan geen kwaad."
    ),
    "retention.dry_run": "laat alleen zien wat er weg zou gaan, en verander niets",
}

CLI_HELP_EN = {
    "backup": "write a complete copy of the database to a file",
    "backup.description": (
        "Writes a copy of the whole database to FILE, while DoeMee may keep running: the copy is of one "
        "moment. SQLite is copied with its backup API, PostgreSQL with pg_dump. An existing file is "
        "replaced only once the new copy is complete."
    ),
    "backup.file": "where the copy goes",
    "restore": "put back a copy made by doemee backup",
    "restore.description": (
        "Replaces the whole database with the copy in FILE, then migrates it to the newest version. "
        "Stop DoeMee first. If the restore fails, the database stays as it was."
    ),
    "restore.file": "the copy to put back",
    "retention": "delete old conversations and keep old searches only as counts",
    "retention.description": (
        "Deletes the conversations in Rasa where nothing was said for longer than DOEMEE_RETENTION_DAYS "
        "days (90 by default), whole. Older searches become counts per day: the figures stay the same. "
        "The gateway does this every day by itself; running it twice does no harm."
    ),
    "retention.dry_run": "only show what would go, change nothing",
}

KIND_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def backup_done(path: str, kind: str, size: int) -> str:
    return f"Kopie gemaakt: {path} ({KIND_NAMES[kind]}, {_size(size)})."


def restore_done(path: str) -> str:
    return f"Teruggezet uit {path}. De database is bijgewerkt naar de nieuwste versie. Je kunt DoeMee weer starten."


def _size(size: int) -> str:
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} kB"
    return f"{size / (1024 * 1024):.1f} MB".replace(".", ",")


def retention_cutoff(days: int, before: date) -> str:
    return f"Bewaartermijn: {days} dagen. Het gaat om alles van vóór {dutch_date(before)}."


def retention_conversations(conversations: int, events: int, dry_run: bool) -> str:
    what = "gesprek" if conversations == 1 else "gesprekken"
    rows = "regel" if events == 1 else "regels"
    done = "zou ik verwijderen" if dry_run else "verwijderd"
    return f"Gesprekken: {conversations} {what} {done} ({events} {rows} in de tracker store van Rasa)."


def retention_searches(searches: int, dry_run: bool) -> str:
    what = "zoekopdracht" if searches == 1 else "zoekopdrachten"
    done = "zou ik samenvatten" if dry_run else "samengevat"
    return f"Zoekopdrachten: {searches} {what} {done} in tellingen per dag. De cijfers blijven gelijk."


RETENTION_DRY_RUN = "Dit was een proef: er is niets veranderd."
RETENTION_TRACKER_DOWN = (
    "Ik kan de gesprekken van Rasa niet bereiken, dus die zijn niet verwijderd. "
    "Klopt DOEMEE_TRACKER_STORE_URL en draait die database?"
)


BACKUP_ERRORS = {
    "unsupported_database": "Dit soort database kan ik niet kopiëren. DoeMee werkt met SQLite en PostgreSQL.",
    "memory_database": "De database staat alleen in het geheugen. Zet DOEMEE_DATABASE_URL op een bestand.",
    "no_database": "Ik vind de database niet. Klopt DOEMEE_DATABASE_URL?",
    "no_directory": "De map voor de kopie bestaat niet. Maak die eerst, of kies een andere plek.",
    "target_is_directory": "Dat is een map. Geef de naam van een bestand, bijvoorbeeld doemee-backup.db.",
    "no_file": "Dat bestand bestaat niet. Kijk of de naam klopt.",
    "unreadable": "Ik kan dat bestand niet lezen. Kijk of je de rechten hebt.",
    "not_a_backup": "Dat bestand is geen kopie van doemee backup. Er is niets veranderd.",
    "damaged": "Die kopie is beschadigd of niet compleet. Er is niets veranderd.",
    "wrong_kind": (
        "Die kopie is van een {found}-database, maar DOEMEE_DATABASE_URL wijst naar {expected}. "
        "Er is niets veranderd."
    ),
    "no_pg_tools": "Ik vind {detail} niet. Installeer de PostgreSQL-programma's (Debian: postgresql-client).",
    "pg_dump_failed": "pg_dump kon de database niet kopiëren. Klopt DOEMEE_DATABASE_URL en draait PostgreSQL?",
    "pg_restore_failed": (
        "PostgreSQL kon de kopie niet terugzetten. Er is niets veranderd. "
        "Draait PostgreSQL en mag deze gebruiker tabellen maken?"
    ),
    "timeout": "Dat duurde langer dan een uur. Ik ben gestopt; er is niets veranderd.",
}


def backup_error(reason: str, detail: str, expected: str) -> str:
    return BACKUP_ERRORS[reason].format(
        found=KIND_NAMES.get(detail, detail), expected=KIND_NAMES.get(expected, expected), detail=detail,
    )

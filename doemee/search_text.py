"""How a centre's search through its listings folds text, shared by the query and the stored column.

The folding is Python's (casefold, then NFC), not the database's: SQLite's
lower() and PostgreSQL's under the C locale fold ASCII only, so "ÉÉN"
would find "één" on neither. Each listing keeps its title and description
folded in `opportunity.search_text`, so the portal's search is one LIKE in
SQL instead of reading and folding every listing of a centre per request.
"""

from __future__ import annotations

import re
import unicodedata

# Characters nothing stored may hold; a search for them finds nothing.
UNSTORABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
# Between the folded title and description: folding drops it from a search, so no match spans both.
SEPARATOR = "\x1f"


def folded(text: str) -> str:
    return unicodedata.normalize("NFC", UNSTORABLE.sub("", text).casefold()).strip()


def searchable(title: str | None, description: str | None) -> str:
    """What `opportunity.search_text` holds for this title and description."""
    return folded(title or "") + SEPARATOR + folded(description or "")

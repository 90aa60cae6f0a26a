"""Dutch postcodes as people type them, reduced to one canonical form.

A Dutch postcode is four digits, the first never 0, then optionally two
letters; PostNL never issues the letter pairs SA, SD and SS, so those are
typing errors rather than addresses.
"""

from __future__ import annotations

import re

_WHOLE = re.compile(r"^\s*([1-9][0-9]{3})(?:\s*-?\s*([A-Za-z]{2}))?\s*$")
_INSIDE = re.compile(r"(?<![0-9A-Za-z])([1-9][0-9]{3})(?:\s?-?\s?([A-Za-z]{2}))?(?![0-9A-Za-z])")
_NOT_ISSUED = frozenset({"SA", "SD", "SS"})
_MAX_LENGTH = 40


def _canonical(digits: str, letters: str | None) -> str | None:
    if not letters:
        return digits
    letters = letters.upper()
    if letters in _NOT_ISSUED:
        return None
    return f"{digits} {letters}"


def normalise_postcode(text: str) -> str | None:
    """"3511" or "3511 AB" when the whole text is a postcode, else None."""
    if not isinstance(text, str) or len(text) > _MAX_LENGTH:
        return None
    match = _WHOLE.match(text)
    if match is None:
        return None
    return _canonical(match.group(1), match.group(2))


def find_postcode(text: str) -> str | None:
    """The first postcode inside a longer text ("3511 AB Utrecht"), normalised."""
    if not isinstance(text, str):
        return None
    for match in _INSIDE.finditer(text[:500]):
        digits, letters = match.group(1), match.group(2)
        # "3511 en" is a PC4 followed by a word; "3511 EN" and "3511en" are a full postcode.
        attached = letters is not None and text[match.end(1)] not in " -"
        if letters and (attached or letters.isupper()):
            return _canonical(digits, letters) or digits
        return digits
    return None


def pc4_of(postcode: str) -> str:
    """"3511" of "3511 AB"."""
    return postcode[:4]

"""Every message DoeMee can show renders cleanly, also when a value is empty or missing.

The messages are found by introspection, so a new response in domain.yml or a
new constant, template or function in doemee.messages is checked without
touching this file. Each is rendered with normal values, with empty ones and
with missing ones, the way a resident would see it:

- domain.yml responses are filled the way Rasa 3.6 fills them
  (`rasa/core/nlg/interpolator.py`): every slot of the domain is a variable,
  an unset slot is None and shows as "None", and a placeholder that names no
  slot makes Rasa give up and send the text with its braces;
- templates (constants with `{name}`) are filled with `str.format`, the way
  their callers fill them;
- functions get values made from their type hints: "missing" is None where
  the hints allow None and the default where a parameter has one.
"""

from __future__ import annotations

import collections.abc
import inspect
import re
import string
import types
import typing
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from doemee import messages
from doemee.matching.query import Match, OpportunityView, Reason, ReasonKind

ROOT = Path(__file__).resolve().parents[1]
DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))

# --- what broken text looks like -------------------------------------------------

_PROBLEMS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("a placeholder was left in", re.compile(r"\{[^{}\n]*\}")),
    ("'None' is shown", re.compile(r"\bNone\b")),
    ("a Python value is shown", re.compile(r"\[\]|\['|\{'|\bTrue\b|\bFalse\b")),
    ("a space before punctuation", re.compile(r"[ \t][!,.?;:](?!\.\.)")),
    ("punctuation at the start", re.compile(r"\A[!,.?;:]")),
    ("two spaces between words", re.compile(r"\S {2,}\S")),
    ("a space at the end of a line", re.compile(r"[ \t]+$", re.MULTILINE)),
    ("a space at the start", re.compile(r"\A\s")),
    ("empty brackets or quotes", re.compile(r"\(\s*\)|\"\s*\"(?!\w)")),
    ("an empty line where text was expected", re.compile(r"\n[ \t]*\n[ \t]*\n|\n[ \t]*\n[ \t]*\Z|\A[ \t]*\n")),
)


def problems_in(text: Any) -> list[str]:
    if not isinstance(text, str):
        return [f"not text but {type(text).__name__}"]
    if not text.strip():
        return ["an empty message"]
    return [f"{name}: {m.group(0)!r} in {text!r}" for name, pattern in _PROBLEMS for m in pattern.finditer(text)]


def test_the_checks_catch_what_a_resident_should_never_see():
    for broken in ["Hoi !", "Hoi , Sanne", "Postcode  ken ik niet.", "Hoi {first_name}", "Hoi None.", "",
                   "Website: ", "Titel\n\n\nTekst", "Tekst\n\n", "  Hoi", "Van: , Utrecht", "Voor: \"\".",
                   "past (), dan", "Je zoekt ['groen']", "Alerts: True"]:
        assert problems_in(broken), broken
    for fine in ["Hoi Sanne!", "Kies \"Aanmelden\" bij wat je leuk vindt.", "1. Titel\nBuurttuin, Utrecht (2,3 km)",
                 "Titel\n\nTekst", "Zie doemee concepts...", "Groet,\nDoeMee\n", "#3 Titel\n    Utrecht"]:
        assert not problems_in(fine), fine


# --- domain.yml responses, filled like Rasa ---------------------------------------


def rasa_interpolate(text: str, values: dict[str, Any]) -> str:
    """Rasa 3.6's `interpolate_text`, step by step (checked against rasa.core.nlg.interpolator)."""
    try:
        filled = re.sub(r"{([^\n{}]+?)}", r"{0[\1]}", text).format(values)
        return text.format({}) if "0[" in filled else filled
    except KeyError:
        return text


def _slot_values(kind: str) -> dict[str, Any]:
    """Every slot, as Rasa passes them to a response: None when unset, else a value of the slot's type."""
    normal = {"text": "Utrecht", "bool": True, "float": 3.0, "list": ["groen"], "any": "Utrecht",
              "categorical": "ochtend"}
    empty = {"text": "", "bool": False, "float": 0.0, "list": [], "any": ""}
    values = {}
    for name, slot in (DOMAIN.get("slots") or {}).items():
        slot_type = slot.get("type", "any")
        values[name] = None if kind == "missing" else (normal if kind == "normal" else empty).get(slot_type, "")
    values.setdefault("requested_slot", None)
    return values


def _response_texts(variation: dict[str, Any]) -> Iterator[tuple[str, str]]:
    if "text" in variation:
        yield "text", variation["text"]
    for number, button in enumerate(variation.get("buttons") or []):
        yield f"button {number}", button.get("title", "")


def _domain_cases() -> Iterator[Any]:
    for utter, variations in (DOMAIN.get("responses") or {}).items():
        for number, variation in enumerate(variations):
            channel = variation.get("channel") or "every channel"
            for kind in ("normal", "empty", "missing"):
                yield pytest.param(utter, variation, kind, id=f"{utter}[{number}, {channel}]-{kind}")


@pytest.mark.parametrize(("utter", "variation", "kind"), list(_domain_cases()))
def test_every_domain_response_renders_cleanly(utter, variation, kind):
    values = _slot_values(kind)
    parts = list(_response_texts(variation))
    assert parts, f"{utter} has a variation with nothing to show"
    for part, text in parts:
        assert problems_in(rasa_interpolate(text, values)) == [], f"{utter} ({part}, {kind} slots)"


# --- doemee.messages: constants and templates ---------------------------------------


def _is_own(name: str, value: Any) -> bool:
    return not name.startswith("_") and not inspect.ismodule(value) and not inspect.isclass(value) \
        and not callable(value) and getattr(value, "__module__", messages.__name__) == messages.__name__


def _strings(value: Any, path: str) -> Iterator[tuple[str, str]]:
    """Every string inside a constant (dicts, tuples and lists of strings), with where it sits."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, f"{path}[{key!r}]")
    elif isinstance(value, (tuple, list)):
        for index, item in enumerate(value):
            yield from _strings(item, f"{path}[{index}]")


def _constants() -> list[tuple[str, str]]:
    found = [pair for name, value in vars(messages).items() if _is_own(name, value) for pair in _strings(value, name)]
    assert len(found) > 100, "introspection found too few messages; did doemee.messages move?"
    return found


_PERCENT_FIELD = re.compile(r"%(?:\((\w+)\))?[sdr]")
# argparse fills its own messages and never with an empty value.
_PERCENT_SAMPLES = {"argument_name": "--radius", "message": "hier hoort een waarde bij", "option": "--p",
                    "matches": "--postcode, --place", "type": "float", "value": "tien", "choices": "a, b"}


def _template_fields(text: str) -> dict[str, str]:
    """Each placeholder's name and format spec."""
    return {field: spec or "" for _, field, spec, _ in string.Formatter().parse(text) if field is not None}


# Placeholders that hold a number: "empty" is 0 for them.
_NUMBERS = {"count", "limit", "shown", "delay", "code", "km"}
# Placeholders whose callers never leave them empty, and why. A template cannot
# word a missing value itself; a text that can be missing belongs in a function.
_NEVER_EMPTY = {
    "title": "every opportunity has a title (doemee.opportunities refuses one without)",
    "date": "filled only when an opportunity has an end date",
    "geonames": "the listing page fills in a fixed link",
    "licence": "the listing page fills in a fixed link",
    "path": "a fixed file of the project",
    "service": "the supervisor's own service names (supervisor_service)",
    "how": "SUPERVISOR_EXIT_CODE or SUPERVISOR_SIGNAL",
    "error": "the name of an exception type",
    "label": "reason_text fills it from the category labels",
    "when": "reason_text fills it from the day part phrases",
    "origin": "reason_text fills it through origin_phrase, which has a fallback",
    "name": "a centre's or initiative's name, both required, or a signal's name",
}


def _template_value(field: str, spec: str, kind: str) -> Any:
    if spec or field in _NUMBERS:
        return 5 if kind == "normal" else 0
    if kind == "normal" or field in _NEVER_EMPTY:
        return _sample(field)
    return ""


def _sample(name: str) -> str:
    return {"date": "3-3-2026", "origin": "postcode 3511", "label": "natuur en groen", "when": "de ochtend",
            "path": "data/demo.csv", "title": "Hulp in de moestuin", "name": "Buurttuin Oost",
            "geonames": "GeoNames", "licence": "CC BY 4.0", "service": "Rasa", "how": "exitcode 1",
            "error": "OSError"}.get(name, "Buurttuin")


def _constant_cases() -> Iterator[Any]:
    for path, text in _constants():
        fields = _template_fields(text)
        if _PERCENT_FIELD.search(text):
            yield pytest.param(path, text, "normal", id=f"{path}-normal")
        elif not fields:
            yield pytest.param(path, text, "as is", id=path)
        else:
            for kind in ("normal", "empty"):
                yield pytest.param(path, text, kind, id=f"{path}-{kind}")


@pytest.mark.parametrize(("path", "text", "kind"), list(_constant_cases()))
def test_every_message_constant_and_template_renders_cleanly(path, text, kind):
    if _PERCENT_FIELD.search(text):
        named = _PERCENT_FIELD.findall(text)
        rendered = text % (_PERCENT_SAMPLES if any(named) else ("--radius",) * len(named))
    elif path.startswith("CLI_ARGPARSE_NL") and text.endswith(": "):
        rendered = text + "doemee [-h]"  # argparse's prefix for its usage line
    elif kind == "as is":
        rendered = text
    else:
        fields = _template_fields(text)
        assert all(f.isidentifier() for f in fields), f"{path}: only named placeholders, got {list(fields)}"
        rendered = text.format(**{f: _template_value(f, spec, kind) for f, spec in fields.items()})
    assert problems_in(rendered) == [], f"{path} ({kind})"


# --- doemee.messages: functions -------------------------------------------------------


def _view(**changes: Any) -> OpportunityView:
    fields = dict(id=7, external_id="demo-7", title="Hulp in de moestuin", description="Samen wieden en oogsten.",
                  initiative="Buurttuin Oost", initiative_website="https://buurttuin.nl", category="groen",
                  place="Utrecht", pc4="3512", time_commitment="wekelijks", day_parts=("ochtend",), remote=False,
                  valid_until=None)
    return OpportunityView(**{**fields, **changes})


def _match(**changes: Any) -> Match:
    reasons = (Reason(ReasonKind.INTEREST, "groen"), Reason(ReasonKind.DISTANCE, 2.349))
    return Match(_view(**changes), 2.349, 0.8, True, reasons)


_EMPTY_VIEW = dict(title="", description="", initiative="", initiative_website=None, place="", day_parts=())
_REASONS = [Reason(kind, value) for kind, value in [
    (ReasonKind.INTEREST, "groen"), (ReasonKind.DISTANCE, 2.349), (ReasonKind.REMOTE, None),
    (ReasonKind.DAY_PART, "avond"), (ReasonKind.COMMITMENT, "eenmalig"), (ReasonKind.NEW, None),
    (ReasonKind.BEYOND_RADIUS, 14.2), (ReasonKind.BEYOND_RADIUS, 3.4),
]]

# Normal values a parameter can take, by its name; the first is the usual one,
# the others reach other branches. Parameters not named here get one made from their type.
_NAMED: dict[str, list[Any]] = {
    "contact_kind": ["email", "phone"],
    "status": ["open", "filled", "closed", "concept"],
    "kind": ["place", "neighbourhood", "municipality", "postcode"],
    "first_char": ["=", "\t", "\r", "+"],
    "contact_email": ["info@buurttuin.nl"],
    "email": ["info@buurttuin.nl"],
    "contact": ["sanne@example.org", "06 12345678"],
    "website": ["https://buurttuin.nl", None],
    "postcode": ["3511"],
    "origin": ["3511", "Overvecht", "3511 AB"],
    "value": ["3511 XX", "=SOM(A1)", "<script>"],
    "reason": ["De plek is te ver weg."],
    "municipality": ["Utrecht", "Lombok"],
    "province": ["Utrecht", ""],
    "name": ["Lombok"],
    "place": ["Utrecht"],
    "first_name": ["Sanne"],
    "initiative": ["Buurttuin Oost"],
    "title": ["Hulp in de moestuin"],
    "description": ["Samen wieden en oogsten."],
    "commitment": ["wekelijks"],
    "time_commitment": ["wekelijks"],
    "category_label": ["Natuur en groen"],
    "label": ["de wijk Lombok in Utrecht"],
    "region": ["Friesland"],
    "command": ["doemee"],
    "message": ["hier hoort een waarde bij"],
    "path": ["data/demo.csv"],
    "folder": ["/srv/geonames"],
    "column": ["postcode", ""],
    "code": ["0344"],
    "summary": ["natuur en groen, binnen 10 km van Utrecht"],
    "matches": [[_match()], [_match(), _match(remote=True), _match(place="Zeist")]],
    "reasons": [["Past bij je interesse in natuur en groen.", "2,3 km van postcode 3511."], []],
    "reason_obj": _REASONS,
    "match": [_match(), _match(remote=True)],
    "labels": [["de wijk Lombok in Utrecht", "Lombok in Lombok"], ["de wijk Lombok in Utrecht"]],
    "candidates": [["Lombok in Utrecht", "Lombok in Zeeland"], ["Lombok in Utrecht"]],
    "interest_labels": [["Natuur en groen", "Ouderen"], []],
    "day_parts": [["ochtend", "avond"], []],
    "words": [["tuinieren"], ["tuinieren", "bakken"]],
    "allowed": [["groen", "ouderen"]],
    "columns": [["postcode"], ["postcode", "title"]],
    "municipalities": [["Utrecht", "Zeist"]],
    "problems": [["De titel is te kort."], ["De titel is te kort.", "De postcode ken ik niet."]],
    "count": [3, 1],
    "searches": [12, 1],
    "share": [0.25],
    "distance_km": [2.349, 0.4],
    "radius_km": [10.0],
    "km": [2.349],
    "remote": [False, True],
}
_EMPTY_NAMED: dict[str, Any] = {
    "contact_kind": "", "status": "", "kind": "", "first_char": "", "matches": [], "match": _match(**_EMPTY_VIEW),
    "reason_obj": Reason(ReasonKind.DAY_PART, ""), "count": 0, "searches": 0,
}


def _inner(hint: Any) -> Any:
    """`str | None` -> str."""
    args = [a for a in typing.get_args(hint) if a is not type(None)]
    return args[0] if typing.get_origin(hint) in (typing.Union, types.UnionType) and len(args) == 1 else hint


def _by_type(hint: Any) -> tuple[list[Any], Any]:
    """Normal values and the empty value for a parameter known only by its type."""
    hint = _inner(hint)
    if hint is str:
        return ["Buurttuin"], ""
    if hint is bool:
        return [True, False], False
    if hint is int:
        return [3, 1], 0
    if hint is float:
        return [2.349, 12.0], 0.0
    if hint in (date, datetime, None):  # unannotated parameters here are days
        return [date(2026, 3, 1)], date(2026, 3, 1)
    if typing.get_origin(hint) in (list, tuple, Sequence, collections.abc.Sequence) or hint in (list, tuple):
        return [["Buurttuin", "Zeist"]], []
    raise AssertionError(f"no sample for {hint!r}; add one to _NAMED")


def _fits(value: Any, hint: Any) -> bool:
    hint = _inner(hint)
    if value is None or hint is None:
        return True
    expected = {str: str, int: int, float: (int, float), bool: bool}.get(hint)
    if expected is not None:
        return isinstance(value, expected) and not (hint is int and isinstance(value, bool))
    origin = typing.get_origin(hint) or hint
    return isinstance(value, origin) if isinstance(origin, type) else True


def _allows_none(hint: Any) -> bool:
    return type(None) in typing.get_args(hint)


def _values(name: str, hint: Any) -> tuple[list[Any], Any]:
    """A parameter's normal values and its empty value: by name where the name fits the type, else by type."""
    key = "reason_obj" if hint is Reason else name
    named = [v for v in _NAMED.get(key, []) if _fits(v, hint)]
    normal = named or _by_type(hint)[0]
    if key in _EMPTY_NAMED and _fits(_EMPTY_NAMED[key], hint):
        return normal, _EMPTY_NAMED[key]
    return normal, _by_type(hint)[1]


@dataclass
class Call:
    function: Callable[..., Any]
    kwargs: dict[str, Any]
    kind: str

    def __str__(self) -> str:
        shown = ", ".join(f"{k}={v!r}"[:60] for k, v in self.kwargs.items())
        return f"{self.function.__name__}({shown}) [{self.kind}]"


def _functions() -> list[Callable[..., Any]]:
    found = [f for name, f in inspect.getmembers(messages, inspect.isfunction)
             if f.__module__ == messages.__name__ and not name.startswith("_")]
    assert len(found) > 50, "introspection found too few message functions; did doemee.messages move?"
    return found


def _calls(function: Callable[..., Any]) -> Iterator[Call]:
    """The usual call; each parameter at each of its other values; all empty; each one empty; all missing."""
    hints = typing.get_type_hints(function)
    parameters = inspect.signature(function).parameters
    normal: dict[str, list[Any]] = {}
    empty: dict[str, Any] = {}
    for name in parameters:
        normal[name], empty[name] = _values(name, hints.get(name))
    usual = {name: values[0] for name, values in normal.items()}
    yield Call(function, usual, "normal")
    for name, values in normal.items():
        for value in values[1:]:
            yield Call(function, {**usual, name: value}, f"normal, other {name}")
    yield Call(function, dict(empty), "all empty")
    for name in parameters:
        yield Call(function, {**usual, name: empty[name]}, f"empty {name}")
    missing = {}
    for name, parameter in parameters.items():
        if parameter.default is not inspect.Parameter.empty:
            continue
        missing[name] = None if _allows_none(hints.get(name)) else empty[name]
    yield Call(function, missing, "missing")


def _function_cases() -> Iterator[Any]:
    for function in _functions():
        yield pytest.param(function, id=function.__name__)


@pytest.mark.parametrize("function", list(_function_cases()))
def test_every_message_function_renders_cleanly(function):
    broken = []
    for call in _calls(function):
        result = call.function(**call.kwargs)
        text = "\n".join(result) if isinstance(result, list) else result  # lines of one listing
        broken += [f"{call}: {problem}" for problem in problems_in(text)]
    assert broken == []

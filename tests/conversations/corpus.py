"""The conversation corpus: loading the YAML files, playing them against Rasa, and reporting.

Layout: tests/conversations/tuning/*.yml and tests/conversations/held_out/*.yml,
each file

    conversations:
      - id: unique-id
        about: what this conversation tries (one line)
        turns:
          - say: "hoi ik zoek vrijwilligerswerk in utrecht"   # typed text, or
            # click: "Aanmelden#2"                             # a button of the previous reply (title#n)
            expect: [asks_interest]       # any of these kinds (tests/conversations/expect.py)
            all: [out_of_scope]           # optional: every one of these kinds too
            not: [results]                # optional: none of these kinds
            says: ["Zwolle"]              # optional: these words appear in the reply text

Every turn also passes `expect.global_problems`. A conversation passes when
every turn does; it stops at the first failing turn, which is reported.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import httpx
import yaml

from tests.conversations import expect
from tests.support.rest_chat import RestChat, gather_limited

CORPUS_DIR = Path(__file__).resolve().parent
SPLITS = ("tuning", "held_out")
TURN_KEYS = {"say", "click", "expect", "all", "not", "says"}
CONVERSATION_KEYS = {"id", "about", "turns"}


@dataclass(frozen=True)
class TurnSpec:
    say: str | None
    click: str | None
    check: expect.TurnCheck

    @property
    def shown(self) -> str:
        return self.say if self.say is not None else f"[klik {self.click}]"


@dataclass(frozen=True)
class Conversation:
    id: str
    split: str
    file: str
    about: str
    turns: tuple[TurnSpec, ...]


@dataclass
class Outcome:
    id: str
    split: str
    file: str
    about: str
    passed: bool
    failed_turn: int | None = None  # 1-based
    message: str | None = None
    problems: list[str] = field(default_factory=list)
    reply: str | None = None
    transcript: list[dict] = field(default_factory=list)
    seconds: float = 0.0


class CorpusError(ValueError):
    pass


def _kinds(value, where: str, key: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise CorpusError(f"{where}: {key} must be a list of kind names")
    unknown = expect.unknown_kinds(value)
    if unknown:
        raise CorpusError(f"{where}: unknown kinds {unknown} (see tests/conversations/expect.py)")
    return tuple(value)


def _turn(raw, where: str) -> TurnSpec:
    if not isinstance(raw, dict):
        raise CorpusError(f"{where}: a turn must be a mapping")
    extra = set(raw) - TURN_KEYS
    if extra:
        raise CorpusError(f"{where}: unknown keys {sorted(extra)}")
    if ("say" in raw) == ("click" in raw):
        raise CorpusError(f"{where}: a turn has exactly one of say / click")
    said = raw.get("say")
    if "say" in raw and (not isinstance(said, str) or not said.strip()):
        raise CorpusError(f"{where}: say must be non-empty text (quote numbers: say: \"3511\")")
    check = expect.TurnCheck(
        expect=_kinds(raw.get("expect"), where, "expect"),
        all=_kinds(raw.get("all"), where, "all"),
        not_=_kinds(raw.get("not"), where, "not"),
        says=tuple(str(s) for s in raw.get("says") or ()),
    )
    if not check.expect and not check.all:
        raise CorpusError(f"{where}: every turn needs expect (or all)")
    return TurnSpec(said, str(raw["click"]) if "click" in raw else None, check)


def load_file(path: Path, split: str) -> list[Conversation]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    raws = data.get("conversations") if isinstance(data, dict) else None
    if not isinstance(raws, list):
        raise CorpusError(f"{path}: needs a top-level 'conversations' list")
    loaded = []
    for number, raw in enumerate(raws, 1):
        where = f"{path.name}#{number}"
        if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
            raise CorpusError(f"{where}: a conversation needs an id")
        extra = set(raw) - CONVERSATION_KEYS
        if extra:
            raise CorpusError(f"{where}: unknown keys {sorted(extra)}")
        turns = raw.get("turns")
        if not isinstance(turns, list) or not turns:
            raise CorpusError(f"{where} ({raw['id']}): needs turns")
        loaded.append(Conversation(
            id=raw["id"], split=split, file=f"{split}/{path.name}", about=str(raw.get("about") or ""),
            turns=tuple(_turn(t, f"{where} ({raw['id']}) turn {i}") for i, t in enumerate(turns, 1)),
        ))
    return loaded


def load_corpus(root: Path = CORPUS_DIR) -> list[Conversation]:
    conversations: list[Conversation] = []
    for split in SPLITS:
        for path in sorted((root / split).glob("*.yml")):
            conversations += load_file(path, split)
    ids = [c.id for c in conversations]
    doubles = sorted({i for i in ids if ids.count(i) > 1})
    if doubles:
        raise CorpusError(f"conversation ids used twice: {doubles}")
    return conversations


def button_payload(click: str, previous: expect.Reply | None) -> str | None:
    """The payload of the button titled `click` ("Aanmelden#2": the second such button) in the previous reply."""
    title, _, nth = click.partition("#")
    index = int(nth) if nth.strip().isdigit() else 1
    matching = [b for b in expect.buttons_of(previous or []) if str(b.get("title", "")).strip().lower() == title.strip().lower()]
    if len(matching) < index:
        return None
    return str(matching[index - 1].get("payload"))


async def play(client: httpx.AsyncClient, rasa_url: str, conversation: Conversation) -> Outcome:
    """Plays one conversation in a fresh sender; stops at the first failing turn."""
    started = time.monotonic()
    chat = RestChat(client, rasa_url, prefix=f"corpus-{conversation.split}")
    outcome = Outcome(conversation.id, conversation.split, conversation.file, conversation.about, passed=True)
    previous_reply: expect.Reply | None = None
    previous_message: str | None = None
    for number, turn in enumerate(conversation.turns, 1):
        message = turn.say
        if turn.click is not None:
            message = button_payload(turn.click, previous_reply)
            if message is None:
                outcome.passed, outcome.failed_turn, outcome.message = False, number, turn.shown
                outcome.problems = [f"no button {turn.click!r} in the previous reply"]
                break
        try:
            reply = await chat.say(message)
        except httpx.HTTPError as error:
            reply, problems = [], [f"request failed: {type(error).__name__}: {error}"]
        else:
            problems = expect.global_problems(reply, message, previous_reply, previous_message)
            problems += turn.check.problems(reply)
        outcome.transcript.append({"resident": turn.shown, "bot": expect.describe(reply, limit=1200)})
        if problems:
            outcome.passed, outcome.failed_turn, outcome.message = False, number, turn.shown
            outcome.problems, outcome.reply = problems, expect.describe(reply)
            break
        previous_reply, previous_message = reply, message
    outcome.seconds = round(time.monotonic() - started, 2)
    return outcome


async def play_all(rasa_url: str, conversations: list[Conversation], at_once: int) -> list[Outcome]:
    async with httpx.AsyncClient(timeout=httpx.Timeout(180.0, connect=10.0)) as client:
        return await gather_limited([lambda c=c: play(client, rasa_url, c) for c in conversations], at_once)


def summary(outcomes: list[Outcome]) -> dict[str, dict]:
    table = {}
    for split in SPLITS:
        mine = [o for o in outcomes if o.split == split]
        passed = sum(o.passed for o in mine)
        table[split] = {"conversations": len(mine), "passed": passed,
                        "pass_rate": round(passed / len(mine), 4) if mine else 0.0}
    return table


def report_lines(outcomes: list[Outcome], seconds: float) -> list[str]:
    table = summary(outcomes)
    lines = ["", "Conversation corpus", f"{'split':<10} {'passed':>7} {'of':>4} {'rate':>7}"]
    for split, row in table.items():
        lines.append(f"{split:<10} {row['passed']:>7} {row['conversations']:>4} {row['pass_rate']:>7.1%}")
    lines.append(f"({seconds:.0f} s)")
    failed = [o for o in outcomes if not o.passed]
    if failed:
        lines.append("Failing conversations (first failing turn):")
        for o in sorted(failed, key=lambda o: (o.split, o.file, o.id)):
            lines.append(f"  {o.split}/{o.id} turn {o.failed_turn} {o.message!r}: {'; '.join(o.problems)}")
            if o.reply:
                lines.append(f"      bot: {o.reply}")
    return lines


def write_results(path: Path, outcomes: list[Outcome], seconds: float, thresholds: dict[str, float]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {
        "seconds": round(seconds, 1),
        "thresholds": thresholds,
        "summary": summary(outcomes),
        "failing": [
            {"id": o.id, "split": o.split, "file": o.file, "turn": o.failed_turn, "message": o.message,
             "problems": o.problems, "reply": o.reply}
            for o in outcomes if not o.passed
        ],
        "conversations": [asdict(o) for o in outcomes],
    }
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

"""Every dialogue state against every kind of message: the reply must fit the state.

For each state a conversation can be in (each form and each slot it asks
for, after results, after "Meer info", a yes/no question, a question which
place was meant, after a sign-up, ...) a short scripted prefix reaches the
state; then, in a fresh conversation per probe, one message is sent: a
typical message of every intent in domain.yml, and a first name, an e-mail
address, a phone number, a postcode, a place and out-of-scope questions.

Each (state, probe) is its own test case. Its reply must

- exist, show no internal error, no "{", "None" or unfilled placeholder,
  and differ from the reply before it (tests/conversations/expect.py);
- fit the state: an interruption is answered and the form's question is
  asked again, an answer that fits moves on, one that does not is asked
  again, help gets help, out-of-scope gets the out-of-scope answer;
- never put the message into a field it does not belong to: the slots the
  message changed are read from the stack's tracker store, and e.g. an
  e-mail address may become a contact, never a place, a title or a name.

Each state is reached once; every probe then runs in a copy of that
conversation under a new sender id (its events copied in the stack's
tracker store, which Rasa reads at every message), so a probe never sees
another probe's message. States that partly live in the app's database (a
sign-up, an alert subscription) are replayed from the start for every probe
instead. All cases of a run are played together (a few at a time) when the
first one needs them; each case then asserts its own outcome. The cases that
fail today are listed in state_space_open.txt (expected to fail, so a new
failure anywhere else stops `make test`); a summary goes to
results/state_space.json.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pytest
import yaml

from scripts.stack import ROOT
from tests.conversations import expect
from tests.conversations.corpus import button_payload
from tests.conversations.expect import TurnCheck
from tests.support.rest_chat import (
    RestChat, copy_conversation, gather_limited, http_client, last_event_id, turn_since,
)

CASES_AT_ONCE = 4
RESULTS_FILE = ROOT / "results" / "state_space.json"


# --- states ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class State:
    """A dialogue state: how to get there, how to know we did, and what it asks."""

    id: str
    # Typed messages; "click:Title#n" presses a button of the previous reply; "when:kind:message" is
    # sent only when the previous reply is of that kind (a step one version of the bot asks for).
    prefix: tuple[str, ...]
    arrived: tuple[str, ...]  # kinds the last prefix reply shows (any of)
    form: str | None = None
    slot: str | None = None  # the slot the form asks for
    question: tuple[str, ...] = ()  # kinds that ask that question again (any of)
    shown: int = 0  # opportunities on screen
    searched: bool = False  # a place (and interests) known
    tags: frozenset[str] = frozenset()
    # Replayed for every probe instead of copied: part of this state lives in the app's database.
    replay: bool = False


RESULTS = ("ik zoek vrijwilligerswerk in utrecht", "maakt niet uit")
SIGNUP = ("ik woon in 3512 en wil iets met ouderen doen", "click:Aanmelden#1")
NEED = ("wij zoeken vrijwilligers", "Buurttuin De Linde", "Hulp in de moestuin",
        "Onkruid wieden, water geven en samen oogsten met de buren op zaterdagochtend.", "groen", "3511 AB",
        "wekelijks", "info@delinde.nl")
ALERTS = ("ik woon in 3512 en wil iets met ouderen doen", "mail me als er iets nieuws is")
# The search places the resident in Utrecht's region, so the handoff can offer Utrecht's question form.
QUESTION = ("ik woon in 3512 en wil iets met ouderen doen", "kan ik een mens spreken?", "click:Stel je vraag#1")
ASKED = "Mag ik mijn hond meenemen als ik help?"
MANAGE = ("ik wil mijn vacature aanpassen",)
SIGNED_UP = SIGNUP + ("Sanne", "sanne@example.org", "ja")
# A second sign-up from the next page of results, for the question which one to call off.
TWO_SIGNUPS = RESULTS + ("click:Aanmelden#1", "Sanne", "sanne@example.org", "ja", "meer", "click:Aanmelden#1",
                         "when:asks_name:Sanne", "when:asks_contact:sanne@example.org", "ja")

STATES: tuple[State, ...] = (
    State("start", (), (), tags=frozenset({"open"})),
    State("search.location", ("ik zoek vrijwilligerswerk",), ("asks_location",),
          form="search", slot="location", question=("asks_location",)),
    State("search.location_choice", ("ik zoek vrijwilligerswerk", "Schalkwijk"), ("asks_place_choice",),
          form="search", slot="location", question=("asks_place_choice", "asks_location")),
    State("search.interests", ("ik zoek vrijwilligerswerk in Utrecht",), ("asks_interest",),
          form="search", slot="interests", question=("asks_interest",)),
    State("results", RESULTS, ("results",), shown=3, searched=True, tags=frozenset({"results"})),
    State("more_results", RESULTS + ("meer",), ("results",), shown=3, searched=True, tags=frozenset({"results"})),
    State("more_info", RESULTS + ("click:Meer info#1",), ("details",), shown=3, searched=True,
          tags=frozenset({"details"})),
    State("after_yes_to_results", ("ik woon in 3512 en wil iets met ouderen doen", "ja leuk"), ("after_results",),
          shown=3, searched=True, tags=frozenset({"results"})),
    State("signup.which", ("ik woon in 3512 en wil iets met ouderen doen", "ik wil me aanmelden"), ("asks_which",),
          form="signup", slot="opportunity_id", question=("asks_which",), shown=3, searched=True),
    State("signup.first_name", SIGNUP, ("asks_name",), form="signup", slot="first_name",
          question=("asks_name",), shown=3, searched=True),
    State("signup.contact", SIGNUP + ("Sanne",), ("asks_contact",), form="signup", slot="contact",
          question=("asks_contact",), shown=3, searched=True),
    State("signup.consent", SIGNUP + ("Sanne", "sanne@example.org"), ("asks_consent",), form="signup",
          slot="consent", question=("asks_consent",), shown=3, searched=True, tags=frozenset({"yes_no"})),
    State("signed_up", SIGNUP + ("Sanne", "sanne@example.org", "ja"), ("signed_up",), shown=3, searched=True,
          tags=frozenset({"done"}), replay=True),
    State("need.initiative", NEED[:1], ("asks_need_initiative",), form="need", slot="need_initiative",
          question=("asks_need_initiative",)),
    State("need.title", NEED[:2], ("asks_need_title",), form="need", slot="need_title",
          question=("asks_need_title",)),
    State("need.description", NEED[:3], ("asks_need_description",), form="need", slot="need_description",
          question=("asks_need_description",)),
    State("need.category", NEED[:4], ("asks_need_category",), form="need", slot="need_category",
          question=("asks_need_category",)),
    State("need.postcode", NEED[:5], ("asks_need_postcode",), form="need", slot="need_postcode",
          question=("asks_need_postcode",)),
    State("need.commitment", NEED[:6], ("asks_need_commitment",), form="need", slot="need_commitment",
          question=("asks_need_commitment",)),
    State("need.email", NEED[:7], ("asks_email",), form="need", slot="need_email", question=("asks_email",)),
    State("need.confirm", NEED, ("asks_need_confirm",), form="need", slot="need_confirmed",
          question=("asks_need_confirm",), tags=frozenset({"yes_no"})),
    State("forget.confirm", ("vergeet mij",), ("asks_forget",), form="forget", slot="forget_confirmed",
          question=("asks_forget",), tags=frozenset({"yes_no"})),
    State("after_thanks", ("ik woon in 3512 en wil iets met ouderen doen", "dank je wel"), ("welcome",),
          shown=3, searched=True, tags=frozenset({"open"})),
    State("alerts.email", ALERTS, ("asks_alert_email",), form="alerts", slot="alert_email",
          question=("asks_alert_email",), shown=3, searched=True),
    State("alerts_on", ALERTS + ("when:asks_alert_email:sanne@example.org",), ("alerts_subscribed",), shown=3, searched=True,
          tags=frozenset({"open", "alerts"}), replay=True),
    State("question.text", QUESTION, ("asks_question_text",), form="question", slot="question_text",
          question=("asks_question_text",), shown=3, searched=True),
    State("question.contact", QUESTION + (ASKED,), ("asks_question_contact",), form="question",
          slot="question_contact", question=("asks_question_contact",), shown=3, searched=True),
    State("question.consent", QUESTION + (ASKED, "anna@example.org"), ("asks_question_consent",), form="question",
          slot="question_consent", question=("asks_question_consent",), shown=3, searched=True,
          tags=frozenset({"yes_no"})),
    State("manage.email", MANAGE, ("asks_manage_email",), form="manage_link", slot="manage_email",
          question=("asks_manage_email",)),
    State("withdraw.which", TWO_SIGNUPS + ("ik wil me afmelden",), ("asks_withdraw_which",), form="withdraw",
          slot="withdraw_id", question=("asks_withdraw_which",), shown=3, searched=True, replay=True),
    State("withdraw.confirm", SIGNED_UP + ("ik wil me afmelden",), ("asks_withdraw",), form="withdraw",
          slot="withdraw_confirmed", question=("asks_withdraw",), shown=3, searched=True,
          tags=frozenset({"yes_no"}), replay=True),
)

# What comes after a fitting answer to each slot's question.
NEXT: dict[str, tuple[str, ...]] = {
    "location": ("asks_interest", "results", "no_results", "asks_place_choice"),
    "interests": ("results", "no_results"),
    "opportunity_id": ("asks_name", "asks_contact", "asks_consent"),
    "first_name": ("asks_contact", "asks_consent"),
    "contact": ("asks_consent",),
    "need_initiative": ("asks_need_title",),
    "need_title": ("asks_need_description",),
    "need_description": ("asks_need_category",),
    "need_category": ("asks_need_postcode",),
    "need_postcode": ("asks_need_commitment",),
    "need_commitment": ("asks_email",),
    "need_email": ("asks_need_confirm", "need_saved", "need_rejected"),
    "alert_email": ("alerts_subscribed",),
    "question_text": ("asks_question_contact",),
    "question_contact": ("asks_question_consent",),
    "manage_email": ("manage_link_sent",),
    "withdraw_id": ("asks_withdraw",),
}

# Replies that change something for good; never the answer unless the case expects them.
FINAL = ("signed_up", "forgotten", "need_saved", "alerts_subscribed", "question_sent", "manage_link_sent", "withdrawn")


# --- probes ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Probe:
    """One message.

    `answers`: the questions it plainly answers (the form must take it and go on);
    `fills`: the slots it may fill besides (anything else it fills is taken for a wrong field).
    """

    id: str
    text: str
    answer: str | None = None  # the kind of reply it asks for outside a form (an interruption's answer)
    answers: frozenset[str] = frozenset()
    fills: frozenset[str] = frozenset()
    interrupts: bool = False  # asks something in between: answered, then the form goes on


def _probe(id: str, text: str, answer: str | None = None, answers: tuple[str, ...] = (),
           maybe: tuple[str, ...] = (), interrupts: bool = False) -> Probe:
    return Probe(id, text, answer, frozenset(answers), frozenset(answers + maybe), interrupts)


SEARCH_SLOTS = ("location", "interests")
PROBES: tuple[Probe, ...] = (
    # One typical message of every intent in domain.yml.
    _probe("greet", "hallo", "greet", interrupts=True),
    _probe("goodbye", "doei", "goodbye"),
    _probe("thank", "dank je wel", "welcome", interrupts=True),
    _probe("affirm", "ja", answers=("consent", "forget_confirmed", "need_confirmed", "question_consent",
                                    "withdraw_confirmed")),
    # A no while asked which sign-up to call off ends that form too (withdraw_confirmed: false).
    _probe("deny", "nee", answers=("consent", "forget_confirmed", "question_consent", "withdraw_confirmed"),
           maybe=("need_confirmed",)),
    _probe("help", "hoe werkt dit eigenlijk?", "help", interrupts=True),
    _probe("bot_challenge", "ben jij een robot?", "bot", interrupts=True),
    _probe("ask_privacy", "wat doen jullie met mijn gegevens?", "privacy", interrupts=True),
    _probe("ask_paid", "krijg je geld voor vrijwilligerswerk?", "answers_pay", interrupts=True),
    _probe("search_opportunities", "ik zoek vrijwilligerswerk"),
    _probe("inform", "ik woon in Zwolle en wil iets met kinderen doen", answers=SEARCH_SLOTS, maybe=("need_category",)),
    _probe("more_results", "laat er nog meer zien"),
    # "de eerste" may also pick the first of two places when asked which one.
    _probe("more_info", "vertel eens meer over de eerste", maybe=("opportunity_id", "location")),
    _probe("change_search", "iets anders"),
    _probe("sign_up", "ik wil me aanmelden", maybe=("opportunity_id",)),
    # "voor ons buurthuis" also says the subject, when that is asked.
    _probe("post_need", "wij zoeken vrijwilligers voor ons buurthuis", maybe=("need_category",)),
    _probe("subscribe_alerts", "mail me als er iets nieuws is"),
    _probe("unsubscribe_alerts", "stop met de berichten"),
    _probe("forget_me", "vergeet mij", "asks_forget"),
    _probe("human_handoff", "kan ik een mens spreken?", "handoff", interrupts=True),
    _probe("out_of_scope", "wat voor weer wordt het morgen?", "out_of_scope", interrupts=True),
    _probe("manage_listing", "ik wil mijn vacature aanpassen", "asks_manage_email"),
    # With one sign-up it is picked at once.
    _probe("withdraw_signup", "ik wil me afmelden voor het vrijwilligerswerk", maybe=("withdraw_id",)),
    # Values typed as residents type them.
    _probe("first_name", "Sanne", answers=("first_name",), maybe=("need_initiative",)),
    _probe("email", "sanne@example.org", answers=("contact", "need_email", "alert_email", "question_contact",
                                                  "manage_email"),
           maybe=("question_contact_kind",)),
    _probe("phone", "06 12345678", answers=("contact", "question_contact"), maybe=("question_contact_kind",)),
    _probe("postcode", "3511", answers=("location", "need_postcode")),
    _probe("place", "Zwolle", answers=("location",), maybe=("need_postcode",)),
    # More out-of-scope questions.
    _probe("out_of_scope_politics", "wie wordt de volgende premier?", "out_of_scope", interrupts=True),
    _probe("out_of_scope_order", "kun je een pizza voor me bestellen?", "out_of_scope", interrupts=True),
)

TASKS = frozenset({"search_opportunities", "inform", "more_results", "more_info", "change_search", "sign_up",
                   "post_need", "subscribe_alerts", "unsubscribe_alerts", "manage_listing", "withdraw_signup"})
WITHDRAW_START = ("asks_withdraw", "asks_withdraw_which", "no_signups")
OPEN_REPLIES = ("help", "greet", "fallback", "anything_else", "asks_location", "asks_interest")
SIGNUP_START = ("asks_which", "asks_name", "asks_contact", "asks_consent")


def _check(expected: tuple[str, ...], all_of: tuple[str, ...] = ()) -> TurnCheck:
    allowed = set(expected) | set(all_of)
    return TurnCheck(expect=tuple(expected), all=tuple(all_of), not_=tuple(k for k in FINAL if k not in allowed))


def expectation(state: State, probe: Probe) -> TurnCheck:
    """What a patient volunteer-centre employee's answer would be, as kinds of reply."""
    if state.form is not None:
        return _in_form(state, probe)
    return _outside_forms(state, probe)


def _in_form(state: State, probe: Probe) -> TurnCheck:
    question, slot = state.question, state.slot
    fits = slot in probe.fills
    answers = slot in probe.answers
    if slot == "question_text" and probe.id not in ("goodbye", "forget_me"):
        # The form asks for any question: whatever asks something is taken as it (and the form goes on)
        # or answered, and the form asks again; a bare yes, name, place or address is no question yet.
        if probe.id in ("deny", "unsubscribe_alerts"):
            return _check(("stopped",))
        if probe.id in ("affirm", "first_name", "email", "phone", "postcode", "place"):
            return _check(question)
        return _check(NEXT[slot] + question + ((probe.answer,) if probe.answer else ()))
    if probe.interrupts:
        return _check(question, (probe.answer,))
    if probe.id == "goodbye":
        return _check(("goodbye",))
    if probe.id == "forget_me":
        return _check(("asks_forget",))
    if slot == "question_consent":
        if probe.id == "affirm":
            return _check(("question_sent",))
        if probe.id == "deny":
            return _check(("question_cancelled", "stopped"))
    if slot == "consent":
        if probe.id == "affirm":
            return _check(("signed_up",))
        if probe.id == "deny":
            return _check(("signup_declined", "stopped"))
    if slot == "need_confirmed":
        if probe.id == "affirm":
            return _check(("need_saved", "need_rejected"))
        if probe.id == "deny":
            return _check(("asks_need_fix", "stopped"))
    if slot == "withdraw_confirmed":
        if probe.id == "affirm":
            return _check(("withdrawn",))
        if probe.id == "deny":
            return _check(("withdraw_kept",))
    if probe.id == "manage_listing":
        return _check(question + ("asks_manage_email",))
    if probe.id == "withdraw_signup":
        return _check(question + WITHDRAW_START)
    if slot == "forget_confirmed":
        if probe.id == "affirm":
            return _check(("forgotten",))
        if probe.id == "deny":
            return _check(("forget_cancelled",))
        if probe.id in TASKS:
            # Something else to do instead: doing it is as fine as asking again.
            return _check(question + ("forget_cancelled",) + _outside_forms(state, probe).expect)
        return _check(question + ("forget_cancelled",))
    if probe.id in ("deny", "unsubscribe_alerts"):
        return _check(("stopped", "signup_declined", "alerts_stopped", "withdraw_kept") + question)
    if probe.id == "post_need":
        return _check(("need_intro", "asks_need_initiative") + question + (NEXT[slot] if fits else ()))
    if probe.id == "subscribe_alerts":
        return _check(("alerts_need_search", "alerts_subscribed", "asks_alert_email") + question)
    if probe.id == "search_opportunities":
        return _check(("asks_location", "asks_interest", "results") + question)
    if probe.id == "inform":
        # A resident's own search: in the search form it answers; elsewhere the search may take over.
        return _check(("results",) + (NEXT[slot] if answers else NEXT[slot] + question if fits else question))
    if probe.id == "more_info":
        return _check(("details",) + question + (NEXT[slot] if fits else ()))
    if probe.id in ("more_results", "change_search", "sign_up"):
        extra = {"more_results": ("results", "no_results", "no_search_yet"), "change_search": ("asks_interest",),
                 "sign_up": ("asks_which",) + (NEXT[slot] if fits and state.shown else ())}[probe.id]
        return _check(question + extra)
    if probe.id == "affirm":
        return _check(question)
    if answers:
        return _check(NEXT[slot])
    if fits:
        # It might answer the question: taking it and asking again are both fine.
        return _check(NEXT[slot] + question)
    # A value that does not answer this question: it is asked again (maybe saying why).
    return _check(question)


def _outside_forms(state: State, probe: Probe) -> TurnCheck:
    if probe.answer is not None:
        return _check((probe.answer,))
    if probe.id == "affirm":
        if "results" in state.tags:
            return _check(("after_results", "asks_which"))
        if "details" in state.tags:
            return _check(("asks_name", "after_results", "asks_which"))
        return _check(("anything_else", "help", "asks_location", "greet"))
    if probe.id == "deny":
        return _check(("anything_else", "goodbye", "asks_interest", "welcome"))
    if probe.id == "search_opportunities":
        return _check(("asks_location", "asks_interest", "results"))
    if probe.id == "inform":
        return _check(("results",))
    if probe.id == "more_results":
        return _check(("results", "no_results") if state.searched else ("no_search_yet", "asks_location"))
    if probe.id == "more_info":
        return _check(("details",) if state.shown else ("no_search_yet", "asks_location", "asks_which"))
    if probe.id == "change_search":
        return _check(("asks_interest", "asks_location") if state.searched else ("asks_location", "asks_interest", "help"))
    if probe.id == "sign_up":
        if "details" in state.tags:
            return _check(("asks_name", "asks_which"))
        return _check(("asks_which",) if state.shown else ("asks_which", "asks_location", "no_search_yet"))
    if probe.id == "post_need":
        return _check(("need_intro", "asks_need_initiative"))
    if probe.id == "subscribe_alerts":
        if state.searched:
            return _check(("asks_alert_email", "alerts_subscribed"))
        return _check(("alerts_need_search", "asks_location"))
    if probe.id == "unsubscribe_alerts":
        return _check(("alerts_stopped",))
    if probe.id == "withdraw_signup":
        return _check(("asks_withdraw",) if "done" in state.tags else ("no_signups",))
    if probe.id in ("first_name", "email", "phone"):
        # Someone who wants to sign up: ask which one (or go on with the one on screen).
        if not state.shown:
            return _check(OPEN_REPLIES)
        extra = ("alerts_subscribed",) if "alerts" in state.tags and probe.id == "email" else ()
        if state.tags & {"done", "open"}:
            # After a question of its own ("Kan ik nog iets voor je doen?") an open answer fits too.
            return _check(SIGNUP_START + OPEN_REPLIES + extra)
        return _check(SIGNUP_START + extra)
    if probe.id in ("postcode", "place"):
        return _check(("results", "no_results") if state.searched else ("asks_interest", "results"))
    raise AssertionError(f"no expectation for {probe.id} in {state.id}")


# --- playing the cases ----------------------------------------------------------------------------


@dataclass
class CaseOutcome:
    state: str
    probe: str
    message: str
    reached: bool
    problems: list[str] = field(default_factory=list)
    reply: str = ""
    before: str = ""
    intent: str | None = None
    confidence: float | None = None
    filled: dict = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return self.reached and not self.problems


def _wrong_fields(state: State, probe: Probe, filled: dict) -> list[str]:
    return [f"{slot}={value!r}" for slot, value in filled.items() if slot not in fields_allowed(state, probe)]


def fields_allowed(state: State, probe: Probe) -> frozenset[str]:
    """The slots a probe may fill in a state: its own, and the result a yes to the details' "Aanmelden" picks."""
    if probe.id == "affirm" and "details" in state.tags:
        return probe.fills | {"opportunity_id"}
    if state.slot == "question_text":
        return probe.fills | {"question_text"}
    return probe.fills


@dataclass
class Reached:
    """A state as reached by its prefix: the conversation to copy, the last reply, or why it failed."""

    state: State
    sender: str | None = None
    reply: expect.Reply | None = None
    message: str | None = None
    problem: str | None = None


async def reach(chat: RestChat, state: State) -> Reached:
    reached = Reached(state, chat.sender)
    for step in state.prefix:
        if step.startswith("when:"):
            # "when:<kind>:<message>": sent only when the previous reply is of that kind.
            _, kind, step = step.split(":", 2)
            if kind not in expect.kinds_of(reached.reply or []):
                continue
        message = step
        if step.startswith("click:"):
            message = button_payload(step.removeprefix("click:"), reached.reply)
            if message is None:
                reached.problem = f"prefix: no button {step!r} in {expect.describe(reached.reply or [])}"
                return reached
        reached.reply, reached.message = await chat.say(message), message
    if state.arrived and not set(state.arrived) & expect.kinds_of(reached.reply or []):
        reached.problem = (f"could not reach the state: expected {list(state.arrived)}, "
                           f"got {expect.describe(reached.reply or [])}")
    return reached


async def play_case(client, rasa_url: str, tracker_db: Path, reached: Reached, probe: Probe) -> CaseOutcome:
    """Sends the probe in a fresh conversation standing in `reached`'s state (copied, or replayed)."""
    state = reached.state
    outcome = CaseOutcome(state.id, probe.id, probe.text, reached=reached.problem is None)
    chat = RestChat(client, rasa_url, prefix="state")
    if state.replay:
        reached = await reach(chat, state)
        outcome.reached = reached.problem is None
    elif state.prefix and outcome.reached:
        await asyncio.to_thread(copy_conversation, tracker_db, reached.sender, chat.sender)
    if not outcome.reached:
        outcome.problems = [reached.problem or "state not reached"]
        return outcome
    outcome.before = expect.describe(reached.reply) if reached.reply else ""
    mark = await asyncio.to_thread(last_event_id, tracker_db, chat.sender)
    reply = await chat.say(probe.text)
    turn = await asyncio.to_thread(turn_since, tracker_db, chat.sender, mark)
    outcome.intent, outcome.confidence, outcome.filled = turn.intent, turn.confidence, turn.filled
    outcome.reply = expect.describe(reply)
    outcome.problems = expect.global_problems(reply, probe.text, reached.reply, reached.message)
    outcome.problems += expectation(state, probe).problems(reply)
    wrong = _wrong_fields(state, probe, turn.filled)
    if wrong:
        outcome.problems.append(f"took the message for another field: {', '.join(wrong)}")
    return outcome


async def play_cases(rasa_url: str, tracker_db: Path, cases: list[tuple[str, str]]) -> list[CaseOutcome]:
    """Reaches each state once, then plays every probe in its own copy of that conversation."""
    async with http_client() as client:
        wanted = [s for s in STATES if any(state == s.id for state, _ in cases)]
        reached = await gather_limited(
            [lambda s=s: reach(RestChat(client, rasa_url, prefix="state"), s) if not s.replay
             else _deferred(s) for s in wanted],
            CASES_AT_ONCE,
        )
        by_state = {r.state.id: r for r in reached}
        return await gather_limited(
            [lambda s=s, p=p: play_case(client, rasa_url, tracker_db, by_state[s], PROBE_BY_ID[p]) for s, p in cases],
            CASES_AT_ONCE,
        )


async def _deferred(state: State) -> Reached:
    return Reached(state)


# --- pytest ----------------------------------------------------------------------------------------

STATE_BY_ID = {s.id: s for s in STATES}
PROBE_BY_ID = {p.id: p for p in PROBES}
OPEN_CASES_FILE = Path(__file__).with_name("state_space_open.txt")


def open_cases() -> set[str]:
    """The `state--probe` ids that fail today (state_space_open.txt); every other case must pass."""
    lines = OPEN_CASES_FILE.read_text(encoding="utf-8").splitlines()
    return {line.split("#", 1)[0].strip() for line in lines if line.split("#", 1)[0].strip()}


def _case(state: State, probe: Probe):
    case_id = f"{state.id}--{probe.id}"
    marks = [pytest.mark.xfail(reason="open, see state_space_open.txt", strict=False)] if case_id in open_cases() else []
    return pytest.param(state.id, probe.id, id=case_id, marks=marks)


CASES = [_case(s, p) for s in STATES for p in PROBES]


def test_every_intent_has_a_probe():
    intents = set(yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))["intents"])
    assert intents <= set(PROBE_BY_ID), sorted(intents - set(PROBE_BY_ID))


def test_every_form_slot_is_a_state():
    forms = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))["forms"]
    covered = {(s.form, s.slot) for s in STATES}
    wanted = {(name.removesuffix("_form"), slot) for name, form in forms.items() for slot in form["required_slots"]}
    assert wanted <= covered, sorted(wanted - covered)


@pytest.fixture(scope="module")
def outcomes(stack, request) -> dict[tuple[str, str], CaseOutcome]:  # noqa: F811
    """Plays every selected (state, probe) case at once, a few at a time."""
    selected = sorted({
        (item.callspec.params["state_id"], item.callspec.params["probe_id"])
        for item in request.session.items
        if item.module is request.module and hasattr(item, "callspec") and "probe_id" in item.callspec.params
    })
    started = time.monotonic()
    played = asyncio.run(play_cases(stack.rasa_url, Path(stack.tracker_db), selected))
    seconds = time.monotonic() - started
    _report(played, seconds, request)
    return {(o.state, o.probe): o for o in played}


def _report(played: list[CaseOutcome], seconds: float, request) -> None:
    failing = [o for o in played if not o.passed]
    by_state = Counter(o.state for o in failing)
    by_probe = Counter(o.probe for o in failing)
    RESULTS_FILE.parent.mkdir(parents=True, exist_ok=True)
    RESULTS_FILE.write_text(json.dumps({
        "seconds": round(seconds, 1), "cases": len(played), "passed": len(played) - len(failing),
        "failing_by_state": dict(by_state.most_common()), "failing_by_probe": dict(by_probe.most_common()),
        "failing": [asdict(o) for o in failing],
    }, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    reporter = request.config.pluginmanager.getplugin("terminalreporter")
    lines = ["", f"State space: {len(played) - len(failing)} of {len(played)} cases pass ({seconds:.0f} s); "
                 f"details in {RESULTS_FILE.relative_to(ROOT)}"]
    grouped: dict[str, list[str]] = defaultdict(list)
    for o in failing:
        grouped[o.state].append(o.probe)
    for state, probes in grouped.items():
        lines.append(f"  {state}: {', '.join(probes)}")
    for line in lines:
        reporter.write_line(line) if reporter is not None else print(line)


@pytest.mark.e2e
@pytest.mark.parametrize("state_id, probe_id", CASES)
def test_state_probe(state_id, probe_id, outcomes):
    outcome = outcomes[(state_id, probe_id)]
    assert outcome.reached, outcome.problems
    assert not outcome.problems, (
        f"in state {state_id}, {outcome.message!r} (NLU: {outcome.intent} {outcome.confidence or 0:.2f}, "
        f"filled {outcome.filled}): {'; '.join(outcome.problems)}\n  before: {outcome.before}\n  bot: {outcome.reply}"
    )


def test_every_case_has_an_expectation():
    for state in STATES:
        for probe in PROBES:
            check = expectation(state, probe)
            assert check.expect or check.all, (state.id, probe.id)
            assert not expect.unknown_kinds(check.expect + check.all + check.not_), (state.id, probe.id)

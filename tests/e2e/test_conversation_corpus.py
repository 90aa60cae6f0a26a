"""Typed conversations as residents have them, judged by what a patient volunteer-centre employee would do.

The corpus lives in tests/conversations/: `tuning/` (developers may look at
its failures and tune the bot on them) and `held_out/` (written once, never
tuned on). Each conversation runs in a fresh sender over Rasa's REST channel
against the shared e2e stack; the table of pass rates per split is printed
and written to results/conversations.json.

The thresholds are the lead's to set: they are the two settings below.
"""

from __future__ import annotations

import asyncio
import re
import time
import unicodedata

import pytest
import yaml

from doemee import initiative_messages, messages
from doemee.categories import LABELS
from scripts.stack import ROOT
from tests.conversations import corpus, expect

# --- settings --------------------------------------------------------------------------------
# The target is 0.95 for both. These floors sit just under what the bot scored on
# 2026-12-05 (held out 80/85 = 0.94 with 22 conversations written blind that day, tuning 72/72),
# so a change that makes typed conversations worse fails `make test`; raise them as the bot gets better.
HELD_OUT_MIN_PASS_RATE = 0.90
TUNING_MIN_PASS_RATE = 0.95
TARGET_PASS_RATE = 0.95
CONVERSATIONS_AT_ONCE = 4
RESULTS_FILE = ROOT / "results" / "conversations.json"
MIN_CONVERSATIONS = {"tuning": 50, "held_out": 70}
MIN_TOTAL = 130


# --- the corpus itself (no stack needed) ---------------------------------------------------------


def test_the_corpus_loads_and_is_big_enough():
    conversations = corpus.load_corpus()
    counts = {split: sum(c.split == split for c in conversations) for split in corpus.SPLITS}
    assert len(conversations) >= MIN_TOTAL, counts
    for split, minimum in MIN_CONVERSATIONS.items():
        assert counts[split] >= minimum, counts


def test_every_held_out_file_says_it_is_never_tuned_on():
    files = sorted((corpus.CORPUS_DIR / "held_out").glob("*.yml"))
    assert files
    for path in files:
        head = path.read_text(encoding="utf-8").split("conversations:", 1)[0].lower()
        assert head.lstrip().startswith("#") and "never tune" in head, path.name


def _normalised(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^\w@]+", " ", text).split())


def _training_examples() -> set[str]:
    examples = set()
    for path in (ROOT / "data" / "nlu").glob("*.yml"):
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu") or []:
            for line in str(block.get("examples") or "").splitlines():
                line = re.sub(r"\[([^\]]*)\]\([^)]*\)|\[([^\]]*)\]\{[^}]*\}", lambda m: m.group(1) or m.group(2), line)
                line = line.strip().removeprefix("- ").strip()
                if line:
                    examples.add(_normalised(line))
    return examples


def test_held_out_sentences_are_not_nlu_training_examples():
    """Held out means held out: its longer sentences must not be copied into data/nlu."""
    training = _training_examples()
    copied = sorted({
        turn.say for c in corpus.load_corpus() if c.split == "held_out" for turn in c.turns
        if turn.say and len(turn.say.split()) >= 4 and _normalised(turn.say) in training
    })
    assert not copied, f"held-out sentences found in data/nlu: {copied}"


def _domain_responses() -> dict[str, str]:
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    return {name: variants[0]["text"] for name, variants in domain["responses"].items()}


def _current_wording() -> list[tuple[str, str]]:
    """(kind, a sentence the bot says today) for every kind the corpus uses."""
    r = _domain_responses()
    return [
        ("results", messages.results_intro(3, "Utrecht")),
        ("results", messages.nothing_nearby("Zwolle", 10)),
        ("results", messages.results_more_intro(4)),
        ("no_results", messages.nothing_at_all("Zwolle")),
        ("no_results", messages.NO_MORE_RESULTS),
        ("details", messages.opportunity_details("Titel", "Club", "Wat je doet.", "Utrecht", "wekelijks", ["avond"], None)),
        ("asks_location", messages.ASK_LOCATION),
        ("asks_location", messages.ASK_LOCATION_AGAIN),
        ("asks_location", messages.geo_region("Utrecht")),
        ("asks_place_choice", messages.geo_ambiguous(["de wijk Schalkwijk in Haarlem", "Schalkwijk in de gemeente Houten"])),
        ("place_corrected", messages.geo_corrected("Utrecht")),
        ("unknown_place", messages.GEO_UNKNOWN_PLACE),
        ("unknown_place", messages.geo_unknown_postcode("9999")),
        ("unknown_place", messages.LOCATION_OUTSIDE_NL),
        ("asks_interest", messages.ASK_INTERESTS),
        ("asks_interest", messages.INTERESTS_UNKNOWN),
        ("interest_unknown", messages.INTERESTS_UNKNOWN),
        ("no_search_yet", messages.NO_SEARCH_YET),
        ("after_results", r["utter_after_results"]),
        ("asks_which", messages.ask_which_opportunity(3)),
        ("asks_which", messages.ask_which_opportunity(1)),
        ("asks_which", messages.ASK_WHICH_NOTHING_SHOWN),
        ("asks_which", messages.ask_which_typed(3, first_name="Fatima")),
        ("asks_which", messages.ask_which_typed(3, unclear=True)),
        ("asks_which", messages.ask_which_typed(3, unknown=True)),
        ("asks_which", messages.ask_which_typed(3, again=True)),
        ("asks_which", messages.CHOICE_NOT_FOUND),
        ("asks_which", messages.CHOICE_NOT_FOUND_AGAIN),
        ("asks_which", messages.ASK_WHICH_MORE_INFO),
        ("asks_name", messages.ASK_FIRST_NAME),
        ("asks_name", messages.FIRST_NAME_INVALID),
        ("asks_contact", messages.ASK_CONTACT),
        ("asks_contact", messages.CONTACT_INVALID),
        ("asks_consent", messages.consent_question("Club", "Titel", "Sanne", "email", "sanne@example.org")),
        ("signed_up", messages.signup_confirmed("Titel", "Club", "club@example.org", None)),
        ("signed_up", messages.signup_already("Titel", "Club", "club@example.org")),
        ("signup_declined", messages.SIGNUP_DECLINED),
        ("signup_declined", r["utter_signup_stopped"]),
        ("opportunity_gone", messages.OPPORTUNITY_GONE),
        ("greet", r["utter_greet"]),
        ("help", r["utter_help"]),
        ("bot", r["utter_bot_challenge"]),
        ("out_of_scope", r["utter_out_of_scope"]),
        ("fallback", messages.FALLBACK_FIRST),
        ("fallback", messages.FALLBACK_SECOND),
        ("handoff", messages.handoff("het Vrijwilligerscentrum, via info@example.org")),
        ("privacy", r["utter_privacy"]),
        ("welcome", r["utter_you_are_welcome"]),
        ("anything_else", r["utter_anything_else"]),
        ("anything_else", r["utter_you_are_welcome"]),
        ("goodbye", r["utter_goodbye"]),
        ("stopped", r["utter_search_stopped"]),
        ("stopped", r["utter_signup_stopped"]),
        ("stopped", r["utter_need_stopped"]),
        ("asks_forget", messages.ASK_FORGET),
        ("forgotten", messages.FORGOTTEN),
        ("forget_cancelled", messages.FORGET_CANCELLED),
        ("alerts_subscribed", messages.alerts_subscribed(messages.alert_summary([LABELS["groen"]], "Zwolle", 10))),
        ("alerts_subscribed", messages.alerts_already("alles, binnen 10 km van Zwolle")),
        ("alerts_need_search", messages.ALERTS_NEED_SEARCH),
        ("asks_alert_email", messages.ASK_ALERT_EMAIL),
        ("asks_alert_email", messages.ALERT_EMAIL_INVALID),
        ("alerts_subscribed", messages.email_alerts_mail_coming("sanne@example.org", 7)),
        ("alerts_subscribed", messages.email_alerts_mail_sent_recently("sanne@example.org")),
        ("alerts_subscribed", messages.email_alerts_confirmed("sanne@example.org", "alles, binnen 10 km van Zwolle")),
        ("alerts_subscribed", messages.email_alerts_already("sanne@example.org", "alles, binnen 10 km van Zwolle")),
        ("stopped", r["utter_alerts_mail_stopped"]),
        ("alerts_stopped", messages.ALERTS_STOPPED),
        ("alerts_stopped", messages.ALERTS_NONE),
        ("need_intro", r["utter_need_intro"]),
        ("asks_need_initiative", messages.ASK_NEED_INITIATIVE),
        ("asks_need_title", messages.ASK_NEED_TITLE),
        ("asks_need_description", messages.ASK_NEED_DESCRIPTION),
        ("asks_need_category", messages.ASK_NEED_CATEGORY),
        ("asks_need_category", messages.NEED_UNKNOWN_CATEGORY),
        ("asks_need_postcode", messages.ASK_NEED_POSTCODE),
        ("asks_need_postcode", messages.NEED_BAD_POSTCODE),
        ("asks_need_commitment", messages.ASK_NEED_COMMITMENT),
        ("asks_need_commitment", messages.NEED_BAD_COMMITMENT),
        ("asks_email", messages.ASK_NEED_EMAIL),
        ("asks_email", messages.NEED_BAD_EMAIL),
        ("asks_need_confirm", messages.need_summary(["Titel"], ["Hulp bij de moestuin"])),
        ("asks_need_fix", messages.ASK_NEED_FIX),
        ("asks_need_fix", messages.NEED_FIX_UNCLEAR),
        ("need_problem", messages.need_wrong_kind("een e-mailadres", True)),
        ("need_saved", messages.need_saved("Hulp bij de moestuin", "info@example.org")),
        ("need_rejected", messages.need_rejected(["De titel is te kort."])),
        ("need_problem", messages.need_too_short(10)),
        ("asks_question_text", messages.ASK_QUESTION_TEXT),
        ("asks_question_text", messages.ASK_QUESTION_TEXT_AGAIN),
        ("asks_question_text", messages.QUESTION_TOO_SHORT),
        ("asks_question_contact", messages.ASK_QUESTION_CONTACT),
        ("asks_question_contact", messages.QUESTION_CONTACT_INVALID),
        ("asks_question_consent", messages.question_consent("Centrum", "email", "sanne@example.org")),
        ("asks_question_consent", messages.question_consent("Centrum", "phone", "0612345678", "Sanne")),
        ("asks_question_consent", messages.QUESTION_ASK_YES_NO),
        ("question_sent", messages.question_stored("Centrum", messages.ANSWER_WITHIN, "email")),
        ("question_cancelled", messages.QUESTION_CANCELLED),
        ("stopped", r["utter_question_stopped"]),
        ("asks_manage_email", initiative_messages.REQUEST_ASK_EMAIL_CHAT),
        ("asks_manage_email", initiative_messages.REQUEST_BAD_EMAIL_CHAT),
        ("manage_link_sent", initiative_messages.REQUEST_ANSWER_CHAT),
        ("stopped", r["utter_manage_link_stopped"]),
        ("asks_withdraw_which", messages.WITHDRAW_WHICH),
        ("asks_withdraw_which", messages.WITHDRAW_UNKNOWN),
        ("asks_withdraw", messages.withdraw_confirm("Taalmaatje", "Buurthuis")),
        ("withdrawn", messages.followup_withdrawn("Buurthuis", "Taalmaatje")),
        ("asks_withdraw", messages.WITHDRAW_YES_OR_NO),
        ("withdraw_kept", messages.WITHDRAW_KEPT),
        ("withdraw_kept", messages.WITHDRAW_GONE),
        ("withdraw_kept", r["utter_withdraw_stopped"]),
        ("no_signups", messages.WITHDRAW_NONE),
        ("apology", messages.SORRY_TECHNICAL),
    ]


@pytest.mark.parametrize("kind, sentence", _current_wording(), ids=lambda v: v if len(v) < 30 else v[:27] + "...")
def test_every_kind_recognises_the_current_wording(kind, sentence):
    assert kind in expect.kinds_of([{"text": sentence}]), f"{kind} does not recognise: {sentence}"


def test_kinds_that_must_not_be_confused():
    """Sentences that share words with another kind are only that kind."""
    r = _domain_responses()
    pairs = [
        (messages.ASK_FIRST_NAME, {"asks_contact", "asks_consent"}),
        (messages.ASK_CONTACT, {"asks_name", "asks_email"}),
        (messages.consent_question("Club", "Titel", "Sanne", "email", "sanne@example.org"),
         {"asks_name", "asks_contact", "asks_email"}),
        (messages.ASK_NEED_EMAIL, {"asks_contact"}),
        (r["utter_greet"], {"asks_location", "help"}),
        (r["utter_help"], {"asks_location", "greet"}),
        (r["utter_privacy"], {"asks_forget", "forgotten"}),
        (messages.ASK_FORGET, {"forgotten", "privacy"}),
        (messages.NO_SEARCH_YET, {"alerts_need_search"}),
        (messages.ALERTS_NEED_SEARCH, {"no_search_yet"}),
        (messages.opportunity_details("Titel", "Club", "Wat je doet.", "Utrecht", "wekelijks", [], None), {"results"}),
        (messages.CONTACT_INVALID, {"fallback"}),
        (messages.ASK_ALERT_EMAIL, {"asks_contact", "asks_email"}),
        (messages.ALERT_EMAIL_INVALID, {"asks_name", "asks_contact"}),
        (messages.need_summary(["E-mailadres"], ["info@example.org"]), {"asks_email", "need_saved"}),
        (messages.ASK_QUESTION_CONTACT, {"asks_contact", "asks_email", "asks_alert_email"}),
        (messages.question_consent("Centrum", "email", "sanne@example.org"), {"asks_consent", "asks_contact"}),
        (messages.question_offer("Centrum"), {"asks_question_text", "asks_contact"}),
        (initiative_messages.REQUEST_ASK_EMAIL_CHAT, {"asks_email", "asks_alert_email", "asks_contact"}),
        (initiative_messages.REQUEST_ANSWER_CHAT, {"alerts_subscribed", "need_saved"}),
        (messages.withdraw_confirm("Taalmaatje", "Buurthuis"), {"asks_which", "asks_consent", "alerts_stopped"}),
        (messages.WITHDRAW_WHICH, {"asks_which"}),
        (messages.followup_withdrawn("Buurthuis", "Taalmaatje"), {"stopped", "signup_declined", "alerts_stopped"}),
    ]
    for sentence, never in pairs:
        assert not expect.kinds_of([{"text": sentence}]) & never, sentence
    details = [{"text": "Titel\nVan: Club", "buttons": [{"title": "Aanmelden", "payload": '/sign_up{"opportunity_id": "3"}'}]}]
    assert "results" not in expect.kinds_of(details)


def test_global_checks_catch_what_no_reply_may_show():
    assert expect.global_problems([], "hoi", None, None)
    assert expect.global_problems([{"text": "Hoi {name}!"}], "hoi", None, None)
    assert expect.global_problems([{"text": "Je woont in None."}], "hoi", None, None)
    assert expect.global_problems([{"text": messages.SORRY_TECHNICAL}], "hoi", None, None)
    same = [{"text": messages.ASK_LOCATION}]
    assert expect.global_problems(same, "zwolle", same, "3511")
    assert not expect.global_problems(same, "3511", same, "3511!")
    assert not expect.global_problems([{"text": messages.ASK_LOCATION}], "hoi", None, None)


# --- the corpus against the real stack -----------------------------------------------------------


@pytest.fixture(scope="module")
def corpus_outcomes(stack, request) -> list[corpus.Outcome]:  # noqa: F811
    conversations = corpus.load_corpus()
    started = time.monotonic()
    outcomes = asyncio.run(corpus.play_all(stack.rasa_url, conversations, CONVERSATIONS_AT_ONCE))
    seconds = time.monotonic() - started
    corpus.write_results(RESULTS_FILE, outcomes, seconds,
                         {"held_out": HELD_OUT_MIN_PASS_RATE, "tuning": TUNING_MIN_PASS_RATE})
    reporter = request.config.pluginmanager.getplugin("terminalreporter")
    for line in corpus.report_lines(outcomes, seconds):
        if reporter is not None:
            reporter.write_line(line)
        else:
            print(line)
    return outcomes


def _assert_rate(outcomes: list[corpus.Outcome], split: str, minimum: float) -> None:
    row = corpus.summary(outcomes)[split]
    failing = [f"{o.id} (turn {o.failed_turn} {o.message!r}: {'; '.join(o.problems)})"
               for o in outcomes if o.split == split and not o.passed]
    assert row["pass_rate"] >= minimum, (
        f"{split}: {row['passed']}/{row['conversations']} = {row['pass_rate']:.1%} < {minimum:.0%}; "
        f"failing: {failing} (details in {RESULTS_FILE.relative_to(ROOT)})"
    )


@pytest.mark.e2e
def test_held_out_pass_rate(corpus_outcomes):
    _assert_rate(corpus_outcomes, "held_out", HELD_OUT_MIN_PASS_RATE)


@pytest.mark.e2e
def test_tuning_pass_rate(corpus_outcomes):
    _assert_rate(corpus_outcomes, "tuning", TUNING_MIN_PASS_RATE)

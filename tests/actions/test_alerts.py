"""Alerts in the chat: the widget asks for an address, a typed one is used, and the link goes out."""

from __future__ import annotations

import email

import pytest
from sqlalchemy import func, select

from actions.alerts import ActionSubscribeAlerts, ValidateAlertsForm
from actions.privacy import ActionForgetMe
from actions.questions import AskAlertEmail
from doemee import messages
from doemee.settings import get_settings
from doemee.storage.database import get_database
from doemee.storage.models import AlertSubscription, EmailAlert
from tests.actions.conftest import make_tracker, run
from tests.actions.test_search import _search_slots
from tests.support.outbox import mails

WEB = {"channel": "web", "centre": "utrecht", "municipalities": []}
TELEGRAM = {"channel": "telegram"}
SENDER = "web-0123456789abcdef0123456789abcdef"


@pytest.fixture
def mail_db(app_db, monkeypatch):
    """The actions' database with a signing key and public address for the links."""
    monkeypatch.setenv("DOEMEE_SECRET_KEY", "test-secret")
    monkeypatch.setenv("DOEMEE_PUBLIC_URL", "https://doemee.example.org")
    get_settings.cache_clear()
    yield app_db
    get_settings.cache_clear()


def _form(text: str, intent: str = "inform", metadata: dict | None = None, asked: bool = False, **slots):
    return make_tracker(
        text=text, intent=intent, metadata=WEB if metadata is None else metadata, sender=SENDER,
        slots={**_search_slots(interests=("groen",)), **slots},
        requested_slot="alert_email" if asked else None, active_loop="alerts_form",
    )


def _finished(outcome) -> bool:
    """Whether the form ends here (the validation says no slot is left to ask)."""
    return any(e.get("name") == "requested_slot" and e.get("value") is None for e in outcome.events)


def _outbox() -> list[email.message.Message]:
    return list(mails(get_database(), "alert-confirm"))


async def test_in_the_widget_asking_for_alerts_asks_for_an_address(mail_db, domain):
    outcome = await run(ValidateAlertsForm(), _form("kun je me mailen als er iets komt?", "subscribe_alerts"), domain)
    assert "alert_email" not in outcome.slots and not _finished(outcome)
    asked = await run(AskAlertEmail(), _form("", asked=True), domain)
    assert asked.texts == [messages.ASK_ALERT_EMAIL]


async def test_an_address_typed_with_the_request_is_used_at_once(mail_db, domain):
    outcome = await run(ValidateAlertsForm(), _form("mail me op Jan@Example.nl als er iets komt", "subscribe_alerts"), domain)
    assert outcome.slots["alert_email"] == "jan@example.nl"


@pytest.mark.parametrize("intent", ["inform", "search_opportunities", "out_of_scope", "nlu_fallback", "sign_up"])
async def test_an_address_answers_the_question_whatever_the_nlu_guessed(mail_db, domain, intent):
    outcome = await run(ValidateAlertsForm(), _form("sanne.devries@ziggo.nl", intent, asked=True), domain)
    assert outcome.slots["alert_email"] == "sanne.devries@ziggo.nl"


async def test_an_answer_without_an_address_is_asked_again(mail_db, domain):
    outcome = await run(ValidateAlertsForm(), _form("dat weet ik niet uit mijn hoofd", asked=True), domain)
    assert outcome.slots["alert_email"] is None
    assert outcome.texts == [messages.ALERT_EMAIL_INVALID]


@pytest.mark.parametrize("intent", ["help", "deny", "unsubscribe_alerts", "search_opportunities"])
async def test_an_interruption_while_asked_is_left_to_the_rules(mail_db, domain, intent):
    outcome = await run(ValidateAlertsForm(), _form("wat moet ik hier doen", intent, asked=True), domain)
    assert "alert_email" not in outcome.slots and outcome.texts == []


async def test_an_off_topic_question_while_asked_is_no_bad_address(mail_db, domain):
    """The out-of-scope rule answers it and the form asks again; it is not 'no e-mail address'."""
    outcome = await run(ValidateAlertsForm(), _form("wat voor weer wordt het morgen?", "out_of_scope", asked=True), domain)
    assert "alert_email" not in outcome.slots and outcome.texts == []


async def test_on_telegram_alerts_are_pushed_without_asking_for_an_address(mail_db, domain):
    outcome = await run(ValidateAlertsForm(), _form("hou me op de hoogte", "subscribe_alerts", TELEGRAM), domain)
    assert _finished(outcome) and "alert_email" not in outcome.slots


async def test_a_telegram_resident_who_types_an_address_gets_mail(mail_db, domain):
    outcome = await run(ValidateAlertsForm(), _form("mail me op jan@example.nl", "subscribe_alerts", TELEGRAM), domain)
    assert outcome.slots["alert_email"] == "jan@example.nl"
    submitted = await run(ActionSubscribeAlerts(), _form("", metadata=TELEGRAM, alert_email="jan@example.nl"), domain)
    assert "jan@example.nl" in submitted.all_text and len(_outbox()) == 1


@pytest.mark.parametrize("channel", ["telegram", "rest"])
async def test_without_an_address_other_channels_subscribe_as_before(mail_db, domain, channel):
    tracker = _form("mail me als er wat nieuws is", "subscribe_alerts", {"channel": channel})
    assert _finished(await run(ValidateAlertsForm(), tracker, domain))
    outcome = await run(ActionSubscribeAlerts(), tracker, domain)
    assert outcome.texts[0].startswith("Goed!") and _outbox() == []
    with mail_db.session() as session:
        assert session.scalar(select(func.count()).select_from(EmailAlert)) == 0


async def test_without_a_search_nothing_is_asked(mail_db, domain):
    tracker = make_tracker(text="mail me als er iets komt", intent="subscribe_alerts", metadata=WEB, active_loop="alerts_form")
    assert _finished(await run(ValidateAlertsForm(), tracker, domain))


async def test_the_address_is_stored_with_consent_and_the_link_is_mailed(mail_db, domain):
    tracker = _form("jan@example.nl", asked=True, alert_email="jan@example.nl")
    outcome = await run(ActionSubscribeAlerts(), tracker, domain)

    assert "jan@example.nl" in outcome.all_text and "link" in outcome.all_text
    assert outcome.slots == {"alert_email": None}
    [mail] = _outbox()
    assert mail["To"] == "jan@example.nl"
    assert "https://doemee.example.org/meldingen/bevestig?token=" in mail.get_payload(decode=True).decode()
    with mail_db.session() as session:
        row = session.scalars(select(EmailAlert)).one()
        assert (row.email, row.confirmed_at) == ("jan@example.nl", None)
        assert "alleen daarvoor" in row.consent_text and "jan@example.nl" not in row.consent_text


async def test_asking_twice_sends_one_mail(mail_db, domain):
    tracker = _form("jan@example.nl", asked=True, alert_email="jan@example.nl")
    await run(ActionSubscribeAlerts(), tracker, domain)
    again = await run(ActionSubscribeAlerts(), tracker, domain)
    assert again.texts == [messages.email_alerts_mail_sent_recently("jan@example.nl")]
    assert len(_outbox()) == 1


async def test_forget_me_deletes_the_address(mail_db, domain):
    await run(ActionSubscribeAlerts(), _form("jan@example.nl", asked=True, alert_email="jan@example.nl"), domain)
    await run(ActionForgetMe(), make_tracker(slots={"forget_confirmed": True}, sender=SENDER), domain)
    with mail_db.session() as session:
        assert session.scalar(select(func.count()).select_from(EmailAlert)) == 0
        assert session.scalar(select(func.count()).select_from(AlertSubscription)) == 0

"""Alerts by email with double opt-in, on a real database (SQLite and PostgreSQL) and a real outbox."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from email.message import Message
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import func, select

from doemee import email_alerts
from doemee.alerts import AlertCriteria, claim, due_alerts, due_by_email, news_for, subscribe, unsubscribe
from doemee.email_alerts import Link, Requested, find_address, purge_unconfirmed, request, run_once, send_alerts
from doemee.privacy import forget
from doemee.settings import Settings
from doemee.storage.models import AlertSubscription, EmailAlert
from doemee.outbox_worker import deliver_due
from tests.domain.factories import UTRECHT, make_opportunity
from tests.support.outbox import mails

CRITERIA = AlertCriteria(*UTRECHT, pc4="3511", interests=("groen",))
SENDER = "web-0123456789abcdef0123456789abcdef"
ADDRESS = "jan@example.nl"
CONSENT = "Ik wil een mail krijgen over nieuw vrijwilligerswerk."


@pytest.fixture
def settings(tmp_path) -> Settings:
    return replace(
        Settings(), smtp_host=None, secret_key="test-secret",
        public_url="https://doemee.example.org",
    )


def _mails(database, kind: str) -> list[Message]:
    """The outbox's mails of one kind ("alert-confirm" or "alert"), oldest first."""
    return list(mails(database, kind))


def _token(link: str) -> str:
    return parse_qs(urlsplit(link).query)["token"][0]


def _link_in(message: Message, path: str) -> str:
    body = message.get_payload(decode=True).decode()
    return next(word for word in body.split() if path in word)


def _requested(database, now: datetime, sender: str = SENDER, address: str = ADDRESS, channel: str = "web"):
    with database.session() as session:
        return request(session, channel, sender, CRITERIA, address, CONSENT, now)


def _confirmed(database, settings, now: datetime) -> None:
    _requested(database, now)
    run_once(database, settings, now)
    [mail] = _mails(database, "alert-confirm")
    with database.session() as session:
        assert email_alerts.confirm(session, _token(_link_in(mail, "/meldingen/bevestig")), settings, now) is Link.DONE


@pytest.mark.parametrize("text, found", [
    ("mail me op Jan@Example.nl als er iets komt", "jan@example.nl"),
    ("<sanne.devries@ziggo.nl>.", "sanne.devries@ziggo.nl"),
    ("mailto:p.jansen@ziggo.nl", "p.jansen@ziggo.nl"),
    ("ik woon in 3511", None),
    ("jan@example", None),
    ("jan@@example.nl", None),
    ("jan@example.nl\nBcc: iedereen@example.nl", "jan@example.nl"),
])
def test_an_address_is_found_in_what_the_resident_typed(text, found):
    assert find_address(text) == found


def test_asking_stores_the_address_with_the_consent_and_mails_nothing_yet(database, settings):
    now = datetime.now(timezone.utc)
    asked = _requested(database, now)
    with database.session() as session:
        row = session.get(EmailAlert, asked.email_alert_id)
        assert (row.email, row.consent_text, row.confirmed_at) == (ADDRESS, CONSENT, None)
        assert abs(row.consented_at.replace(tzinfo=timezone.utc) - now) < timedelta(seconds=1)
    assert asked.outcome is Requested.MAIL_COMING
    assert _mails(database, "alert-confirm") == []


def test_nothing_but_the_confirmation_is_mailed_before_the_link_is_used(database, settings):
    now = datetime.now(timezone.utc)
    _requested(database, now - timedelta(hours=2))
    with database.session() as session:
        make_opportunity(session, title="Onkruid wieden", created_at=now - timedelta(hours=1))

    run_once(database, settings, now)
    run_once(database, settings, now + timedelta(days=2))

    [confirmation] = _mails(database, "alert-confirm")
    assert confirmation["To"] == ADDRESS
    assert _link_in(confirmation, "/meldingen/bevestig").startswith("https://doemee.example.org/meldingen/bevestig?token=")
    assert _mails(database, "alert") == []


def test_a_pending_request_made_by_mail_is_neither_pushed_nor_shown_in_the_widget(database):
    now = datetime.now(timezone.utc)
    _requested(database, now - timedelta(hours=2), channel="telegram", sender="42")
    _requested(database, now - timedelta(hours=2))
    with database.session() as session:
        make_opportunity(session, created_at=now - timedelta(hours=1))
        assert due_alerts(session, now) == []
        assert news_for(session, "web", SENDER, now) == []


def test_a_telegram_subscription_keeps_its_pushes_until_the_mail_is_confirmed(database, settings):
    now = datetime.now(timezone.utc)
    with database.session() as session:
        subscription, _ = subscribe(session, "telegram", "42", CRITERIA)
        subscription.created_at = now - timedelta(days=1)
    _requested(database, now - timedelta(hours=2), channel="telegram", sender="42")
    with database.session() as session:
        make_opportunity(session, created_at=now - timedelta(hours=1))
        assert [a.sender_id for a in due_alerts(session, now, channel="telegram")] == ["42"]
    run_once(database, settings, now)
    [mail] = _mails(database, "alert-confirm")
    with database.session() as session:
        email_alerts.confirm(session, _token(_link_in(mail, "/meldingen/bevestig")), settings, now)
    with database.session() as session:
        assert due_alerts(session, now, channel="telegram") == []
        assert [a.sender_id for a in due_by_email(session, now)] == ["42"]


def test_a_confirmed_address_gets_one_alert_mail_with_a_one_click_unsubscribe(database, settings):
    now = datetime.now(timezone.utc)
    _confirmed(database, settings, now - timedelta(hours=2))
    with database.session() as session:
        new = make_opportunity(session, title="Onkruid wieden", created_at=now - timedelta(hours=1))

    assert send_alerts(database, settings, now) == 1
    assert send_alerts(database, settings, now + timedelta(hours=1)) == 0

    [mail] = _mails(database, "alert")
    body = mail.get_payload(decode=True).decode()
    unsubscribe_link = _link_in(mail, "/meldingen/afmelden")
    assert mail["To"] == ADDRESS and "Onkruid wieden" in body
    assert f"#kans-{new.id}" in body
    assert mail["List-Unsubscribe"] == f"<{unsubscribe_link}>"
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_two_senders_that_read_the_same_due_alert_mail_it_once(database, settings):
    now = datetime.now(timezone.utc)
    _confirmed(database, settings, now - timedelta(hours=2))
    with database.session() as session:
        make_opportunity(session, created_at=now - timedelta(hours=1))
    with database.session() as first, database.session() as second:
        [seen_by_first] = due_by_email(first, now)
        [seen_by_second] = due_by_email(second, now)
    with database.session() as session:
        first_claim = claim(session, seen_by_first.subscription_id, now)
    with database.session() as session:
        second_claim = claim(session, seen_by_second.subscription_id, now + timedelta(seconds=1))
    assert (first_claim, second_claim) == (True, False)


def test_a_mail_that_could_not_be_delivered_stays_in_the_outbox_and_goes_in_a_later_round(database, settings):
    now = datetime.now(timezone.utc)
    _confirmed(database, settings, now - timedelta(hours=2))
    with database.session() as session:
        make_opportunity(session, created_at=now - timedelta(hours=1))
    unreachable = replace(settings, smtp_host="127.0.0.1", smtp_port=1)  # nothing listens there

    assert send_alerts(database, unreachable, now) == 1
    assert deliver_due(database, unreachable, now).retrying == 2  # the confirmation and the alert
    assert send_alerts(database, settings, now + timedelta(minutes=1)) == 0  # claimed once, queued once
    assert deliver_due(database, settings, now + timedelta(minutes=1)).kept == 2
    assert len(_mails(database, "alert")) == 1


def test_the_confirmation_link_works_once_and_then_says_so(database, settings):
    now = datetime.now(timezone.utc)
    _requested(database, now)
    run_once(database, settings, now)
    token = _token(_link_in(_mails(database, "alert-confirm")[0], "/meldingen/bevestig"))
    with database.session() as session:
        assert email_alerts.confirmation_state(session, token, settings, now) is Link.OPEN
        assert email_alerts.confirm(session, token, settings, now) is Link.DONE
    with database.session() as session:
        assert email_alerts.confirm(session, token, settings, now) is Link.ALREADY
        assert session.scalar(select(EmailAlert.confirmed_at)) is not None


def test_a_confirmation_link_older_than_a_week_has_expired(database, settings):
    then = datetime.now(timezone.utc) - timedelta(days=8)
    _requested(database, then)
    run_once(database, settings, then)
    token = _token(_link_in(_mails(database, "alert-confirm")[0], "/meldingen/bevestig"))
    with database.session() as session:
        assert email_alerts.confirm(session, token, settings, then + timedelta(days=8)) is Link.EXPIRED
        assert session.scalar(select(EmailAlert.confirmed_at)) is None


@pytest.mark.parametrize("tamper", [
    lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),  # altered signature
    lambda token: token[:20],  # cut off in a mail program
    lambda token: "",
    lambda token: "x" * 5000,
])
def test_an_altered_link_confirms_nothing(database, settings, tamper):
    now = datetime.now(timezone.utc)
    _requested(database, now)
    run_once(database, settings, now)
    token = _token(_link_in(_mails(database, "alert-confirm")[0], "/meldingen/bevestig"))
    with database.session() as session:
        assert email_alerts.confirm(session, tamper(token), settings, now) is Link.INVALID
        assert session.scalar(select(EmailAlert.confirmed_at)) is None


def test_a_link_signed_with_another_key_is_forged(database, settings):
    now = datetime.now(timezone.utc)
    asked = _requested(database, now)
    with database.session() as session:
        row = session.get(EmailAlert, asked.email_alert_id)
        forged = _token(email_alerts.confirmation_link(row, replace(settings, secret_key="guessed"), now))
        unsubscribe = _token(email_alerts.unsubscribe_link(row, replace(settings, secret_key="guessed")))
    with database.session() as session:
        assert email_alerts.confirm(session, forged, settings, now) is Link.INVALID
        assert email_alerts.unsubscribe(session, unsubscribe, settings) is Link.INVALID
        assert session.scalar(select(func.count()).select_from(EmailAlert)) == 1


def test_a_link_for_an_address_that_was_changed_works_no_more(database, settings):
    now = datetime.now(timezone.utc)
    _requested(database, now)
    run_once(database, settings, now)
    old = _token(_link_in(_mails(database, "alert-confirm")[0], "/meldingen/bevestig"))
    _requested(database, now, address="jan.nieuw@example.nl")
    with database.session() as session:
        assert email_alerts.confirm(session, old, settings, now) is Link.GONE


def test_unsubscribing_by_the_link_deletes_the_subscription_and_the_address(database, settings):
    now = datetime.now(timezone.utc)
    _confirmed(database, settings, now)
    with database.session() as session:
        row = session.scalar(select(EmailAlert))
        token = _token(email_alerts.unsubscribe_link(row, settings))
    with database.session() as session:
        assert email_alerts.unsubscribe_state(session, token, settings) is Link.OPEN
        assert email_alerts.unsubscribe(session, token, settings) is Link.DONE
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(EmailAlert)) == 0
        assert session.scalar(select(func.count()).select_from(AlertSubscription)) == 0
        assert email_alerts.unsubscribe(session, token, settings) is Link.ALREADY


def test_unconfirmed_requests_are_deleted_after_a_week_with_the_subscription_they_made(database):
    now = datetime.now(timezone.utc)
    _requested(database, now - timedelta(days=8))
    with database.session() as session:
        subscribe(session, "telegram", "42", CRITERIA)
    _requested(database, now - timedelta(days=8), channel="telegram", sender="42")
    _requested(database, now - timedelta(days=1), sender="web-ffffffffffffffffffffffffffffffff")

    with database.session() as session:
        assert purge_unconfirmed(session, now) == 2
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(EmailAlert)) == 1
        # The Telegram resident's own subscription stays; the widget's, made by the request, went with it.
        assert session.scalar(select(func.count()).select_from(AlertSubscription)) == 2


def test_forget_me_deletes_the_address_confirmed_or_not(database, settings):
    now = datetime.now(timezone.utc)
    _confirmed(database, settings, now)
    _requested(database, now, sender="other-sender")
    with database.session() as session:
        forget(session, SENDER)
    with database.session() as session:
        assert list(session.scalars(select(EmailAlert.email))) == [ADDRESS]  # only the other sender's
        forget(session, "other-sender")
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(EmailAlert)) == 0


def test_stop_in_the_chat_deletes_the_address_too(database, settings):
    now = datetime.now(timezone.utc)
    _confirmed(database, settings, now)
    with database.session() as session:
        assert unsubscribe(session, "web", SENDER) == 1
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(EmailAlert)) == 0


def test_one_address_gets_no_second_confirmation_mail_within_ten_minutes(database, settings):
    now = datetime.now(timezone.utc)
    _requested(database, now)
    _requested(database, now, sender="web-ffffffffffffffffffffffffffffffff")
    run_once(database, settings, now)
    assert len(_mails(database, "alert-confirm")) == 1
    run_once(database, settings, now + timedelta(minutes=11))
    assert len(_mails(database, "alert-confirm")) == 2


def test_asking_again_straight_away_sends_no_second_mail(database, settings):
    now = datetime.now(timezone.utc)
    _requested(database, now)
    run_once(database, settings, now)
    assert _requested(database, now + timedelta(minutes=1)).outcome is Requested.MAIL_SENT_RECENTLY


def test_an_address_this_resident_confirmed_before_needs_no_new_link(database, settings):
    now = datetime.now(timezone.utc)
    _confirmed(database, settings, now)
    with database.session() as session:
        other_search = replace(CRITERIA, interests=("sport",))
        asked = request(session, "web", SENDER, other_search, ADDRESS, CONSENT, now)
        stranger = request(session, "web", "web-ffffffffffffffffffffffffffffffff", other_search, ADDRESS, CONSENT, now)
    assert (asked.outcome, stranger.outcome) == (Requested.CONFIRMED, Requested.MAIL_COMING)
    assert _requested(database, now).outcome is Requested.ALREADY


def test_the_log_never_holds_an_address_or_a_link(database, settings, caplog):
    now = datetime.now(timezone.utc)
    with caplog.at_level(logging.DEBUG, logger="doemee"):
        _confirmed(database, settings, now - timedelta(hours=2))
        with database.session() as session:
            make_opportunity(session, created_at=now - timedelta(hours=1))
        run_once(database, settings, now)
    assert len(_mails(database, "alert")) == 1
    assert ADDRESS not in caplog.text and "token=" not in caplog.text


def test_a_missing_secret_key_is_made_once_and_shared(tmp_path, settings):
    keyless = replace(settings, secret_key=None, secret_file=tmp_path / "var" / "secret_key")
    first = email_alerts.signing_key(keyless)
    email_alerts._key_in_file.cache_clear()
    assert email_alerts.signing_key(keyless) == first and len(first) >= 32
    assert (keyless.secret_file.stat().st_mode & 0o777) == 0o600


def test_only_a_request_for_news_asks_for_alerts_not_an_address_alone():
    assert email_alerts.asks_for_news("mail me als er iets nieuws is")
    assert email_alerts.asks_for_news("hou me op de hoogte via jan@example.nl")
    assert not email_alerts.asks_for_news("mijn mail is j.bakker@outlook.com")
    assert not email_alerts.asks_for_news("jan@example.nl")

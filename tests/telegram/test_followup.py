"""Sign-up follow-up end to end on Telegram: the question pushed through the fake Bot API, the answer pressed.

The real bot Application polls the fake Bot API on loopback; the database
is real (SQLite and PostgreSQL). The rounds and the pusher take the test's
clock, so "ten days later" is a parameter, not a wait.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.telegram.app import build_application
from bot.web.app import create_app
from bot.web.config import GatewayConfig
from doemee import followup, messages
from doemee.attribution import centre_for_slug
from doemee.residents import Contact
from doemee.settings import Settings
from doemee.signups import sign_up
from doemee.storage.models import FollowUpAnswer, SignUp, SignUpStatus, utcnow
from tests.domain.factories import UTRECHT_EAST, make_opportunity
from tests.support.outbox import bodies
from tests.telegram.conftest import start_polling, stop_polling, with_config
from tests.web.conftest import free_port, serve
from tests.web.test_portal import Portal, member

CHAT = 6262
SENDER = f"telegram:{CHAT}"
# Ten days before "now", so the Vandaag page (which reads the real clock) sees a fresh answer.
T0 = utcnow().replace(microsecond=0) - timedelta(days=11)


def day(n: float):
    return T0 + timedelta(days=n)


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(secret_key="volg-op" * 6, public_url="http://doemee.test", outbox_dir=tmp_path / "outbox")


def left_alone(database, phone_only: bool = False) -> int:
    """A sign-up nobody acts on, for a listing of the Utrecht centre with three alternatives around it."""
    with database.session() as session:
        utrecht = centre_for_slug(session, "utrecht").id
        listing = make_opportunity(session, title="Taalmaatje", initiative="Taalhuis Oost", category="taal",
                                   contact_email="taal@example.org", created_at=day(-5), published_at=day(-5))
        for n in range(3):
            other = make_opportunity(session, title=f"Taalcafé {n}", category="taal",
                                     lat=UTRECHT_EAST[0], lon=UTRECHT_EAST[1])
            other.centre_id = utrecht
        listing.centre_id = utrecht
        contact = Contact("phone", "0612345678") if phone_only else Contact("email", "sanne@mail.nl")
        return sign_up(session, "telegram", SENDER, listing.id, "Sanne", contact, "ok", now=T0).sign_up_id


@pytest.fixture
async def bot(database, bot_config, fake_telegram):
    application = build_application(with_config(bot_config, database_url=database.url), with_alerts=False)
    await start_polling(application)
    await fake_telegram.await_for("getUpdates")
    yield application
    await stop_polling(application)


async def test_a_sign_up_left_alone_is_asked_about_on_telegram_and_a_no_lands_on_vandaag(
    database, settings, bot, fake_telegram,
):
    sign_up_id = left_alone(database)
    assert followup.run_once(database, settings, day(6)) == followup.Round(0, 0)
    assert followup.run_once(database, settings, day(7)) == followup.Round(1, 0)
    assert "Sanne" in bodies(database, followup.REMINDER_KIND)[0]
    assert followup.run_once(database, settings, day(10)) == followup.Round(0, 1)

    pusher = bot.bot_data["follow_up"]
    pusher.clock = lambda: day(10)
    assert await pusher.run_once(bot.bot) == 1
    question = await fake_telegram.await_message(CHAT)
    assert "Heeft Taalhuis Oost contact met je opgenomen?" in question.params["text"]
    assert [b["text"] for b in question.inline_buttons] == ["Ja", "Nee", "Niet meer nodig"]
    assert await pusher.run_once(bot.bot) == 0  # asked once

    mark = fake_telegram.mark()
    fake_telegram.press(CHAT, question.inline_buttons[1]["callback_data"], message_id=1)
    reply = await fake_telegram.await_message(CHAT, after=mark)
    assert "taal@example.org" in reply.params["text"]
    sign_ups = [b for b in reply.inline_buttons if b["text"].startswith("Aanmelden")]
    assert len(sign_ups) == 2
    assert "Taalcafé" in reply.params["text"]
    with database.session() as session:
        row = session.get(SignUp, sign_up_id)
        assert (row.resident_answer, row.status) == (FollowUpAnswer.NO, SignUpStatus.NEW)

    # The centre's Vandaag page shows it; another centre's does not.
    config = replace(GatewayConfig(rasa_url=f"http://127.0.0.1:{free_port()}"), database_url=database.url,
                     mail=settings, email_alert_interval_seconds=0)
    member(database, settings, "coordinator@utrecht.example.org", "utrecht")
    member(database, settings, "coordinator@amsterdam.example.org", "amsterdam")
    with serve(create_app(config)) as url:
        utrecht, amsterdam = Portal(url), Portal(url)
        try:
            assert utrecht.login("coordinator@utrecht.example.org").status_code == 303
            assert amsterdam.login("coordinator@amsterdam.example.org").status_code == 303
            page = utrecht.http.get("/portaal/vandaag").text
            elsewhere = amsterdam.http.get("/portaal/vandaag").text
        finally:
            utrecht.close()
            amsterdam.close()
    assert "Aanmeldingen zonder antwoord" in page
    assert "Taalmaatje bij Taalhuis Oost" in page and "taal@example.org" in page
    assert "Taalmaatje" not in elsewhere


async def test_pressing_yes_marks_the_sign_up_contacted(database, settings, bot, fake_telegram):
    sign_up_id = left_alone(database, phone_only=True)
    followup.run_once(database, settings, day(10))
    pusher = bot.bot_data["follow_up"]
    pusher.clock = lambda: day(10)
    await pusher.run_once(bot.bot)
    question = await fake_telegram.await_message(CHAT)
    mark = fake_telegram.mark()
    fake_telegram.press(CHAT, question.inline_buttons[0]["callback_data"], message_id=1)
    reply = await fake_telegram.await_message(CHAT, after=mark)
    assert reply.params["text"] == messages.followup_thanks("Taalhuis Oost")
    with database.session() as session:
        assert session.scalar(select(SignUp.status).where(SignUp.id == sign_up_id)) is SignUpStatus.CONTACTED


@pytest.mark.parametrize("data", ["f:999999:n", "f:1:q", "f:abc:y", "f:", "f:-1:y", "f:99999999999999:y", "f:1:n:x"])
async def test_forged_answer_buttons_get_a_friendly_dutch_line_and_change_nothing(
    database, settings, bot, fake_telegram, data,
):
    sign_up_id = left_alone(database)
    followup.run_once(database, settings, day(10))
    mark = fake_telegram.mark()
    fake_telegram.press(CHAT, data, message_id=1)
    reply = await fake_telegram.await_message(CHAT, after=mark)
    assert reply.params["text"] in {messages.FOLLOWUP_UNKNOWN, messages.TELEGRAM_BUTTON_EXPIRED}
    with database.session() as session:
        row = session.get(SignUp, sign_up_id)
        assert (row.resident_answer, row.status) == (None, SignUpStatus.NEW)


async def test_another_chat_cannot_answer_for_this_resident(database, settings, bot, fake_telegram):
    sign_up_id = left_alone(database)
    followup.run_once(database, settings, day(10))
    mark = fake_telegram.mark()
    fake_telegram.press(CHAT + 1, f"f:{sign_up_id}:x", message_id=1)
    reply = await fake_telegram.await_message(CHAT + 1, after=mark)
    assert reply.params["text"] == messages.FOLLOWUP_UNKNOWN
    with database.session() as session:
        assert session.get(SignUp, sign_up_id).status is SignUpStatus.NEW


async def test_a_resident_who_blocked_the_bot_is_not_asked_every_cycle(database, settings, bot, fake_telegram):
    left_alone(database)
    followup.run_once(database, settings, day(10))
    pusher = bot.bot_data["follow_up"]
    pusher.clock = lambda: day(10)
    fake_telegram.blocked_chats.add(CHAT)
    assert await pusher.run_once(bot.bot) == 0
    assert await pusher.run_once(bot.bot) == 0
    assert len(fake_telegram.calls_of("sendMessage", CHAT)) == 1

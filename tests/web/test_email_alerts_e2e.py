"""Alerts by email through the real stack: the widget's chat asks for an address and the mailed link works."""

from __future__ import annotations

import secrets
from email.message import Message
from urllib.parse import urlsplit

import httpx
import pytest

from doemee import messages
from doemee.storage.database import Database
from tests.support.outbox import mails

pytestmark = pytest.mark.e2e


def chat(stack, who: str, text: str) -> list[str]:
    with httpx.Client(timeout=60, trust_env=False) as client:
        response = client.post(f"{stack.gateway_url}/api/chat", json={"sender": who, "message": text, "centre": "utrecht"})
    assert response.status_code == 200
    return [reply.get("text") or "" for reply in response.json()]


def confirmation_to(stack, address: str) -> Message:
    database = Database(stack.database_url)
    try:
        [mail] = [m for m in mails(database, "alert-confirm") if m["To"] == address]
    finally:
        database.dispose()
    return mail


def searched(stack) -> str:
    who = "web-" + secrets.token_hex(16)
    assert any(chat(stack, who, "ik wil helpen met tuinieren in 3511"))
    return who


def test_in_the_widget_mail_me_asks_for_an_address_and_mails_a_working_link(e2e_stack):
    who = searched(e2e_stack)
    address = f"jan.{secrets.token_hex(4)}@example.nl"

    asked = chat(e2e_stack, who, "kun je me mailen als er iets komt?")
    assert messages.ASK_ALERT_EMAIL in asked
    answered = " ".join(chat(e2e_stack, who, address))
    assert address in answered and "link" in answered

    link = urlsplit(next(w for w in confirmation_to(e2e_stack, address).get_payload(decode=True).decode().split()
                         if "/meldingen/bevestig" in w))
    with httpx.Client(timeout=30, trust_env=False) as client:
        url = f"{e2e_stack.gateway_url}{link.path}?{link.query}"
        assert messages.ALERT_CONFIRM_BUTTON in client.get(url).text
        confirmed = client.post(url)
    assert confirmed.status_code == 200 and messages.ALERT_CONFIRMED in confirmed.text


def test_an_address_typed_with_the_request_is_used_and_never_searched_for(e2e_stack):
    who = searched(e2e_stack)
    address = f"sanne.{secrets.token_hex(4)}@example.nl"
    said = " ".join(chat(e2e_stack, who, f"mail me op {address} als er iets komt"))
    assert address in said
    assert confirmation_to(e2e_stack, address)["To"] == address


def test_saying_no_to_the_address_stores_nothing(e2e_stack):
    who = searched(e2e_stack)
    assert messages.ASK_ALERT_EMAIL in chat(e2e_stack, who, "hou me op de hoogte")
    assert "Goed, dan stuur ik je geen mail. Ik heb niets bewaard." in chat(e2e_stack, who, "nee, liever niet")

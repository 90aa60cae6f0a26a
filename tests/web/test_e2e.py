"""The gateway in front of the real Rasa and action server (the happy path)."""

from __future__ import annotations

import secrets

import httpx
import pytest

from doemee import messages

pytestmark = pytest.mark.e2e


def sender() -> str:
    return "web-" + secrets.token_hex(16)


def chat(stack, who: str, text: str) -> httpx.Response:
    with httpx.Client(timeout=60, trust_env=False) as client:
        return client.post(f"{stack.gateway_url}/api/chat", json={"sender": who, "message": text, "centre": "utrecht"})


def texts(response: httpx.Response) -> list[str]:
    return [reply["text"] for reply in response.json()]


def test_a_greeting_gets_a_dutch_answer_from_rasa(e2e_stack):
    response = chat(e2e_stack, sender(), "hallo")
    assert response.status_code == 200
    assert texts(response) and all(texts(response))
    assert messages.WEB_RASA_DOWN not in texts(response)
    assert messages.WEB_NO_ANSWER not in texts(response)


def test_a_search_by_interest_and_postcode_offers_opportunities_to_sign_up_for(e2e_stack):
    response = chat(e2e_stack, sender(), "ik wil helpen met tuinieren in 3511")
    assert response.status_code == 200
    buttons = [b for reply in response.json() for b in reply.get("buttons", [])]
    assert buttons, texts(response)
    assert any("Aanmelden" in b["title"] for b in buttons)


def test_rasas_own_api_is_not_reachable_through_the_gateway(e2e_stack):
    with httpx.Client(timeout=10, trust_env=False) as client:
        for path in ("/webhooks/rest/webhook", "/model/parse", "/conversations/x/tracker", "/status"):
            assert client.get(f"{e2e_stack.gateway_url}{path}").status_code == 404

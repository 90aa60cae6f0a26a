"""POST /api/chat: what reaches Rasa, what is refused, and what residents see when Rasa fails."""

from __future__ import annotations

import socket

import pytest

from doemee import messages
from tests.web.conftest import SENDER, chat_body, serve
from tests.web.rasa_peer import rasa_peer, replies, status


@pytest.fixture
def gateway(make_gateway) -> str:
    """A gateway whose Rasa is down (nothing listens on its port)."""
    return make_gateway()


def post(client, url, body, **headers):
    return client.post(f"{url}/api/chat", json=body, headers=headers)


# --- input validation --------------------------------------------------------

def test_empty_message_is_refused_in_dutch(client, gateway):
    response = post(client, gateway, chat_body("   "))
    assert response.status_code == 400
    assert response.json() == {"error": messages.WEB_EMPTY_MESSAGE}


def test_message_over_1000_characters_is_refused_in_dutch(client, gateway):
    response = post(client, gateway, chat_body("a" * 1001))
    assert response.status_code == 413
    assert response.json()["error"] == messages.WEB_MESSAGE_TOO_LONG.format(limit=1000)


def test_message_of_exactly_1000_characters_is_accepted(client, gateway):
    response = post(client, gateway, chat_body("a" * 1000))
    assert response.status_code not in (400, 413)


def test_body_far_larger_than_any_message_is_refused(client, gateway):
    response = client.post(f"{gateway}/api/chat", content=b"{" + b" " * 100_000 + b"}",
                           headers={"Content-Type": "application/json"})
    assert response.status_code == 413


def test_body_that_is_not_json_is_refused_in_dutch(client, gateway):
    response = client.post(f"{gateway}/api/chat", content=b"hallo?", headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.json() == {"error": messages.WEB_BAD_REQUEST}


def test_json_list_instead_of_object_is_refused(client, gateway):
    response = client.post(f"{gateway}/api/chat", json=["hallo"])
    assert response.status_code == 400


def test_form_post_without_json_content_type_is_refused(client, gateway):
    response = client.post(f"{gateway}/api/chat", data={"message": "hallo"})
    assert response.status_code == 415
    assert response.json() == {"error": messages.WEB_BAD_REQUEST}


@pytest.mark.parametrize("sender", ["", "12345678", "web-XYZ", "web-0123456789ABCDEF0123456789ABCDEF",
                                    "../../etc/passwd", "web-0123456789abcdef0123456789abcdef0", 42])
def test_sender_id_not_made_by_the_widget_is_refused(client, gateway, sender):
    response = post(client, gateway, chat_body(sender=sender))
    assert response.status_code == 400
    assert response.json() == {"error": messages.WEB_BAD_SENDER}


def test_unknown_centre_is_refused_in_dutch(client, gateway):
    response = post(client, gateway, chat_body(centre="atlantis"))
    assert response.status_code == 400
    assert response.json() == {"error": messages.WEB_UNKNOWN_CENTRE}


# --- origins -------------------------------------------------------------------

def test_post_from_an_unlisted_site_is_refused_without_cors_consent(make_gateway, client):
    url = make_gateway(allowed_origins=frozenset({"https://vrijwilligers.example.org"}))
    response = post(client, url, chat_body(), Origin="https://kwaadwillend.example.net")
    assert response.status_code == 403
    assert response.json() == {"error": messages.WEB_ORIGIN_REFUSED}
    assert "access-control-allow-origin" not in response.headers


def test_preflight_from_an_unlisted_site_is_refused(make_gateway, client):
    url = make_gateway(allowed_origins=frozenset({"https://vrijwilligers.example.org"}))
    response = client.options(f"{url}/api/chat", headers={
        "Origin": "https://kwaadwillend.example.net", "Access-Control-Request-Method": "POST"})
    assert response.status_code == 403
    assert "access-control-allow-origin" not in response.headers


def test_preflight_from_a_listed_site_is_allowed(make_gateway, client):
    url = make_gateway(allowed_origins=frozenset({"https://vrijwilligers.example.org"}))
    response = client.options(f"{url}/api/chat", headers={
        "Origin": "https://vrijwilligers.example.org", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == "https://vrijwilligers.example.org"
    assert "POST" in response.headers["access-control-allow-methods"]


def test_post_from_a_listed_site_gets_cors_consent(make_gateway, client):
    url = make_gateway(allowed_origins=frozenset({"https://vrijwilligers.example.org"}))
    response = post(client, url, chat_body(), Origin="https://vrijwilligers.example.org")
    assert response.status_code != 403
    assert response.headers["access-control-allow-origin"] == "https://vrijwilligers.example.org"


def test_the_gateways_own_pages_may_chat(client, gateway):
    response = post(client, gateway, chat_body(), Origin=gateway)
    assert response.status_code != 403


def test_sandboxed_null_origin_is_refused(client, gateway):
    response = post(client, gateway, chat_body(), Origin="null")
    assert response.status_code == 403


def test_centre_settings_are_refused_to_an_unlisted_site(make_gateway, client):
    url = make_gateway(allowed_origins=frozenset({"https://vrijwilligers.example.org"}))
    response = client.get(f"{url}/api/centres/utrecht", headers={"Origin": "https://kwaadwillend.example.net"})
    assert response.status_code == 403


# --- rate limits -----------------------------------------------------------------

def test_sender_over_the_limit_gets_429_in_dutch(make_gateway, client):
    url = make_gateway(rate_per_sender=3)
    statuses = [post(client, url, chat_body()).status_code for _ in range(3)]
    refused = post(client, url, chat_body())
    assert 429 not in statuses
    assert refused.status_code == 429
    assert refused.json() == {"error": messages.WEB_RATE_LIMITED}
    assert int(refused.headers["retry-after"]) >= 1


def test_another_sender_is_not_slowed_by_a_busy_one(make_gateway, client):
    url = make_gateway(rate_per_sender=2)
    for _ in range(3):
        post(client, url, chat_body())
    other = post(client, url, chat_body(sender="web-" + "f" * 32))
    assert other.status_code != 429


def test_one_address_rotating_sender_ids_is_limited(make_gateway, client):
    url = make_gateway(rate_per_ip=4)
    statuses = [post(client, url, chat_body(sender=f"web-{i:032x}")).status_code for i in range(5)]
    assert statuses[:4].count(429) == 0
    assert statuses[4] == 429


# --- when Rasa fails -------------------------------------------------------------

def test_rasa_down_gives_a_dutch_apology_with_a_retry_button(client, gateway):
    response = post(client, gateway, chat_body("ik wil tuinieren"))
    assert response.status_code == 503
    assert response.json() == [{
        "text": messages.WEB_RASA_DOWN,
        "buttons": [{"title": messages.BUTTON_RETRY, "payload": "ik wil tuinieren"}],
    }]


def test_rasa_that_never_answers_times_out_into_a_dutch_apology(make_gateway, client):
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        url = make_gateway(rasa_url=f"http://127.0.0.1:{silent.getsockname()[1]}", rasa_timeout=0.5)
        response = post(client, url, chat_body())
    assert response.status_code == 503
    assert response.json()[0]["text"] == messages.WEB_RASA_DOWN


def test_rasa_error_status_gives_a_dutch_apology(make_gateway, client):
    with serve(rasa_peer(status(500), [])) as rasa:
        response = post(client, make_gateway(rasa_url=rasa), chat_body())
    assert response.json()[0]["text"] == messages.WEB_RASA_DOWN


def test_empty_rasa_answer_becomes_a_dutch_apology(make_gateway, client):
    with serve(rasa_peer(replies([]), [])) as rasa:
        response = post(client, make_gateway(rasa_url=rasa), chat_body("3511"))
    assert response.status_code == 200
    assert response.json() == [{
        "text": messages.WEB_NO_ANSWER,
        "buttons": [{"title": messages.BUTTON_RETRY, "payload": "3511"}],
    }]


# --- what passes through ------------------------------------------------------------

def test_rasa_hears_the_sender_message_and_centre_region(make_gateway, client):
    received: list[dict] = []
    with serve(rasa_peer(replies([{"recipient_id": SENDER, "text": "Hoi!"}]), received)) as rasa:
        response = post(client, make_gateway(rasa_url=rasa), chat_body("  hallo\x00 "))
    assert response.json() == [{"text": "Hoi!"}]
    assert received == [{
        "sender": SENDER,
        "message": "hallo",
        "metadata": {
            "channel": "web",
            "centre": "utrecht",
            "municipalities": ["0344", "0310", "0312", "0321", "0353", "0355", "0356", "1904"],
        },
    }]


def test_only_text_and_well_formed_buttons_reach_the_widget(make_gateway, client):
    odd = [
        {"recipient_id": SENDER, "image": "https://example.org/x.png"},
        {"recipient_id": SENDER, "custom": {"html": "<script>alert(1)</script>"}},
        {"recipient_id": SENDER, "text": "Kies er een:", "buttons": [
            {"title": "Aanmelden", "payload": "/sign_up"},
            {"title": "zonder payload"},
            {"title": 5, "payload": "/x"},
        ]},
        "geen object",
    ]
    with serve(rasa_peer(replies(odd), [])) as rasa:
        response = post(client, make_gateway(rasa_url=rasa), chat_body())
    assert response.json() == [{"text": "Kies er een:", "buttons": [{"title": "Aanmelden", "payload": "/sign_up"}]}]


def test_html_in_a_message_reaches_rasa_as_plain_text(make_gateway, client):
    received: list[dict] = []
    attack = "<img src=x onerror=alert(1)>"
    with serve(rasa_peer(replies([{"text": attack}]), received)) as rasa:
        response = post(client, make_gateway(rasa_url=rasa), chat_body(attack))
    assert received[0]["message"] == attack
    assert response.headers["content-type"].startswith("application/json")
    assert response.json() == [{"text": attack}]

"""Over a thousand hostile messages through the gateway and the Telegram bridge of the loopback cluster.

Markup and scripts, SQL, control characters, right-to-left overrides,
10,000-character texts, emoji floods, forged button payloads (also for
another centre's listing) and broken JSON. For all of them: no 5xx, no
traceback in any service's log, no markup echoed back, and afterwards a
normal search is answered as usual. Runs before the fault suite, on the
same cluster.
"""

from __future__ import annotations

import json
import random
import re
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from sqlalchemy import select

from doemee.storage.models import Centre, Opportunity, SignUp
from tests.cluster.harness import SEARCH, Resident

pytestmark = pytest.mark.e2e

GATEWAY_MESSAGES = 830
TELEGRAM_MESSAGES = 180
TAG = re.compile(r"<\s*/?\s*[a-zA-Z!]")

MARKUP = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<svg/onload=alert(1)>", "javascript:alert(1)",
    "<a href='javascript:alert(1)'>klik</a>", "<iframe src=//evil.example>", "{{7*7}} ${7*7} <%= 7*7 %>",
    "</textarea><script>x</script>", "<b>vet</b> ik wil helpen", "&lt;script&gt;alert(1)&lt;/script&gt;",
]
SQL = [
    "'; DROP TABLE sign_up; --", "1 OR 1=1", "\" OR \"\"=\"", "3512' UNION SELECT password_hash FROM staff --",
    "ouderen'); DELETE FROM opportunity; --", "%' AND 1=0 UNION ALL SELECT NULL--", "admin'--",
]
CONTROL = ["\x00", "\x01\x02\x03", "\x1b[31mrood\x1b[0m", "\x7f\x08\x08", "hallo\x00wereld", "\u200b\u200c\u200d\ufeff"]
RTL = ["\u202egnippoh ni wlo\u202c", "\u202dLTR\u202e RTL \u2066isolate\u2069", "\u061c\u200f3512\u200e"]
EMOJI = ["🙂" * 400, "👨‍👩‍👧‍👦" * 200, "🏳️‍🌈🔥💯" * 300, "\U0001f9d1\u200d\U0001f33e" * 250]
HUGE = ["a" * 10_000, ("ik wil helpen " * 800)[:10_000], "\ufdfa" * 10_000, "ﷺ" * 3_000]
FORGED = [
    '/sign_up{"opportunity_id": "-1"}', '/sign_up{"opportunity_id": -1}', '/sign_up{"opportunity_id": "0"}',
    '/sign_up{"opportunity_id": 99999999999999999999}', '/sign_up{"opportunity_id": ["1"]}',
    '/sign_up{"opportunity_id": {"$gt": 0}}', '/sign_up{"opportunity_id": "1; DROP TABLE sign_up"}',
    '/more_info{"opportunity_id": "<script>"}', '/search_opportunities{"postcode": "\'; --", "interest": "<b>"}',
    '/search_opportunities{"time": {"a": 1}}', '/inform{"place": "' + "x" * 9_000 + '"}', '/sign_up{',
    '/sign_up{"opportunity_id": }', '/nonexistent_intent', '/affirm{"x": 1}', '/restart', '/session_start',
    '/forget_me{"confirm": true}', '/EXTERNAL_reminder', '/action_forget_me',
]


def hostile_texts(count: int, seed: int, *, max_chars: int = 10_000) -> list[str]:
    """A fixed, seeded mix of every kind, each also wrapped in everyday Dutch now and then."""
    pool = [*MARKUP, *SQL, *CONTROL, *RTL, *EMOJI, *HUGE, *FORGED]
    chosen = random.Random(seed)
    texts = []
    for n in range(count):
        text = pool[n] if n < len(pool) else chosen.choice(pool)
        if chosen.random() < 0.3 and not text.startswith("/"):
            text = f"ik woon in 3512 {text} en wil iets met ouderen"
        texts.append(text[:max_chars])
    return texts


def other_centres_listing(cluster) -> int:
    with cluster.database.session() as session:
        return session.scalars(
            select(Opportunity.id).join(Centre, Opportunity.centre_id == Centre.id)
            .where(Centre.slug != "utrecht", Opportunity.status == "open").limit(1)
        ).one()


def check_reply(response: httpx.Response, sent: str) -> None:
    assert response.status_code < 500, (response.status_code, sent[:80])
    body = response.json()
    said = [reply.get("text", "") for reply in body] if isinstance(body, list) else [body.get("error", "")]
    for text in said:
        assert not TAG.search(text), (sent[:80], text[:200])
        assert "\u202e" not in text and "\x00" not in text and "Traceback" not in text, sent[:80]


def test_a_thousand_hostile_messages_leave_the_cluster_whole(cluster):
    texts = hostile_texts(GATEWAY_MESSAGES, seed=19)
    listing = other_centres_listing(cluster)
    texts += [f'/sign_up{{"opportunity_id": "{listing}"}}', f'/more_info{{"opportunity_id": {listing}}}']
    with cluster.database.session() as session:
        signed_before = len(session.scalars(select(SignUp.id)).all())

    def conversation(part: list[str]) -> int:
        resident = Resident(cluster)
        for text in part:
            check_reply(resident.say(text, timeout=120), text)
        return len(part)

    parts = [texts[n::4] for n in range(4)]
    with ThreadPoolExecutor(4) as pool:
        assert sum(pool.map(conversation, parts)) == len(texts)

    telegram_chats = list(range(7000, 7012))
    sent: dict[int, int] = {chat: 0 for chat in telegram_chats}
    mark = cluster.telegram.mark()
    for n, text in enumerate(hostile_texts(TELEGRAM_MESSAGES, seed=20, max_chars=4096)):
        chat = telegram_chats[n % len(telegram_chats)]
        if "\x00" in text:
            text = text.replace("\x00", "")  # Telegram never delivers a NUL
        cluster.telegram.send_text(chat, text or "leeg")
        sent[chat] += 1
    for n, chat in enumerate(telegram_chats[:4]):
        cluster.telegram.press(chat, ["sign_up:-1", "x" * 64, '{"opportunity_id": -1}', "mi:999999999"][n])
    deadline = time.monotonic() + 900  # a chat's messages are answered one after the other
    for chat in telegram_chats:
        while len(cluster.telegram.messages_to(chat, mark)) < sent[chat] and time.monotonic() < deadline:
            time.sleep(0.5)
        answers = cluster.telegram.messages_to(chat, mark)
        assert len(answers) >= sent[chat], f"chat {chat}: {len(answers)} answers to {sent[chat]} messages"
        for call in answers:
            text = call.params.get("text", "")
            assert "Traceback" not in text and "\u202e" not in text

    with cluster.database.session() as session:
        assert len(session.scalars(select(SignUp.id)).all()) == signed_before, "no sign-up without consent"
    logs = cluster.logs()
    assert "Traceback" not in logs, logs[logs.find("Traceback") - 500:][:3000]

    Resident(cluster).search()
    mark = cluster.telegram.mark()
    cluster.telegram.send_text(7999, SEARCH)
    found = cluster.telegram.wait_for_message(7999, after=mark, timeout=120,
                                              where=lambda call: bool(call.inline_buttons))
    assert found.inline_buttons


@pytest.mark.parametrize("body, content_type", [
    (b"{", "application/json"),
    (b'{"sender": "web-' + b"a" * 32 + b'", "message": ', "application/json"),
    (b"\xff\xfe\x00{", "application/json"),
    (b'{"sender": null, "message": {"a": 1}}', "application/json"),
    (b'[1, 2, 3]', "application/json"),
    (json.dumps({"sender": "web-" + "a" * 32, "message": "hoi", "centre": "<script>"}).encode(), "application/json"),
    (b"sender=x&message=y", "application/x-www-form-urlencoded"),
    (b'{"message": "' + b"a" * 200_000 + b'"}', "application/json"),
])
def test_broken_requests_get_a_dutch_refusal_not_a_server_error(cluster, body, content_type):
    response = httpx.post(f"{cluster.gateway_url}/api/chat", content=body, timeout=30, trust_env=False,
                          headers={"Content-Type": content_type})
    assert 400 <= response.status_code < 500
    error = response.json()
    assert isinstance(error, (dict, list)) and not TAG.search(json.dumps(error, ensure_ascii=False))

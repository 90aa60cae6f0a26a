"""The production topology on loopback survives its parts failing, and no sign-up is lost or stored twice.

Runs after the hostile-input suite on the same cluster (tests/cluster/conftest.py);
its last test stops the cluster with SIGTERM.
"""

from __future__ import annotations

import os
import secrets
import signal
import threading
import time

import httpx
import pytest
import redis

from doemee import messages
from tests.cluster.harness import APOLOGIES, SEARCH, Resident, texts
from tests.support.processes import all_gone, wait_until

pytestmark = pytest.mark.e2e


def test_a_sign_up_through_the_cluster_is_stored_once(cluster):
    contact = f"sanne-{secrets.token_hex(4)}@example.org"
    Resident(cluster).sign_up("Sanne", contact)
    assert cluster.signups(contact) == 1


def test_a_killed_rasa_instance_costs_the_message_in_flight_and_the_next_goes_on_elsewhere_with_its_slots(cluster):
    resident = Resident(cluster, cluster.sender_at("rasa-1"))
    resident.search()
    assert "Hoe heet je?" in resident.text("nummer 1")
    os.killpg(cluster.pids["rasa-1"], signal.SIGSTOP)  # the message below is surely in flight when it dies
    answers: list[httpx.Response] = []
    sending = threading.Thread(target=lambda: answers.append(resident.say("Sanne")))
    sending.start()
    time.sleep(1.0)
    mark = cluster.kill("rasa-1")
    sending.join(timeout=60)
    assert answers and answers[0].status_code == 503 and texts(answers[0]) == {messages.WEB_RASA_DOWN}
    assert "e-mailadres" in resident.text("Sanne"), "the form and the chosen place were kept"
    contact = f"sanne-{secrets.token_hex(4)}@example.org"
    assert "Sanne" in resident.text(contact)
    assert "Gelukt" in resident.text("ja")
    assert cluster.signups(contact) == 1
    cluster.back("rasa-1", mark, timeout=300)
    comes_home = Resident(cluster, cluster.sender_at("rasa-1"))
    wait_until(lambda: comes_home.say("hallo").status_code == 200, 30, "rasa-1 answers again")


def test_a_killed_action_server_costs_an_apology_then_recovers(cluster):
    affected, unaffected = Resident(cluster, cluster.sender_at("rasa-1")), Resident(cluster, cluster.sender_at("rasa-2"))
    mark = cluster.kill("actions-1")
    response = affected.say(SEARCH)
    assert texts(response) & APOLOGIES, response.text
    unaffected.search()
    cluster.back("actions-1", mark, timeout=120)
    affected.search()


def test_a_postgresql_restart_is_over_within_ten_seconds_and_then_nothing_fails(cluster):
    resident = Resident(cluster)
    resident.search()
    cluster.postgres.stop("fast")
    down = resident.say(SEARCH)
    assert down.status_code < 500 or texts(down) & APOLOGIES, down.text
    cluster.postgres.start()
    up_at = time.monotonic()
    while True:
        response = Resident(cluster).say(SEARCH)
        if response.status_code == 200 and not texts(response) & APOLOGIES:
            break
        assert time.monotonic() - up_at < 10, f"still failing 10 s after PostgreSQL came back: {response.text}"
        time.sleep(0.5)
    for _ in range(6):  # every instance's pooled connections, each used again
        assert Resident(cluster).say(SEARCH).status_code < 500
    contact = f"na-herstart-{secrets.token_hex(4)}@example.org"
    Resident(cluster).sign_up("Kim", contact)
    assert cluster.signups(contact) == 1


def test_without_redis_the_chat_goes_on_and_uses_redis_again_when_it_is_back(cluster):
    cluster.redis.stop()
    try:
        for _ in range(3):
            started = time.monotonic()
            Resident(cluster).search()
            assert time.monotonic() - started < 15
        contact = f"zonder-redis-{secrets.token_hex(4)}@example.org"
        Resident(cluster).sign_up("Noor", contact)
        assert cluster.signups(contact) == 1
    finally:
        cluster.redis.start()
    client = redis.Redis.from_url(cluster.redis.url)
    deadline = time.monotonic() + 30
    while not client.keys("*"):
        Resident(cluster).say("hallo")
        assert time.monotonic() < deadline, "nothing was written to Redis after it came back"
        time.sleep(1)


def test_sigterm_lets_every_component_finish_its_message_in_flight_then_stop(cluster):
    resident = Resident(cluster, cluster.sender_at("rasa-2"))
    os.killpg(cluster.pids["rasa-2"], signal.SIGSTOP)
    answers: list[httpx.Response] = []
    sending = threading.Thread(target=lambda: answers.append(resident.say("hallo")))
    sending.start()
    time.sleep(1.0)
    cluster.process.send_signal(signal.SIGTERM)
    time.sleep(1.0)
    os.killpg(cluster.pids["rasa-2"], signal.SIGCONT)
    sending.join(timeout=60)
    assert answers and answers[0].status_code == 200 and not texts(answers[0]) & APOLOGIES, answers
    cluster.process.wait(timeout=120)
    assert cluster.process.returncode == 0
    assert all_gone(list(cluster.pids.values()), timeout=30)

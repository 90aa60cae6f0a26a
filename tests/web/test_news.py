"""GET /api/news: a widget resident's alerts at their next visit, over real HTTP and a real database."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from doemee import messages
from doemee.alerts import AlertCriteria, subscribe
from doemee.storage.models import AlertSubscription
from tests.domain.factories import UTRECHT, make_opportunity
from tests.web.conftest import SENDER

CRITERIA = AlertCriteria(*UTRECHT, pc4="3511", interests=("groen",), municipality_codes=("0344",))
SITE = "https://vrijwilligers.example.org"


def _subscribed_with_news(database, sender: str = SENDER, channel: str = "web") -> int:
    now = datetime.now(timezone.utc)
    with database.session() as session:
        subscription, _ = subscribe(session, channel, sender, CRITERIA)
        subscription.created_at = now - timedelta(days=2)
        return make_opportunity(session, title="Onkruid wieden in de buurttuin", created_at=now - timedelta(hours=1)).id


@pytest.fixture
def news_url(make_gateway, database) -> str:
    return make_gateway(database_url=database.url, allowed_origins=frozenset({SITE})) + "/api/news"


def test_a_subscribed_resident_gets_the_news_once_with_sign_up_buttons(news_url, database, client):
    opportunity_id = _subscribed_with_news(database)

    response = client.get(news_url, params={"sender": SENDER})

    assert response.status_code == 200 and response.headers["cache-control"] == "no-store"
    [reply] = response.json()
    assert "Onkruid wieden in de buurttuin" in reply["text"] and reply["text"].startswith("Welkom terug")
    sign_up, stop = reply["buttons"]
    assert sign_up["title"] == messages.NEWS_SIGN_UP.format(title="Onkruid wieden in de buurttuin")
    assert sign_up["payload"].startswith("/sign_up")
    assert json.loads(sign_up["payload"][len("/sign_up"):]) == {"opportunity_id": str(opportunity_id)}
    assert (stop["title"], stop["payload"]) == (messages.WEB_NEWS_STOP, "/unsubscribe_alerts")
    with database.session() as session:
        assert session.scalar(select(AlertSubscription.last_sent_at)) is not None
    assert client.get(news_url, params={"sender": SENDER}).json() == []


def test_a_resident_without_a_subscription_gets_an_empty_list(news_url, database, client):
    _subscribed_with_news(database, sender="web-ffffffffffffffffffffffffffffffff")
    response = client.get(news_url, params={"sender": SENDER})
    assert response.status_code == 200 and response.json() == []


def test_a_telegram_residents_alerts_are_never_shown_in_the_widget(news_url, database, client):
    _subscribed_with_news(database, sender=SENDER, channel="telegram")
    assert client.get(news_url, params={"sender": SENDER}).json() == []
    with database.session() as session:
        assert session.scalar(select(AlertSubscription.last_sent_at)) is None


@pytest.mark.parametrize("sender", ["", "telegram:5150", "web-XYZ", "web-" + "0" * 31, "web-" + "a" * 32 + "'--"])
def test_a_sender_id_not_made_by_the_widget_is_refused_in_dutch(news_url, client, sender):
    response = client.get(news_url, params={"sender": sender})
    assert response.status_code == 400 and response.json() == {"error": messages.WEB_BAD_SENDER}


def test_news_is_refused_to_an_unlisted_site(news_url, database, client):
    _subscribed_with_news(database)
    response = client.get(news_url, params={"sender": SENDER}, headers={"Origin": "https://evil.example.com"})
    assert response.status_code == 403 and "access-control-allow-origin" not in response.headers
    with database.session() as session:
        assert session.scalar(select(AlertSubscription.last_sent_at)) is None


def test_a_listed_site_may_read_the_news(news_url, database, client):
    _subscribed_with_news(database)
    response = client.get(news_url, params={"sender": SENDER}, headers={"Origin": SITE})
    assert response.status_code == 200 and response.headers["access-control-allow-origin"] == SITE
    assert len(response.json()) == 1


def test_a_database_that_cannot_be_reached_gives_a_dutch_error_not_a_traceback(make_gateway, client, tmp_path):
    url = make_gateway(database_url=f"sqlite:///{tmp_path / 'missing' / 'nothing.db'}")
    response = client.get(url + "/api/news", params={"sender": SENDER})
    assert response.status_code == 503 and response.json() == {"error": messages.WEB_SERVER_ERROR}

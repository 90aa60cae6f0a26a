from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select

from doemee.alerts import AlertCriteria, due_alerts, mark_sent, news_for, subscribe, unsubscribe
from doemee.opportunities import publish
from doemee.storage.models import AlertSubscription
from tests.domain.factories import UTRECHT, UTRECHT_EAST, make_opportunity

CRITERIA = AlertCriteria(*UTRECHT, pc4="3511", interests=("groen",))
WEB_SENDER = "web-0123456789abcdef0123456789abcdef"


def _subscribed_at(db, moment):
    subscription, _ = subscribe(db, "telegram", "42", CRITERIA)
    subscription.created_at = moment
    db.flush()
    return subscription


def test_the_same_search_is_subscribed_once(db):
    _, first = subscribe(db, "telegram", "42", CRITERIA)
    _, second = subscribe(db, "telegram", "42", CRITERIA)
    assert (first, second) == (True, False)
    assert db.scalar(select(func.count()).select_from(AlertSubscription)) == 1


def test_unsubscribing_removes_every_subscription_of_the_sender(db):
    subscribe(db, "telegram", "42", CRITERIA)
    assert unsubscribe(db, "telegram", "42") == 1
    assert unsubscribe(db, "telegram", "42") == 0


def test_only_opportunities_published_after_subscribing_are_alerted(db):
    now = datetime.now(timezone.utc)
    _subscribed_at(db, now - timedelta(hours=2))
    make_opportunity(db, title="Oud", created_at=now - timedelta(days=2))
    new = make_opportunity(db, title="Nieuw", created_at=now - timedelta(hours=1))
    make_opportunity(db, title="Andere soort", category="sport", created_at=now - timedelta(hours=1))

    alerts = due_alerts(db, now)

    assert [(a.channel, a.sender_id) for a in alerts] == [("telegram", "42")]
    assert [m.opportunity.id for m in alerts[0].matches] == [new.id]


def test_at_most_one_alert_a_day_and_never_the_same_opportunity_twice(db):
    now = datetime.now(timezone.utc)
    subscription = _subscribed_at(db, now - timedelta(days=3))
    make_opportunity(db, created_at=now - timedelta(hours=1))
    mark_sent(db, subscription.id, now)
    later = make_opportunity(db, title="Later", created_at=now + timedelta(hours=2))

    assert due_alerts(db, now + timedelta(hours=3)) == []
    next_day = due_alerts(db, now + timedelta(days=1, minutes=1))
    assert [m.opportunity.id for m in next_day[0].matches] == [later.id]


def test_nothing_new_means_no_alert(db):
    now = datetime.now(timezone.utc)
    _subscribed_at(db, now - timedelta(hours=2))
    make_opportunity(db, created_at=now - timedelta(days=5))
    assert due_alerts(db, now) == []


def test_a_concept_approved_after_subscribing_is_alerted_though_it_was_written_before(db):
    now = datetime.now(timezone.utc)
    _subscribed_at(db, now - timedelta(hours=2))
    concept = make_opportunity(db, title="Wachtte op het centrum", status="concept", created_at=now - timedelta(days=5))
    assert due_alerts(db, now) == []

    publish(db, concept.id, now - timedelta(minutes=30))

    alerts = due_alerts(db, now)
    assert [m.opportunity.id for m in alerts[0].matches] == [concept.id]


def test_publishing_twice_keeps_the_first_moment(db):
    now = datetime.now(timezone.utc)
    concept = make_opportunity(db, status="concept")
    publish(db, concept.id, now - timedelta(days=2))
    concept.status = "closed"
    publish(db, concept.id, now)
    assert _utc(concept.published_at) == now - timedelta(days=2) and concept.status == "open"


def test_an_opportunity_opened_by_any_door_gets_a_publication_moment(db):
    concept = make_opportunity(db, status="concept")
    assert concept.published_at is None
    before = datetime.now(timezone.utc)
    concept.status = "open"
    db.flush()
    assert _utc(concept.published_at) >= before


def test_a_widget_subscription_is_alerted_only_about_its_centres_region(db):
    now = datetime.now(timezone.utc)
    criteria = AlertCriteria(*UTRECHT, pc4="3511", interests=("groen",), municipality_codes=("0344",))
    subscription, _ = subscribe(db, "web", WEB_SENDER, criteria)
    subscription.created_at = now - timedelta(hours=2)
    inside = make_opportunity(db, title="In Utrecht", created_at=now - timedelta(hours=1))
    make_opportunity(db, title="Net over de grens", municipality_code="0310", created_at=now - timedelta(hours=1))

    alerts = due_alerts(db, now)

    assert [m.opportunity.id for m in alerts[0].matches] == [inside.id]


def test_the_region_is_part_of_what_makes_a_subscription_the_same(db):
    regional = AlertCriteria(*UTRECHT, pc4="3511", interests=("groen",), municipality_codes=("0355", "0344"))
    same = AlertCriteria(*UTRECHT, pc4="3511", interests=("groen",), municipality_codes=("0344", "0355"))
    assert subscribe(db, "web", WEB_SENDER, regional)[1] is True
    assert subscribe(db, "web", WEB_SENDER, same)[1] is False
    assert subscribe(db, "web", WEB_SENDER, CRITERIA)[1] is True


def test_a_channel_asks_only_for_its_own_residents_alerts(db):
    now = datetime.now(timezone.utc)
    _subscribed_at(db, now - timedelta(hours=2))
    web, _ = subscribe(db, "web", WEB_SENDER, CRITERIA)
    web.created_at = now - timedelta(hours=2)
    make_opportunity(db, created_at=now - timedelta(hours=1))

    assert [a.channel for a in due_alerts(db, now, channel="telegram")] == ["telegram"]
    assert sorted(a.channel for a in due_alerts(db, now)) == ["telegram", "web"]


def test_news_at_the_next_visit_is_shown_once_and_then_waits_a_day(db):
    now = datetime.now(timezone.utc)
    web, _ = subscribe(db, "web", WEB_SENDER, CRITERIA)
    web.created_at = now - timedelta(days=2)
    new = make_opportunity(db, title="Nieuw", created_at=now - timedelta(hours=1))

    first = news_for(db, "web", WEB_SENDER, now)
    assert [m.opportunity.id for a in first for m in a.matches] == [new.id]
    assert news_for(db, "web", WEB_SENDER, now + timedelta(minutes=5)) == []

    later = make_opportunity(db, title="Later", created_at=now + timedelta(hours=1))
    assert news_for(db, "web", WEB_SENDER, now + timedelta(hours=2)) == []
    next_day = news_for(db, "web", WEB_SENDER, now + timedelta(days=1, minutes=1))
    assert [m.opportunity.id for a in next_day for m in a.matches] == [later.id]


def test_news_is_only_for_the_resident_who_asks(db):
    now = datetime.now(timezone.utc)
    _subscribed_at(db, now - timedelta(hours=2))
    make_opportunity(db, created_at=now - timedelta(hours=1))
    assert news_for(db, "web", WEB_SENDER, now) == []
    assert news_for(db, "web", "telegram-42", now) == []
    assert len(due_alerts(db, now, channel="telegram")) == 1  # the Telegram resident's news is untouched


def test_a_new_opportunity_is_alerted_even_when_many_older_ones_rank_higher(db):
    now = datetime.now(timezone.utc)
    _subscribed_at(db, now - timedelta(hours=2))
    for n in range(60):
        make_opportunity(db, title=f"Oud {n}", created_at=now - timedelta(days=3))
    far_but_new = make_opportunity(db, title="Nieuw", lon=UTRECHT_EAST[1] + 0.08, created_at=now - timedelta(hours=1))
    alerts = due_alerts(db, now)
    assert [m.opportunity.id for m in alerts[0].matches] == [far_but_new.id]


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)

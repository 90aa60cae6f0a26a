from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select

from doemee.alerts import AlertCriteria, due_alerts, mark_sent, subscribe, unsubscribe
from doemee.storage.models import AlertSubscription
from tests.domain.factories import UTRECHT, make_opportunity

CRITERIA = AlertCriteria(*UTRECHT, pc4="3511", interests=("groen",))


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

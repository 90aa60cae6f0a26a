"""A listing's life on SQLite and PostgreSQL: warned a week before its end, renewed or closed from the mail.

The clock is the tests': every round and every link takes `now`.
"""

from __future__ import annotations

import re
import threading
from datetime import date, datetime, timedelta, timezone
from urllib.parse import parse_qs, urlsplit

from sqlalchemy import select

from doemee import lifecycle
from doemee.attention import attention
from doemee.lifecycle import Action
from doemee.mail_links import LinkState
from doemee.matching.engine import find
from doemee.matching.query import SearchQuery
from doemee.settings import Settings
from doemee.storage.models import AuditEvent, Opportunity, Status
from tests.domain.factories import UTRECHT, make_opportunity
from tests.support.outbox import bodies, mails

T0 = datetime(2026, 9, 1, 9, 0, tzinfo=timezone.utc)
SETTINGS = Settings(secret_key="lifecycle-test-key", public_url="http://doemee.test")


def day(n: int, hours: int = 0) -> datetime:
    return T0 + timedelta(days=n, hours=hours)


def listing(database, **values) -> int:
    with database.session() as session:
        return make_opportunity(session, created_at=values.pop("created_at", T0),
                                published_at=values.pop("published_at", T0), **values).id


def run(database, moment: datetime) -> lifecycle.Round:
    return lifecycle.run_once(database, SETTINGS, moment)


def stored(database, opportunity_id: int) -> Opportunity:
    with database.session() as session:
        return session.get(Opportunity, opportunity_id)


def token(body: str, path: str) -> str:
    link = re.search(rf"http://doemee\.test{re.escape(path)}\?\S+", body).group(0)
    return parse_qs(urlsplit(link).query)["token"][0]


def searchable(database, opportunity_id: int, moment: datetime) -> bool:
    query = SearchQuery(lat=UTRECHT[0], lon=UTRECHT[1], origin="3511", interests=frozenset({"groen"}),
                        limit=50, today=moment.date())
    with database.session() as session:
        return opportunity_id in {m.opportunity.id for m in find(session, query).matches}


def use(database, body: str, action: Action, moment: datetime) -> lifecycle.LinkOutcome:
    path = lifecycle.RENEW_PATH if action is Action.RENEW else lifecycle.CLOSE_PATH
    with database.session() as session:
        return lifecycle.use_link(session, token(body, path), action, SETTINGS, moment)


def test_a_listing_without_a_last_day_is_warned_seven_days_before_its_ninetieth(database):
    opportunity_id = listing(database)
    assert run(database, day(82, 14)).warned == 0
    assert run(database, day(83)).warned == 1
    [message] = mails(database, lifecycle.MAIL_KIND)
    assert message["To"] == "tuin@example.org"
    body = message.get_content()
    assert "30 november 2026" in body  # 1 september + 90 days: the last day residents see it
    assert lifecycle.RENEW_PATH in body and lifecycle.CLOSE_PATH in body
    assert stored(database, opportunity_id).valid_until == date(2026, 11, 30)


def test_a_listing_renewed_from_the_reminder_mail_stays_open(database):
    opportunity_id = listing(database)
    run(database, day(83))
    [body] = bodies(database, lifecycle.MAIL_KIND)
    outcome = use(database, body, Action.RENEW, day(85))
    assert outcome.state is LinkState.DONE
    assert outcome.last_day == day(85).date() + timedelta(days=90)
    with database.session() as session:
        initiative_id = session.get(Opportunity, opportunity_id).initiative_id
        trail = session.execute(select(AuditEvent.action, AuditEvent.actor, AuditEvent.object_id)).all()
    assert trail == [("vacancy.renewed", f"initiative:{initiative_id}", opportunity_id)]
    for moment in (day(90), day(91), day(100)):
        assert run(database, moment).closed == 0
    assert stored(database, opportunity_id).status == Status.OPEN.value
    assert searchable(database, opportunity_id, day(100))
    # The renewed listing is warned again before its new last day, once.
    assert run(database, day(85 + 83)).warned == 1
    assert run(database, day(85 + 84)).warned == 0


def test_a_listing_not_renewed_closes_after_day_ninety_and_no_search_shows_it(database):
    opportunity_id = listing(database)
    run(database, day(83))
    assert searchable(database, opportunity_id, day(90))
    assert run(database, day(90, 14)).closed == 0
    assert run(database, day(91)).closed == 1
    assert stored(database, opportunity_id).status == Status.CLOSED.value
    assert not searchable(database, opportunity_id, day(91))
    assert run(database, day(92)) == lifecycle.Round(0, 0)


def test_two_rounds_at_once_send_one_warning_per_listing(database):
    ids = [listing(database, title=f"Plek {n}") for n in range(12)]
    start = threading.Barrier(2)
    results: list[lifecycle.Round] = []

    def round_() -> None:
        start.wait()
        results.append(run(database, day(84)))

    threads = [threading.Thread(target=round_) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(r.warned for r in results) == len(ids)
    assert len(mails(database, lifecycle.MAIL_KIND)) == len(ids)
    assert run(database, day(84)).warned == 0


def test_a_listing_with_its_own_last_day_is_warned_a_week_before_that_day(database):
    opportunity_id = listing(database)
    with database.session() as session:
        session.get(Opportunity, opportunity_id).valid_until = date(2026, 10, 20)
    assert run(database, datetime(2026, 10, 12, 12, tzinfo=timezone.utc)).warned == 0
    assert run(database, datetime(2026, 10, 13, 0, tzinfo=timezone.utc)).warned == 1
    assert run(database, datetime(2026, 10, 20, 23, tzinfo=timezone.utc)).closed == 0
    assert run(database, datetime(2026, 10, 21, 0, tzinfo=timezone.utc)).closed == 1


def test_a_long_forgotten_listing_still_gets_a_week_after_its_warning(database):
    opportunity_id = listing(database, created_at=day(-300), published_at=day(-300))
    assert run(database, T0) == lifecycle.Round(1, 0)
    assert stored(database, opportunity_id).valid_until == T0.date() + timedelta(days=7)
    assert run(database, day(7)).closed == 0
    assert run(database, day(8)).closed == 1


def test_paused_and_concept_listings_are_neither_warned_nor_closed(database):
    paused = listing(database, status="paused")
    concept = listing(database, status="concept")
    assert run(database, day(200)) == lifecycle.Round(0, 0)
    assert stored(database, paused).status == "paused"
    assert stored(database, concept).status == "concept"


def test_closing_from_the_mail_closes_once(database):
    opportunity_id = listing(database)
    run(database, day(83))
    [body] = bodies(database, lifecycle.MAIL_KIND)
    assert use(database, body, Action.CLOSE, day(84)).state is LinkState.DONE
    assert stored(database, opportunity_id).status == Status.CLOSED.value
    assert use(database, body, Action.CLOSE, day(84)).state is LinkState.ALREADY


def test_renewing_twice_from_one_mail_renews_once(database):
    listing(database)
    run(database, day(83))
    [body] = bodies(database, lifecycle.MAIL_KIND)
    first = use(database, body, Action.RENEW, day(84))
    again = use(database, body, Action.RENEW, day(86))
    assert first.state is LinkState.DONE
    assert again.state is LinkState.ALREADY
    assert again.last_day == first.last_day


def test_a_late_renewal_brings_back_a_listing_that_closed_itself(database):
    opportunity_id = listing(database)
    run(database, day(83))
    run(database, day(95))
    [body] = bodies(database, lifecycle.MAIL_KIND)
    assert use(database, body, Action.RENEW, day(96)).state is LinkState.DONE
    assert stored(database, opportunity_id).status == Status.OPEN.value
    assert searchable(database, opportunity_id, day(96))


def test_opening_a_link_changes_nothing(database):
    opportunity_id = listing(database)
    run(database, day(83))
    [body] = bodies(database, lifecycle.MAIL_KIND)
    with database.session() as session:
        for action, path in ((Action.RENEW, lifecycle.RENEW_PATH), (Action.CLOSE, lifecycle.CLOSE_PATH)):
            assert lifecycle.link_state(session, token(body, path), action, SETTINGS, day(84)).state is LinkState.OPEN
    after = stored(database, opportunity_id)
    assert (after.status, after.valid_until, after.renewed_at) == ("open", date(2026, 11, 30), None)


def test_forged_altered_swapped_and_expired_links_change_nothing(database):
    opportunity_id = listing(database)
    run(database, day(83))
    [body] = bodies(database, lifecycle.MAIL_KIND)
    renew, close = token(body, lifecycle.RENEW_PATH), token(body, lifecycle.CLOSE_PATH)
    other_key = Settings(secret_key="someone-else", public_url="http://doemee.test")
    forged = lifecycle.link(other_key, opportunity_id, date(2026, 11, 30), Action.CLOSE, day(83))
    forged_token = parse_qs(urlsplit(forged).query)["token"][0]
    cases = {
        "": LinkState.INVALID,
        "x" * 5000: LinkState.INVALID,
        "'; DROP TABLE opportunity; --": LinkState.INVALID,
        renew[:-3] + "abc": LinkState.INVALID,
        forged_token: LinkState.INVALID,
        "é🙂\u0000": LinkState.INVALID,
    }
    with database.session() as session:
        for bad, expected in cases.items():
            assert lifecycle.use_link(session, bad, Action.CLOSE, SETTINGS, day(84)).state is expected
        # A renew link does not close, and a close link does not renew.
        assert lifecycle.use_link(session, renew, Action.CLOSE, SETTINGS, day(84)).state is LinkState.INVALID
        assert lifecycle.use_link(session, close, Action.RENEW, SETTINGS, day(84)).state is LinkState.INVALID
        assert lifecycle.use_link(session, close, Action.CLOSE, SETTINGS, day(83 + 31)).state is LinkState.EXPIRED
    after = stored(database, opportunity_id)
    assert (after.status, after.valid_until) == ("open", date(2026, 11, 30))


def test_a_link_for_a_listing_that_is_gone_says_so(database):
    opportunity_id = listing(database)
    link = lifecycle.link(SETTINGS, opportunity_id + 1000, date(2026, 11, 30), Action.RENEW, day(83))
    with database.session() as session:
        outcome = lifecycle.use_link(session, parse_qs(urlsplit(link).query)["token"][0], Action.RENEW, SETTINGS, day(84))
    assert outcome.state is LinkState.INVALID


def test_vandaag_lists_listings_ending_within_two_weeks_with_or_without_a_last_day(db):
    implicit = make_opportunity(db, title="Zonder einddatum", created_at=T0, published_at=T0)
    explicit = make_opportunity(db, title="Met einddatum", created_at=T0, published_at=T0)
    explicit.valid_until = date(2026, 11, 25)
    make_opportunity(db, title="Net begonnen", created_at=day(80), published_at=day(80))
    db.flush()
    centres = frozenset({implicit.centre_id})
    found = attention(db, centres, day(80))
    assert [(e.title, e.valid_until) for e in found.expiring] == [
        ("Met einddatum", date(2026, 11, 25)), ("Zonder einddatum", date(2026, 11, 30)),
    ]


def test_demo_listings_are_left_alone(database):
    opportunity_id = listing(database)
    with database.session() as session:
        session.get(Opportunity, opportunity_id).is_demo = True
    assert run(database, day(200)) == lifecycle.Round(0, 0)
    assert stored(database, opportunity_id).status == Status.OPEN.value


def test_an_import_that_clears_the_last_day_after_the_warning_earns_no_new_week_and_no_new_mail(database):
    opportunity_id = listing(database)
    run(database, day(83))
    for moment in (day(84), day(86), day(89)):
        with database.session() as session:
            session.get(Opportunity, opportunity_id).valid_until = None  # as a supplier's feed without end dates
        assert run(database, moment) == lifecycle.Round(0, 0)
        assert stored(database, opportunity_id).valid_until == date(2026, 11, 30)
    assert len(mails(database, lifecycle.MAIL_KIND)) == 1
    with database.session() as session:
        session.get(Opportunity, opportunity_id).valid_until = None
    assert run(database, day(91)) == lifecycle.Round(0, 1)

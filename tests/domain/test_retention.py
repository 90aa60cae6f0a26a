"""Data protection over time, on SQLite and PostgreSQL: idle conversations go, old searches become day counts."""

from __future__ import annotations

import threading
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, inspect, select

from doemee import centre_stats, retention, search_aggregates
from doemee.demand import unmet_demand
from doemee.idle_conversations import Forgotten, forget_idle
from doemee.settings import Settings
from doemee.storage.models import Centre, SearchLog, SearchLogAggregate
from tests.support.tracker_store import add_conversation, events_per_sender, tracker_store

NOW = datetime(2026, 12, 2, 15, 30, tzinfo=timezone.utc)
BEFORE = NOW - timedelta(days=90)  # 2026-09-03 15:30
DAY = 86_400.0


@pytest.fixture(params=["sqlite", "postgresql"])
def tracker(request, tmp_path):
    postgres = request.getfixturevalue("postgres_url") if request.param == "postgresql" else None
    with tracker_store(request.param, tmp_path, postgres) as url:
        yield url


def ago(days: float) -> float:
    return NOW.timestamp() - days * DAY


# --- the tracker store -----------------------------------------------------------------------


def test_only_conversations_idle_past_the_cutoff_vanish_with_all_their_events(tracker):
    add_conversation(tracker, "oud", ago(200), ago(150), ago(91))
    add_conversation(tracker, "net-te-oud", ago(90) - 1)
    add_conversation(tracker, "net-op-tijd", ago(90) + 1)
    add_conversation(tracker, "oud-maar-terug", ago(300), ago(250), ago(2))  # one recent event keeps it all
    add_conversation(tracker, "vers", ago(1))

    assert forget_idle(tracker, BEFORE) == Forgotten(conversations=2, events=4)
    assert events_per_sender(tracker) == {"net-op-tijd": 1, "oud-maar-terug": 3, "vers": 1}


def test_idle_conversations_go_in_batches_and_a_second_run_finds_nothing(tracker):
    for number in range(23):
        add_conversation(tracker, f"idle-{number:02d}", ago(100), ago(95))
    add_conversation(tracker, "active", ago(100), ago(3))

    assert forget_idle(tracker, BEFORE, batch=5) == Forgotten(conversations=23, events=46)
    assert forget_idle(tracker, BEFORE, batch=5) == Forgotten()
    assert events_per_sender(tracker) == {"active": 2}


def test_a_dry_run_counts_what_would_go_and_deletes_nothing(tracker):
    add_conversation(tracker, "oud", ago(120), ago(100))
    add_conversation(tracker, "vers", ago(100), ago(10))

    assert forget_idle(tracker, BEFORE, dry_run=True, batch=1) == Forgotten(conversations=1, events=2)
    assert events_per_sender(tracker) == {"oud": 2, "vers": 2}


def test_sender_ids_of_any_shape_are_data_not_sql(tracker):
    odd = ["'; DROP TABLE events; --", "ümlaut-😀", "a" * 255, "%", ""]
    for sender in odd:
        add_conversation(tracker, sender, ago(100))
    add_conversation(tracker, "_", ago(5))

    assert forget_idle(tracker, BEFORE, batch=2) == Forgotten(conversations=len(odd), events=len(odd))
    assert events_per_sender(tracker) == {"_": 1}


def test_a_tracker_store_rasa_never_made_holds_nothing_to_delete(tmp_path, postgres_url, database):
    missing_file = f"sqlite:///{tmp_path / 'nooit' / 'rasa.db'}"
    assert forget_idle(missing_file, BEFORE) == Forgotten()
    assert not (tmp_path / "nooit").exists()  # looking did not create it
    no_database = postgres_url.rsplit("/", 1)[0] + "/bestaat_niet"
    assert forget_idle(no_database, BEFORE) == Forgotten()
    no_table = database.url  # the app's own database has no `events` table
    assert forget_idle(no_table, BEFORE) == Forgotten()


# --- search logs become day counts -----------------------------------------------------------


INTERESTS = ["groen", "groen,taal", "", "sport,zorg,groen", "onbekend"]
CODES = ["0344", "0355", None, "0363", "0310"]


def spread_searches(session) -> int:
    """Searches every 13 hours from June to now, through every door, plus some right at the edges."""
    centres = [c.id for c in session.scalars(select(Centre).order_by(Centre.position))] + [None]
    moments = []
    moment = datetime(2026, 5, 20, 0, 0, tzinfo=timezone.utc)
    while moment < NOW:
        moments.append(moment)
        moment += timedelta(hours=13)
    moments += [BEFORE - timedelta(seconds=1), BEFORE, BEFORE + timedelta(seconds=1),
                datetime(2026, 9, 3, 0, 0, tzinfo=timezone.utc), datetime(2026, 8, 30, 23, 59, 59, tzinfo=timezone.utc),
                datetime(2026, 8, 31, 0, 0, tzinfo=timezone.utc)]  # a Sunday night and the Monday after
    for i, at in enumerate(moments):
        session.add(SearchLog(
            interests=INTERESTS[i % len(INTERESTS)], pc4="3511", municipality_code=CODES[i % len(CODES)],
            result_count=i % 4, within_radius_count=(i // 3) % 3, centre_id=centres[i % len(centres)],
            created_at=at,
        ))
    session.flush()
    return len(moments)


class Geo:
    def municipality(self, code: str) -> str | None:
        return {"0344": "Utrecht", "0355": "Zeist", "0310": "De Bilt", "0363": "Amsterdam"}.get(code)

    def centroid(self, code: str) -> tuple[float, float] | None:
        return (52.09, 5.11) if code == "0344" else (52.1, 5.2)


def figures(session) -> dict:
    """Everything the demand command and the Cijfers page show, for every centre and a range of start days."""
    today = NOW.date()
    shown: dict = {}
    centres = list(session.scalars(select(Centre.id).order_by(Centre.id)))
    for since in (date(2026, 5, 1), date(2026, 8, 31), date(2026, 9, 3), date(2026, 9, 4), date(2026, 11, 1)):
        shown[("demand", since)] = unmet_demand(session, since, Geo().municipality, today=today)
        shown[("demand 0344", since)] = unmet_demand(session, since, Geo().municipality, municipality_code="0344",
                                                     today=today)
        for centre in centres:
            shown[("cijfers", centre, since)] = centre_stats.demand(session, {centre}, Geo(), since=since, today=today)
            shown[("kaart", centre, since)] = centre_stats.municipalities(session, {centre}, Geo(), since=since,
                                                                          today=today)
    for centre in centres:
        shown[("weken", centre)] = centre_stats.weekly(session, {centre}, weeks=30, today=today)
        shown[("weken", "samen")] = centre_stats.weekly(session, set(centres), weeks=30, today=today)
    return shown


def test_the_figures_are_the_same_before_and_after_old_searches_are_folded(database):
    with database.session() as session:
        logged = spread_searches(session)
        before = figures(session)
    assert before[("weken", "samen")].searches > 0

    assert search_aggregates.fold_older(database, BEFORE, batch=7) > 0

    with database.session() as session:
        assert figures(session) == before
        assert session.scalar(select(func.min(SearchLog.created_at))).replace(tzinfo=timezone.utc) >= BEFORE
        live = session.scalar(select(func.count()).select_from(SearchLog))
        counted = session.scalar(select(func.sum(SearchLogAggregate.searches)))
    assert live + counted == logged


def test_folding_twice_changes_nothing_the_second_time(database):
    with database.session() as session:
        spread_searches(session)
    first = search_aggregates.fold_older(database, BEFORE, batch=50)
    with database.session() as session:
        after_first = figures(session)
        rows = session.scalar(select(func.count()).select_from(SearchLogAggregate))

    assert first > 0 and search_aggregates.fold_older(database, BEFORE) == 0
    with database.session() as session:
        assert figures(session) == after_first
        assert session.scalar(select(func.count()).select_from(SearchLogAggregate)) == rows


def test_a_later_run_adds_to_the_day_counts_instead_of_repeating_them(database):
    with database.session() as session:
        spread_searches(session)
        before = figures(session)
    search_aggregates.fold_older(database, BEFORE - timedelta(days=20, hours=7))
    search_aggregates.fold_older(database, BEFORE)

    with database.session() as session:
        assert figures(session) == before
        keys = session.execute(select(
            SearchLogAggregate.day, SearchLogAggregate.centre_id, SearchLogAggregate.municipality_code,
            SearchLogAggregate.interests,
        )).all()
    assert len(keys) == len(set(keys))


def test_the_day_counts_keep_nothing_finer_than_a_day(database):
    columns = {c["name"] for c in inspect(database.engine).get_columns("search_log_aggregate")}
    assert columns == {"id", "day", "centre_id", "municipality_code", "interests", "searches", "unmet"}


def test_a_dry_run_folds_nothing(database, tmp_path):
    with database.session() as session:
        logged = spread_searches(session)
    settings = Settings(tracker_store_url=f"sqlite:///{tmp_path / 'geen.db'}")

    outcome = retention.run(database, settings, NOW, dry_run=True)

    assert 0 < outcome.searches < logged and outcome.conversations == Forgotten()
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(SearchLog)) == logged
        assert session.scalar(select(func.count()).select_from(SearchLogAggregate)) == 0


def test_one_run_forgets_idle_conversations_and_folds_old_searches(database, tracker, caplog):
    add_conversation(tracker, "geheim-chat-id-123", ago(100))
    add_conversation(tracker, "vers", ago(3))
    with database.session() as session:
        spread_searches(session)
    settings = Settings(retention_days=90, tracker_store_url=tracker)

    with caplog.at_level("INFO", logger="doemee.retention"):
        outcome = retention.run(database, settings, NOW)

    assert outcome.conversations == Forgotten(1, 1) and outcome.searches > 0
    assert events_per_sender(tracker) == {"vers": 1}
    assert "1 conversations" in caplog.text and "geheim-chat-id-123" not in caplog.text


def test_two_instances_folding_at_once_count_every_search_exactly_once(database):
    with database.session() as session:
        utrecht = session.scalars(select(Centre.id).order_by(Centre.position)).first()
        for i in range(3000):
            session.add(SearchLog(interests=INTERESTS[i % 3], municipality_code=CODES[i % 2], centre_id=utrecht,
                                  within_radius_count=i % 2, created_at=BEFORE - timedelta(hours=1 + i % 50)))
    start = threading.Barrier(2)
    folded: list[int] = []
    failures: list[BaseException] = []

    def instance() -> None:
        try:
            start.wait()
            folded.append(search_aggregates.fold_older(database, BEFORE, batch=40))
        except BaseException as error:  # reported below, not lost in the thread
            failures.append(error)

    threads = [threading.Thread(target=instance) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert failures == [] and sum(folded) == 3000
    if database.engine.dialect.name == "postgresql":
        assert all(n > 0 for n in folded)  # they took turns; neither gave up on a batch the other held
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(SearchLog)) == 0
        rows = session.execute(select(
            SearchLogAggregate.day, SearchLogAggregate.municipality_code, SearchLogAggregate.interests,
            SearchLogAggregate.searches, SearchLogAggregate.unmet,
        )).all()
    assert sum(r.searches for r in rows) == 3000 and sum(r.unmet for r in rows) == 1500
    keys = [(r.day, r.municipality_code, r.interests) for r in rows]
    assert len(keys) == len(set(keys))

"""`bin/doemee retention [--dry-run]` through the real command line, on both databases."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from doemee import operations_messages
from doemee.storage.models import SearchLog, SearchLogAggregate
from tests.cli.runner import doemee
from tests.support.tracker_store import add_conversation, events_per_sender, tracker_store

NOW = datetime.now(timezone.utc)


def ago(days: float) -> float:
    return (NOW - timedelta(days=days)).timestamp()


@pytest.fixture(params=["sqlite", "postgresql"])
def tracker(request, tmp_path):
    postgres = request.getfixturevalue("postgres_url") if request.param == "postgresql" else None
    with tracker_store(request.param, tmp_path, postgres) as url:
        add_conversation(url, "tg-4711", ago(130), ago(120))
        add_conversation(url, "web-abc", ago(150), ago(1))
        yield url


@pytest.fixture
def searches(database) -> None:
    with database.session() as session:
        for days in (200, 100, 95, 10):
            session.add(SearchLog(interests="groen", municipality_code="0344", within_radius_count=0,
                                  created_at=NOW - timedelta(days=days)))


def counts(database) -> tuple[int, int]:
    with database.session() as session:
        return (session.scalar(select(func.count()).select_from(SearchLog)) or 0,
                session.scalar(select(func.coalesce(func.sum(SearchLogAggregate.searches), 0))) or 0)


def test_retention_deletes_idle_conversations_and_folds_old_searches(database, tracker, searches):
    result = doemee(database.url, "retention", DOEMEE_TRACKER_STORE_URL=tracker)

    assert result.code == 0, result.stderr
    assert "Bewaartermijn: 90 dagen" in result.stdout
    assert "Gesprekken: 1 gesprek verwijderd (2 regels in de tracker store van Rasa)." in result.stdout
    assert "Zoekopdrachten: 3 zoekopdrachten samengevat in tellingen per dag." in result.stdout
    assert "tg-4711" not in result.stdout + result.stderr
    assert events_per_sender(tracker) == {"web-abc": 2}
    assert counts(database) == (1, 3)

    again = doemee(database.url, "retention", DOEMEE_TRACKER_STORE_URL=tracker)
    assert again.code == 0 and "Gesprekken: 0 gesprekken verwijderd" in again.stdout
    assert counts(database) == (1, 3)


def test_a_dry_run_says_what_would_go_and_changes_nothing(database, searches, tmp_path):
    with tracker_store("sqlite", tmp_path) as tracker:
        add_conversation(tracker, "tg-4711", ago(130), ago(120))
        result = doemee(database.url, "retention", "--dry-run", DOEMEE_TRACKER_STORE_URL=tracker)

        assert result.code == 0, result.stderr
        assert "Gesprekken: 1 gesprek zou ik verwijderen (2 regels" in result.stdout
        assert "Zoekopdrachten: 3 zoekopdrachten zou ik samenvatten" in result.stdout
        assert operations_messages.RETENTION_DRY_RUN in result.stdout
        assert events_per_sender(tracker) == {"tg-4711": 2}
    assert counts(database) == (4, 0)


def test_the_retention_period_is_a_setting(database, searches, tmp_path):
    with tracker_store("sqlite", tmp_path) as tracker:
        add_conversation(tracker, "tg-4711", ago(130), ago(120))
        result = doemee(database.url, "retention", DOEMEE_TRACKER_STORE_URL=tracker, DOEMEE_RETENTION_DAYS="180")

        assert result.code == 0 and "Bewaartermijn: 180 dagen" in result.stdout
        assert events_per_sender(tracker) == {"tg-4711": 2}
    assert counts(database) == (3, 1)


def test_before_rasa_ever_ran_there_is_nothing_to_delete(database, searches, tmp_path):
    result = doemee(database.url, "retention", DOEMEE_TRACKER_STORE_URL=f"sqlite:///{tmp_path / 'rasa.db'}")

    assert result.code == 0 and "Gesprekken: 0 gesprekken verwijderd" in result.stdout
    assert not (tmp_path / "rasa.db").exists()


def test_an_unreachable_tracker_store_is_one_dutch_line_and_the_searches_are_folded_anyway(database, searches):
    result = doemee(database.url, "retention",
                    DOEMEE_TRACKER_STORE_URL="postgresql+psycopg://doemee:geheim@127.0.0.1:1/rasa")

    assert result.code == 1
    assert result.error_lines == [operations_messages.RETENTION_TRACKER_DOWN]
    assert "Traceback" not in result.stderr and "geheim" not in result.stdout + result.stderr
    assert counts(database) == (1, 3)

"""The near read goes outward ring by ring and stops once the page is certain."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import insert, update
from sqlalchemy.exc import IntegrityError

from doemee.matching.engine import find, find_naive
from doemee.matching.scoring import Preferences
from doemee.storage.models import Initiative, Opportunity
from tests.matching.factory import UTRECHT, add, ids, near, published


def _cluster(session, rng: random.Random, initiative: int, count: int, min_km: float, max_km: float) -> None:
    """`count` old opportunities between min_km and max_km east or west of Utrecht's centre."""
    rows = []
    for n in range(count):
        km = rng.uniform(min_km, max_km) * rng.choice((-1, 1))
        rows.append({
            "source": "ring", "external_id": f"r{min_km}-{n}", "initiative_id": initiative, "title": f"Klus {n}",
            "description": "Help mee.", "category": "groen", "postcode": "3511", "pc4": "3511",
            "place": "Utrecht", "lat": UTRECHT[0], "lon": UTRECHT[1] + km / 68.5,
            "time_commitment": "wekelijks", "day_parts": "ochtend", "remote": False,
            "contact_email": "x@example.org", "is_demo": False, "valid_until": None, "status": "open",
            "created_at": published(200), "updated_at": published(200),
        })
    session.execute(insert(Opportunity), rows)


@pytest.fixture
def city(db):
    initiative = db.scalar(insert(Initiative).values(name="Buurt", is_demo=False).returning(Initiative.id))
    rng = random.Random(3)
    _cluster(db, rng, initiative, 300, 0.0, 1.0)
    _cluster(db, rng, initiative, 300, 3.0, 9.0)
    return db


def test_a_dense_city_search_reads_only_the_inner_ring(city, monkeypatch):
    ranked: list[int] = []
    rank = Preferences.rank

    def counting(self, rows, **options):
        rows = list(rows)
        ranked.append(len(rows))
        return rank(self, rows, **options)

    monkeypatch.setattr(Preferences, "rank", counting)
    result = find(city, near())
    assert result.total_within_radius == 600
    assert sum(ranked) <= 300, ranked
    monkeypatch.setattr(Preferences, "rank", rank)
    assert ids(result) == ids(find_naive(city, near()))


def test_a_farther_opportunity_that_fits_the_day_part_still_comes_first(city):
    """Beyond the inner ring, a better time fit outweighs a few hundred metres."""
    fitting = add(city, at=(UTRECHT[0], UTRECHT[1] + 2.0 / 68.5), day_parts="weekend", created_at=published(200))
    result = find(city, near(times=frozenset({"weekend"})))
    assert ids(result)[0] == fitting.id
    assert ids(result) == ids(find_naive(city, near(times=frozenset({"weekend"}))))


def test_a_fresh_opportunity_just_beyond_the_inner_ring_still_comes_first(city):
    """Freshness is the one bonus distance does not bound, so the first read takes every new row."""
    newest = add(city, at=(UTRECHT[0], UTRECHT[1] + 1.5 / 68.5), created_at=published(0))
    query = near(limit=3)
    assert ids(find(city, query))[0] == newest.id
    assert ids(find(city, query)) == ids(find_naive(city, query))


def test_a_row_whose_latitude_band_is_wrong_is_refused(db):
    """Every search finds rows by their band; a wrong one would hide the row for good."""
    opportunity = add(db)
    with pytest.raises(IntegrityError):
        db.execute(update(Opportunity).where(Opportunity.id == opportunity.id).values(lat=40.0))
        db.flush()


def test_moving_an_opportunity_moves_its_band_and_it_is_found_at_the_new_place(db):
    opportunity = add(db, at=(50.85, 5.69))
    assert find(db, near()).total_within_radius == 0
    opportunity.lat, opportunity.lon = UTRECHT
    db.flush()
    assert ids(find(db, near())) == [opportunity.id]

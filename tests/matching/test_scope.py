"""A centre's region and an alert's publication window bound every read of the engine."""

from __future__ import annotations

import random
from dataclasses import replace

from sqlalchemy import update

from doemee.matching.engine import find, find_naive
from doemee.storage.models import Opportunity
from tests.matching.factory import AMERSFOORT, AMSTERDAM, MAASTRICHT, OVERVECHT, UTRECHT, ZEIST, add, ids, near, published
from tests.matching.test_agreement import _query, _seed, _summary

UTRECHT_REGION = frozenset({"0344", "0355"})  # Utrecht and Zeist


def _municipalities(result, db) -> set[str | None]:
    return {db.get(Opportunity, i).municipality_code for i in ids(result)}


def test_a_region_scoped_search_never_returns_an_opportunity_outside_the_region(db):
    inside = add(db, at=OVERVECHT, municipality_code="0344")
    add(db, at=UTRECHT, municipality_code="0310")  # closer, but another municipality
    add(db, at=ZEIST, municipality_code=None)
    result = find(db, near(municipality_codes=UTRECHT_REGION))
    assert ids(result) == [inside.id] and result.total_within_radius == 1


def test_without_a_region_the_whole_country_qualifies(db):
    add(db, at=OVERVECHT, municipality_code="0344")
    add(db, at=UTRECHT, municipality_code="0310")
    assert find(db, near()).total_within_radius == 2


def test_alternatives_beyond_the_radius_stay_inside_the_region(db):
    in_region = add(db, at=AMERSFOORT, municipality_code="0355")
    add(db, at=AMERSFOORT, municipality_code="0307")
    add(db, at=AMSTERDAM, municipality_code="0363")
    result = find(db, near(radius_km=5, municipality_codes=UTRECHT_REGION))
    assert result.only_alternatives
    assert ids(result) == [in_region.id]


def test_a_region_with_nothing_in_it_shows_nothing_rather_than_another_region(db):
    add(db, at=AMSTERDAM, municipality_code="0363")
    add(db, at=MAASTRICHT, municipality_code="0935", remote=True)
    result = find(db, near(municipality_codes=UTRECHT_REGION))
    assert result.matches == ()


def test_a_remote_opportunity_from_outside_the_region_is_not_offered(db):
    add(db, at=MAASTRICHT, municipality_code="0935", remote=True)
    local_remote = add(db, at=ZEIST, municipality_code="0355", remote=True)
    assert ids(find(db, near(municipality_codes=UTRECHT_REGION))) == [local_remote.id]


def test_only_opportunities_published_inside_the_window_qualify(db):
    add(db, published_at=published(5))
    fresh = add(db, published_at=published(1))
    add(db, published_at=published(-1))  # after the window
    add(db, status="concept")  # never published
    window = (published(2), published(0))
    assert ids(find(db, near(published_between=window))) == [fresh.id]
    assert ids(find_naive(db, near(published_between=window))) == [fresh.id]


def test_the_naive_scan_respects_the_region_too(db):
    inside = add(db, at=OVERVECHT, municipality_code="0344")
    add(db, at=UTRECHT, municipality_code="0310")
    add(db, at=AMSTERDAM, municipality_code="0363")
    assert ids(find_naive(db, near(municipality_codes=UTRECHT_REGION))) == [inside.id]


def test_indexed_and_naive_matching_agree_on_random_region_scoped_searches(db):
    rng = random.Random(11)
    _seed(db, rng, 400)
    codes = ["0344", "0363", "0599", "0014", "0935"]
    for n in range(1, 401):
        db.execute(update(Opportunity).where(Opportunity.id == n).values(municipality_code=rng.choice(codes)))
    shown = list(range(1, 401))
    for _ in range(40):
        region = frozenset(rng.sample(codes, rng.randint(1, 2)))
        query = replace(_query(rng, shown), municipality_codes=region)
        indexed, naive = find(db, query), find_naive(db, query)
        assert _summary(indexed) == _summary(naive), query
        assert _municipalities(indexed, db) <= region

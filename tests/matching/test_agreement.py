"""The indexed engine and the naive full scan agree on seeded random data."""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import insert

from doemee.categories import SLUGS
from doemee.matching.engine import find, find_naive
from doemee.matching.query import DAY_PARTS, TIME_WORDS, SearchQuery
from doemee.storage.models import Initiative, Opportunity
from tests.matching.factory import TODAY, UTRECHT, published

# Towns across the country, so some searches find plenty and some nothing.
TOWNS = [(52.09, 5.12), (52.37, 4.89), (51.92, 4.48), (53.22, 6.57), (50.85, 5.69),
         (51.44, 5.48), (52.16, 5.39), (52.52, 6.08), (51.50, 3.61), (53.20, 5.80)]


def _seed(session, rng: random.Random, count: int, towns=TOWNS, spread=(0.15, 0.2)) -> None:
    session.execute(insert(Initiative), [{"id": 1, "name": "Initiatief", "is_demo": False,
                                          "created_at": published(400)}])
    rows = []
    for n in range(1, count + 1):
        lat, lon = rng.choice(towns)
        rows.append({
            "id": n, "source": "seed", "external_id": f"s{n}", "initiative_id": 1, "title": f"Klus {n}",
            "description": "Help mee.", "category": rng.choice(sorted(SLUGS)), "postcode": "3511",
            "pc4": "3511", "place": "Ergens", "lat": lat + rng.uniform(-spread[0], spread[0]),
            "lon": lon + rng.uniform(-spread[1], spread[1]),
            "time_commitment": rng.choice(("eenmalig", "wekelijks", "maandelijks", "flexibel")),
            "day_parts": ";".join(rng.sample(DAY_PARTS, rng.randint(0, 2))), "remote": rng.random() < 0.08,
            "contact_email": "x@example.org", "is_demo": False,
            "valid_until": rng.choice((None, None, TODAY + timedelta(days=5), TODAY - timedelta(days=5))),
            "status": rng.choice(("open", "open", "open", "closed", "concept", "filled")),
            "created_at": published(rng.randint(0, 60)), "updated_at": published(0),
        })
    session.execute(insert(Opportunity), rows)


def _query(rng: random.Random, shown: list[int], towns=TOWNS, jitter: float = 0.1) -> SearchQuery:
    lat, lon = rng.choice(towns)
    return SearchQuery(
        lat=lat + rng.uniform(-jitter, jitter), lon=lon + rng.uniform(-jitter, jitter), origin="3511",
        interests=frozenset(rng.sample(sorted(SLUGS), rng.randint(0, 3))),
        times=frozenset(rng.sample(sorted(TIME_WORDS), rng.randint(0, 3))),
        radius_km=rng.choice((2.0, 5.0, 10.0, 25.0)), limit=rng.randint(1, 8), offset=rng.choice((0, 0, 3)),
        exclude_ids=frozenset(rng.sample(shown, min(len(shown), rng.randint(0, 3)))), today=TODAY,
    )


def _summary(result):
    return ([(m.opportunity.id, m.distance_km, m.score, m.within_radius, m.reasons) for m in result.matches],
            result.total_within_radius)


def test_indexed_and_naive_matching_agree_on_random_searches(db):
    rng = random.Random(7)
    _seed(db, rng, 600)
    shown: list[int] = list(range(1, 601))
    for _ in range(60):
        query = _query(rng, shown)
        assert _summary(find(db, query)) == _summary(find_naive(db, query)), query


def test_indexed_and_naive_matching_agree_inside_one_dense_city(db):
    """Hundreds of rows around one centre: the ring reads stop early, and must still be right."""
    rng = random.Random(11)
    _seed(db, rng, 700, towns=[UTRECHT], spread=(0.06, 0.09))
    shown: list[int] = list(range(1, 701))
    for _ in range(60):
        query = _query(rng, shown, towns=[UTRECHT], jitter=0.03)
        assert _summary(find(db, query)) == _summary(find_naive(db, query)), query

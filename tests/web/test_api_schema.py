"""schemathesis against the real gateway on loopback, with a seeded database: no 5xx, every answer as documented.

The cases come from /api/v1/openapi.json itself (schemathesis turns each
operation into Hypothesis strategies), valid ones and deliberately invalid
ones, with a real key for the writes. The run is bounded: a fixed number
of examples per operation, no shrinking deadline, well under a minute.
"""

from __future__ import annotations

import time

import httpx
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from doemee import api_keys
from doemee.attribution import centre_for_slug
from doemee.settings import Settings
from tests.domain.factories import make_opportunity
from tests.web.test_api import LISTING

EXAMPLES = {GenerationMode.POSITIVE: 25, GenerationMode.NEGATIVE: 10}
TIME_BUDGET_SECONDS = 60
# A schema cannot say "a postcode the geography knows" or "a real e-mail address": a
# schema-valid search or listing may still get a Dutch 422 there, and should.
CHECKED_BEYOND_THE_SCHEMA = {"GET /api/v1/opportunities", "PUT /api/v1/centre/opportunities/{external_id}"}
# So that those two also answer 200/201 often enough for their success bodies to be checked:
# one more round with a known postcode, or a whole valid listing under generated ids.
KNOWN_GOOD = {
    "GET /api/v1/opportunities": {"query": {"postcode": "3511"}},
    "PUT /api/v1/centre/opportunities/{external_id}": {"body": {**LISTING, "postcode": "3511"}},
}


@pytest.fixture
def seeded(make_gateway, database, tmp_path):
    """A gateway over a database with open, closed and demo listings and one key of Utrecht."""
    with database.session() as session:
        utrecht = centre_for_slug(session, "utrecht").id
        for number in range(6):
            listing = make_opportunity(session, title=f"Klus {number}", category=("groen", "taal", "klussen")[number % 3],
                                       status="closed" if number == 4 else "open")
            listing.is_demo = number == 5
        secret = api_keys.create(session, {utrecht}, utrecht, "schemathesis", None).secret
    mail = Settings(outbox_dir=tmp_path / "outbox", secret_key="geheim" * 8, public_url="http://doemee.test")
    base = make_gateway(database_url=database.url, mail=mail, email_alert_interval_seconds=0,
                        api_rate_per_key=100_000, api_rate_anonymous=100_000)
    # A listing the close operation can find, under an id the generator may well pick.
    with httpx.Client(base_url=base, trust_env=False) as http:
        http.put("/api/v1/centre/opportunities/0", headers={"Authorization": f"Bearer {secret}"}, json={
            "initiative_name": "Buurttuin", "title": "Tuinier", "description": "Wieden en oogsten.", "category": "groen",
            "postcode": "3511", "time_commitment": "wekelijks", "contact_email": "tuin@example.org"}).raise_for_status()
        schema = schemathesis.openapi.from_dict(http.get("/api/v1/openapi.json").json())
    return base, secret, schema


def _run(operation, mode: GenerationMode, base: str, secret: str, session: requests.Session,
         tried: dict[str, int], **fixed) -> None:
    """EXAMPLES[mode] cases of one operation, each sent to the app and checked against the document."""
    headers = {"Authorization": f"Bearer {secret}"} if operation.path.startswith("/api/v1/centre/") else None
    skipped = [positive_data_acceptance] if operation.label in CHECKED_BEYOND_THE_SCHEMA else []

    @settings(max_examples=EXAMPLES[mode], deadline=None, database=None, derandomize=True,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode, **fixed))
    def check(case) -> None:
        response = case.call_and_validate(base_url=base, session=session, headers=headers, excluded_checks=skipped)
        assert response.status_code < 500, (case.method, case.formatted_path, response.text[:300])
        tried[operation.label] = tried.get(operation.label, 0) + 1

    try:
        check()
    except Unsatisfiable:
        # An operation without parameters or body has nothing to get wrong.
        assert mode is GenerationMode.NEGATIVE and not operation.query and not operation.path_parameters


def test_every_operation_answers_as_documented_and_never_with_a_5xx(seeded):
    base, secret, schema = seeded
    started = time.monotonic()
    tried: dict[str, int] = {}
    with requests.Session() as session:
        session.trust_env = False
        for result in schema.get_all_operations():
            operation = result.ok()
            for mode in EXAMPLES:
                _run(operation, mode, base, secret, session, tried)
            if operation.label in KNOWN_GOOD:
                _run(operation, GenerationMode.POSITIVE, base, secret, session, tried, **KNOWN_GOOD[operation.label])
    assert time.monotonic() - started < TIME_BUDGET_SECONDS
    assert len(tried) == len(list(schema.get_all_operations())) == 10 and sum(tried.values()) >= 150, tried

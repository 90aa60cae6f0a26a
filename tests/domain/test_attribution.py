"""Which centre a thing belongs to, and whose contact a resident gets for a person."""

from __future__ import annotations

import dataclasses

from sqlalchemy import select

from doemee.attribution import (
    centre_for_municipality,
    centre_for_position,
    centre_for_slug,
    default_centre,
    handoff_contact,
    region_owners,
)
from doemee.centre_sync import sync_centres
from doemee.geo.index import get_geo_index
from doemee.matching.engine import find, record_search
from doemee.matching.query import SearchQuery
from doemee.opportunities import OpportunityInput, save
from doemee.residents import Contact
from doemee.settings import Settings
from doemee.signups import sign_up
from doemee.storage.models import Centre, Opportunity, SearchLog, SignUp
from tests.conftest import SEEDED_CENTRES
from tests.domain.factories import make_opportunity

AMSTERDAM_DAM = (52.3731, 4.8926)
MAASTRICHT = (50.8514, 5.6910)
FALLBACK = Settings(handoff_contact="het landelijke nummer 0800 123")


def _need(postcode: str) -> OpportunityInput:
    return OpportunityInput(
        external_id=f"chat-{postcode}", initiative_name="Buurthuis De Linde", title="Gastvrouw",
        description="Koffie schenken in het buurthuis.", category="ontmoeting", postcode=postcode,
        time_commitment="flexibel", contact_email="linde@example.org",
    )


def test_a_centre_is_found_by_its_slug_and_an_unknown_slug_finds_none(db):
    assert centre_for_slug(db, "amsterdam").name == "Vrijwilligerscentrale Amsterdam"
    assert centre_for_slug(db, "nergens") is None
    assert centre_for_slug(db, None) is None


def test_the_first_centre_of_centres_yml_is_the_default(db):
    assert default_centre(db).slug == "utrecht"


def test_a_municipality_belongs_to_the_centre_whose_region_holds_it(db):
    assert centre_for_municipality(db, "0355").slug == "utrecht"  # Zeist
    assert centre_for_municipality(db, "362").slug == "amsterdam"  # Amstelveen, written without its zero
    assert centre_for_municipality(db, "0935") is None  # Maastricht: no centre's region


def test_a_shared_position_belongs_to_the_centre_around_it(db):
    geo = get_geo_index()
    assert centre_for_position(db, AMSTERDAM_DAM, geo).slug == "amsterdam"
    assert centre_for_position(db, geo.postcode("3511"), geo).slug == "utrecht"
    assert centre_for_position(db, MAASTRICHT, geo) is None
    assert centre_for_position(db, (999.0, 0.0), geo) is None
    assert centre_for_position(db, None, geo) is None


def test_where_two_regions_claim_a_municipality_the_centre_listed_first_wins(db):
    amsterdam = dataclasses.replace(SEEDED_CENTRES["amsterdam"], municipalities=("0363", "0344"))
    sync_centres(db, {"utrecht": SEEDED_CENTRES["utrecht"], "amsterdam": amsterdam})
    assert centre_for_municipality(db, "0344").slug == "utrecht"
    assert region_owners(db)["0344"] == centre_for_slug(db, "utrecht").id
    sync_centres(db, {"amsterdam": amsterdam, "utrecht": SEEDED_CENTRES["utrecht"]})
    assert centre_for_municipality(db, "0344").slug == "amsterdam"


def test_the_handoff_names_the_widgets_centre(db):
    contact = handoff_contact(db, "amsterdam", None, settings=FALLBACK)
    assert contact == SEEDED_CENTRES["amsterdam"].handoff_contact


def test_the_widgets_centre_goes_before_where_the_resident_is(db):
    contact = handoff_contact(db, "utrecht", AMSTERDAM_DAM, geo=get_geo_index(), settings=FALLBACK)
    assert contact == SEEDED_CENTRES["utrecht"].handoff_contact


def test_on_telegram_the_handoff_names_the_centre_of_the_residents_region(db):
    contact = handoff_contact(db, None, AMSTERDAM_DAM, geo=get_geo_index(), settings=FALLBACK)
    assert contact == SEEDED_CENTRES["amsterdam"].handoff_contact


def test_outside_every_region_the_handoff_falls_back_to_the_global_contact(db):
    geo = get_geo_index()
    assert handoff_contact(db, None, MAASTRICHT, geo=geo, settings=FALLBACK) == FALLBACK.handoff_contact
    assert handoff_contact(db, "nergens", None, geo=geo, settings=FALLBACK) == FALLBACK.handoff_contact
    assert handoff_contact(db, None, None, settings=FALLBACK) == FALLBACK.handoff_contact


def test_a_need_without_a_centre_goes_to_the_centre_of_its_region_else_the_first(db):
    geo = get_geo_index()
    in_amsterdam = save(db, geo, _need("1011"), source="chat", status="concept")
    in_maastricht = save(db, geo, _need("6211"), source="chat", status="concept")
    assert in_amsterdam.centre.slug == "amsterdam"
    assert in_maastricht.centre.slug == "utrecht"


def test_a_named_centre_wins_over_the_region(db):
    geo = get_geo_index()
    saved = save(db, geo, _need("1011"), source="chat", centre=centre_for_slug(db, "utrecht"))
    assert saved.centre.slug == "utrecht"


def test_an_opportunity_inserted_without_a_centre_gets_the_first_one(db):
    opportunity = make_opportunity(db)
    assert db.scalar(select(Centre.slug).where(Centre.id == opportunity.centre_id)) == "utrecht"


def test_a_sign_up_remembers_the_centre_it_came_through_and_none_by_default(db):
    opportunity = make_opportunity(db)
    amsterdam = centre_for_slug(db, "amsterdam")
    with_centre = sign_up(db, "rest", "s1", opportunity.id, "Sanne", Contact("email", "s@mail.nl"), "ok", centre=amsterdam)
    without = sign_up(db, "telegram", "s2", opportunity.id, "Piet", Contact("email", "p@mail.nl"), "ok")
    assert db.get(SignUp, with_centre.sign_up_id).centre_id == amsterdam.id
    assert db.get(SignUp, without.sign_up_id).centre_id is None


def test_a_logged_search_remembers_its_centre_and_none_by_default(db):
    query = SearchQuery(lat=52.0907, lon=5.1214, origin="3511", pc4="3511", municipality_code="0344")
    utrecht = centre_for_slug(db, "utrecht")
    logged = record_search(db, query, find(db, query), centre=utrecht)
    anonymous = record_search(db, query, find(db, query))
    assert (db.get(SearchLog, logged.id).centre_id, db.get(SearchLog, anonymous.id).centre_id) == (utrecht.id, None)


def test_a_centre_leaving_takes_nothing_from_sign_ups_or_searches(database):
    with database.session() as session:
        sync_centres(session, {**SEEDED_CENTRES, "proef": dataclasses.replace(SEEDED_CENTRES["amsterdam"], slug="proef")})
        proef = centre_for_slug(session, "proef")
        query = SearchQuery(lat=52.0907, lon=5.1214, origin="3511")
        record_search(session, query, find(session, query), centre=proef)
    with database.session() as session:
        report = sync_centres(session, SEEDED_CENTRES)
    assert report.removed == ["proef"]
    with database.session() as session:
        assert session.scalars(select(SearchLog.centre_id)).all() == [None]
        assert session.scalar(select(Opportunity.id)) is None

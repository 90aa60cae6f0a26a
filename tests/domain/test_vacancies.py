"""A centre's own listings in the portal ("Vacatures"), on SQLite and PostgreSQL (via `db`)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from doemee import messages, vacancies
from doemee.alerts import AlertCriteria, due_alerts, subscribe
from doemee.geo.index import get_geo_index
from doemee.matching.engine import find as match
from doemee.matching.query import SearchQuery
from doemee.opportunities import OpportunityInput, Writer
from doemee.storage.models import Centre, Opportunity, Status
from doemee.vacancies import VacancyError, VacancyForm, VacancyNotFound
from tests.domain.factories import UTRECHT, make_opportunity

TODAY = date(2026, 12, 2)
GOOD = VacancyForm(
    title="Voorlezen op zaterdag", initiative_name="Bibliotheek Oost", description="Lees voor aan kinderen.",
    category="jeugd", postcode="3511 AB", time_commitment="wekelijks", contact_email="oost@example.org",
    day_parts=["ochtend", "weekend"], remote="nee", valid_until="2027-03-01",
)


@pytest.fixture
def centres(db) -> dict[str, int]:
    return {c.slug: c.id for c in db.scalars(select(Centre))}


@pytest.fixture(scope="module")
def geo():
    return get_geo_index()


def listing(db, centre_id: int, days_old: int = 3, **fields) -> Opportunity:
    """A listing of `centre_id`, `days_old` days old; `fields` overwrite the factory's values."""
    moment = datetime(2026, 11, 30, 12, tzinfo=timezone.utc) - timedelta(days=days_old)
    made = {k: fields.pop(k) for k in ("title", "category", "status", "initiative") if k in fields}
    opportunity = make_opportunity(db, created_at=moment, **made)
    opportunity.centre_id = centre_id
    for name, value in fields.items():
        setattr(opportunity, name, value)
    db.flush()
    return opportunity


def titles(page) -> list[str]:
    return [v.title for v in page.items]


# --- scoping -------------------------------------------------------------------------


def test_a_centre_finds_only_its_own_listings_newest_first(db, centres):
    listing(db, centres["utrecht"], title="Oud", days_old=9)
    listing(db, centres["utrecht"], title="Nieuw", days_old=1)
    listing(db, centres["amsterdam"], title="Van Amsterdam", days_old=0)
    page = vacancies.find(db, {centres["utrecht"]})
    assert titles(page) == ["Nieuw", "Oud"] and (page.total, page.page, page.pages) == (2, 1, 1)
    both = vacancies.find(db, {centres["utrecht"], centres["amsterdam"]})
    assert titles(both) == ["Van Amsterdam", "Nieuw", "Oud"]


def test_another_centres_listing_behaves_exactly_as_a_missing_one(db, centres, geo):
    theirs = listing(db, centres["amsterdam"], title="Van Amsterdam")
    mine = {centres["utrecht"]}
    missing = theirs.id + 1000
    assert vacancies.get(db, mine, theirs.id) is None and vacancies.get(db, mine, missing) is None
    actions = [
        lambda i: vacancies.edit(db, mine, i, GOOD, geo, today=TODAY),
        lambda i: vacancies.pause(db, mine, i, today=TODAY),
        lambda i: vacancies.resume(db, mine, i, today=TODAY),
        lambda i: vacancies.mark_filled(db, mine, i, today=TODAY),
        lambda i: vacancies.close(db, mine, i, today=TODAY),
        lambda i: vacancies.renew(db, mine, i, today=TODAY),
    ]
    for action in actions:
        errors = []
        for opportunity_id in (theirs.id, missing):
            with pytest.raises(VacancyNotFound) as raised:
                action(opportunity_id)
            errors.append((type(raised.value), raised.value.message))
        assert errors[0] == errors[1] == (VacancyNotFound, messages.VACANCY_NOT_FOUND)
    db.refresh(theirs)
    assert (theirs.status, theirs.title, theirs.valid_until) == ("open", "Van Amsterdam", None)


@pytest.mark.parametrize("bad_id", [-1, 0, 2**31, 10**30, "12", None, 1.5, True])
def test_ids_that_cannot_exist_are_not_found_and_never_reach_the_database(db, centres, bad_id):
    assert vacancies.get(db, {centres["utrecht"]}, bad_id) is None
    with pytest.raises(VacancyNotFound):
        vacancies.close(db, {centres["utrecht"]}, bad_id)


@pytest.mark.parametrize("visible", [set(), None, {-1}, {10**30}, {"1"}, 5])
def test_without_a_usable_centre_nothing_is_visible(db, centres, visible):
    opportunity = listing(db, centres["utrecht"])
    assert vacancies.find(db, visible).total == 0
    assert vacancies.get(db, visible, opportunity.id) is None
    assert vacancies.places(db, visible) == []


# --- searching, filtering, paging ------------------------------------------------------


def test_the_text_is_found_in_title_initiative_or_description_whatever_the_case(db, centres):
    utrecht = centres["utrecht"]
    listing(db, utrecht, title="Één keer per week KOKEN", days_old=1)
    listing(db, utrecht, title="Tuin", initiative="Stichting Koken & Eten", days_old=2)
    listing(db, utrecht, title="Buurthuis", description="We koken samen.", days_old=3)
    listing(db, utrecht, title="Iets anders", days_old=4)
    assert titles(vacancies.find(db, {utrecht}, text="  koken ")) == ["Één keer per week KOKEN", "Tuin", "Buurthuis"]
    assert titles(vacancies.find(db, {utrecht}, text="ÉÉN KEER")) == ["Één keer per week KOKEN"]


def test_like_wildcards_in_the_text_are_ordinary_characters(db, centres):
    utrecht = centres["utrecht"]
    listing(db, utrecht, title="50% korting op koffie", days_old=1)
    listing(db, utrecht, title="500 koppen koffie", days_old=2)
    listing(db, utrecht, title="tuin_dag", days_old=3)
    listing(db, utrecht, title="tuinxdag", days_old=4)
    assert titles(vacancies.find(db, {utrecht}, text="50%")) == ["50% korting op koffie"]
    assert titles(vacancies.find(db, {utrecht}, text="tuin_")) == ["tuin_dag"]
    assert vacancies.find(db, {utrecht}, text="%").total == 1


def test_filters_by_status_category_and_place_combine(db, centres):
    utrecht = centres["utrecht"]
    listing(db, utrecht, title="Open groen", category="groen")
    listing(db, utrecht, title="Gepauzeerd groen", category="groen", status="paused")
    listing(db, utrecht, title="Open taal", category="taal", place="Zeist")
    assert titles(vacancies.find(db, {utrecht}, status=Status.PAUSED)) == ["Gepauzeerd groen"]
    assert titles(vacancies.find(db, {utrecht}, status="open", category="groen")) == ["Open groen"]
    assert titles(vacancies.find(db, {utrecht}, place="Zeist")) == ["Open taal"]
    assert vacancies.find(db, {utrecht}, status="bestaat-niet").total == 0
    assert vacancies.places(db, {utrecht}) == ["Utrecht", "Zeist"]
    assert vacancies.status_counts(db, {utrecht}) == {"concept": 0, "open": 2, "paused": 1, "filled": 0, "closed": 0}


def test_a_total_taken_from_the_status_counts_equals_a_counted_one(db, centres):
    utrecht = centres["utrecht"]
    listing(db, utrecht, title="Open groen", category="groen")
    listing(db, utrecht, title="Gepauzeerd groen", category="groen", status="paused")
    listing(db, utrecht, title="Open taal", category="taal", place="Zeist")
    listing(db, centres["amsterdam"], title="Elders")
    counts = vacancies.status_counts(db, {utrecht})
    for filters in ({}, {"status": "open"}, {"status": Status.PAUSED}, {"status": "filled"}, {"status": "niets"},
                    {"category": "taal"}, {"status": "open", "place": "Zeist"}, {"text": "groen"}):
        counted = vacancies.find(db, {utrecht}, per_page=1, **filters)
        assert vacancies.find(db, {utrecht}, per_page=1, counts=counts, **filters) == counted, filters


def test_pages_count_the_whole_result_and_a_page_past_the_end_is_the_last(db, centres):
    utrecht = centres["utrecht"]
    for n in range(7):
        listing(db, utrecht, title=f"Plek {n}", days_old=n)
    second = vacancies.find(db, {utrecht}, page=2, per_page=3)
    assert titles(second) == ["Plek 3", "Plek 4", "Plek 5"] and (second.total, second.pages) == (7, 3)
    last = vacancies.find(db, {utrecht}, page=99, per_page=3)
    assert (titles(last), last.page) == (["Plek 6"], 3)
    searched = vacancies.find(db, {utrecht}, text="plek", page=3, per_page=3)
    assert (titles(searched), searched.total, searched.pages) == (["Plek 6"], 7, 3)
    assert vacancies.find(db, {utrecht}, page=-4, per_page=3).page == 1


def test_the_order_is_stable_when_listings_share_a_moment(db, centres):
    utrecht = centres["utrecht"]
    same = [listing(db, utrecht, title=f"Gelijk {n}", days_old=2) for n in range(4)]
    expected = [o.title for o in sorted(same, key=lambda o: -o.id)]
    assert titles(vacancies.find(db, {utrecht})) == expected
    assert titles(vacancies.find(db, {utrecht}, page=2, per_page=2)) == expected[2:]


@pytest.mark.parametrize("options", [
    {"text": ""}, {"text": "x" * 100_000}, {"text": "\x00"}, {"text": "a\ud800b"}, {"text": "🙂 ∑ — ß"},
    {"status": "\x00"}, {"category": "x" * 100_000}, {"place": "Utr\x00echt"}, {"place": "\udfff"},
    {"page": 10**30}, {"page": "abc"}, {"per_page": 0}, {"per_page": -5}, {"per_page": 10**9}, {"status": 7},
])
def test_any_filter_input_gives_a_page_never_an_exception(db, centres, options):
    listing(db, centres["utrecht"])
    page = vacancies.find(db, {centres["utrecht"]}, **options)
    assert page.page >= 1 and 1 <= page.per_page <= vacancies.MAX_PER_PAGE and page.total in (0, 1)


# --- creating and editing ----------------------------------------------------------------


def test_a_created_listing_is_open_and_placed_by_its_postcode(db, centres, geo):
    saved = vacancies.create(db, {centres["utrecht"]}, GOOD, geo, today=TODAY)
    assert saved.ok and saved.problems == ()
    v = saved.vacancy
    stored = db.get(Opportunity, v.id)
    assert (v.status, v.centre_id, v.postcode, v.place, v.municipality_code) == (
        "open", centres["utrecht"], "3511 AB", "Utrecht", "0344")
    assert (v.day_parts, v.remote, v.valid_until, v.initiative) == (
        ("ochtend", "weekend"), False, date(2027, 3, 1), "Bibliotheek Oost")
    assert abs(stored.lat - 52.09) < 0.05 and stored.published_at is not None and stored.source == "portal"
    assert vacancies.get(db, {centres["utrecht"]}, v.id) == v


def test_a_second_listing_with_the_same_text_is_a_second_listing(db, centres, geo):
    first = vacancies.create(db, {centres["utrecht"]}, GOOD, geo, today=TODAY).vacancy
    second = vacancies.create(db, {centres["utrecht"]}, GOOD, geo, today=TODAY).vacancy
    assert first.id != second.id


def test_a_caller_of_several_centres_chooses_one_it_may_see(db, centres, geo):
    both = {centres["utrecht"], centres["amsterdam"]}
    assert vacancies.create(db, both, GOOD, geo, today=TODAY).problems == (
        ("centre", messages.VACANCY_CHOOSE_CENTRE),)
    refused = vacancies.create(db, {centres["utrecht"]}, GOOD, geo, centre_id=centres["amsterdam"], today=TODAY)
    assert refused.vacancy is None and [p.field for p in refused.problems] == ["centre"]
    chosen = vacancies.create(db, both, GOOD, geo, centre_id=centres["amsterdam"], today=TODAY)
    assert chosen.vacancy.centre_id == centres["amsterdam"]


def fields_of(saved) -> list[str]:
    return [p.field for p in saved.problems]


@pytest.mark.parametrize(("change", "fields"), [
    ({"title": "x" * 100_000}, ["title"]),
    ({"description": "d" * 100_000}, ["description"]),
    ({"title": "Koken\x00"}, ["title"]),
    ({"title": "Ko\ud800ken"}, ["title"]),
    ({"initiative_name": "Twee\nregels"}, ["initiative_name"]),
    ({"postcode": "1000 AA"}, ["postcode"]),
    ({"postcode": "Utrecht"}, ["postcode"]),
    ({"category": "onbekend"}, ["category"]),
    ({"time_commitment": "soms"}, ["time_commitment"]),
    ({"contact_email": "geen-adres"}, ["contact_email"]),
    ({"initiative_website": "javascript:alert(1)"}, ["initiative_website"]),
    ({"day_parts": ["nacht"]}, ["day_parts"]),
    ({"day_parts": ["ochtend"] * 100_000}, []),
    ({"day_parts": [str(n) for n in range(100)]}, ["day_parts"]),
    ({"remote": "misschien"}, ["remote"]),
    ({"valid_until": "31-12-2027"}, ["valid_until"]),
    ({"valid_until": "2027-02-30"}, ["valid_until"]),
    ({"valid_until": "2026-12-01"}, ["valid_until"]),
    ({"valid_until": date(2020, 1, 1)}, ["valid_until"]),
    ({"title": "🙂 Samen ∑ koken — ß", "place": "Utrecht (Oost)"}, []),
    ({"title": None, "postcode": 3511}, ["title"]),
])
def test_bad_form_input_comes_back_as_field_problems_never_an_exception(db, centres, geo, change, fields):
    form = VacancyForm(**{**GOOD.__dict__, **change})
    saved = vacancies.create(db, {centres["utrecht"]}, form, geo, today=TODAY)
    assert fields_of(saved) == fields
    assert all(isinstance(p.reason, str) and p.reason for p in saved.problems)
    assert saved.ok is (not fields)


def test_an_empty_form_names_every_required_field_in_form_order(db, centres, geo):
    saved = vacancies.create(db, {centres["utrecht"]}, VacancyForm(), geo, today=TODAY)
    assert fields_of(saved) == [
        "title", "initiative_name", "description", "category", "postcode", "time_commitment", "contact_email",
    ]
    assert {p.reason for p in saved.problems} == {messages.FIELD_REQUIRED}
    assert db.scalar(select(Opportunity.id)) is None


def test_a_centre_cannot_change_the_website_of_an_initiative_another_centre_also_lists(db, centres, geo):
    theirs = listing(db, centres["amsterdam"], initiative="Gedeelde Tuin")
    shown = theirs.initiative.website
    form = VacancyForm(**{**GOOD.__dict__, "initiative_name": "Gedeelde Tuin", "initiative_website": "https://mijn.example.org"})
    refused = vacancies.create(db, {centres["utrecht"]}, form, geo, today=TODAY)
    assert refused.problems == (("initiative_website", messages.VACANCY_SHARED_WEBSITE),)
    kept = vacancies.create(db, {centres["utrecht"]}, VacancyForm(**{**form.__dict__, "initiative_website": shown}), geo,
                            today=TODAY)
    assert kept.ok and kept.vacancy.initiative_website == shown
    db.refresh(theirs.initiative)
    assert theirs.initiative.website == shown


def test_editing_changes_the_text_and_the_place_but_keeps_the_status(db, centres, geo):
    created = vacancies.create(db, {centres["utrecht"]}, GOOD, geo, today=TODAY).vacancy
    vacancies.pause(db, {centres["utrecht"]}, created.id, today=TODAY)
    form = VacancyForm(**{**created.form().__dict__, "title": "Voorlezen in Zeist", "postcode": "3701"})
    edited = vacancies.edit(db, {centres["utrecht"]}, created.id, form, geo, today=TODAY)
    assert edited.ok
    assert (edited.vacancy.id, edited.vacancy.title, edited.vacancy.status) == (created.id, "Voorlezen in Zeist", "paused")
    assert (edited.vacancy.municipality_code, edited.vacancy.place) == ("0355", "Zeist")


def test_an_invalid_edit_changes_nothing(db, centres, geo):
    created = vacancies.create(db, {centres["utrecht"]}, GOOD, geo, today=TODAY).vacancy
    form = VacancyForm(**{**created.form().__dict__, "title": "", "contact_email": "nee"})
    saved = vacancies.edit(db, {centres["utrecht"]}, created.id, form, geo, today=TODAY)
    assert (saved.vacancy, fields_of(saved)) == (None, ["title", "contact_email"])
    assert vacancies.get(db, {centres["utrecht"]}, created.id, today=TODAY) == created


def test_an_edit_may_keep_a_last_day_that_has_passed(db, centres, geo):
    old = listing(db, centres["utrecht"], status="closed", valid_until=date(2026, 1, 1), postcode="3511 AB")
    form = vacancies.get(db, {centres["utrecht"]}, old.id).form()
    saved = vacancies.edit(db, {centres["utrecht"]}, old.id, VacancyForm(**{**form.__dict__, "title": "Nieuw"}), geo,
                           today=TODAY)
    assert saved.ok and (saved.vacancy.status, saved.vacancy.valid_until) == ("closed", date(2026, 1, 1))


# --- status changes ---------------------------------------------------------------------

ACTIONS = {
    "pause": vacancies.pause, "resume": vacancies.resume, "fill": vacancies.mark_filled,
    "close": vacancies.close, "renew": vacancies.renew,
}


@pytest.mark.parametrize(("action", "before", "after"), [
    ("pause", "open", "paused"),
    ("resume", "paused", "open"),
    ("resume", "filled", "open"),
    ("fill", "open", "filled"),
    ("fill", "paused", "filled"),
    ("close", "open", "closed"),
    ("close", "paused", "closed"),
    ("close", "filled", "closed"),
    ("renew", "open", "open"),
    ("renew", "paused", "paused"),
    ("renew", "filled", "filled"),
    ("renew", "closed", "open"),
])
def test_every_allowed_status_change(db, centres, action, before, after):
    opportunity = listing(db, centres["utrecht"], status=before)
    changed = ACTIONS[action](db, {centres["utrecht"]}, opportunity.id, today=TODAY)
    db.refresh(opportunity)
    assert changed.status == opportunity.status == after
    assert changed.status_label == messages.VACANCY_STATUS_LABELS[after]


@pytest.mark.parametrize(("action", "before"), [
    ("pause", "paused"), ("pause", "filled"), ("pause", "closed"), ("pause", "concept"),
    ("resume", "open"), ("resume", "closed"), ("resume", "concept"),
    ("fill", "filled"), ("fill", "closed"), ("fill", "concept"),
    ("close", "closed"), ("close", "concept"),
    ("renew", "concept"),
])
def test_every_refused_status_change_says_why_in_dutch_and_changes_nothing(db, centres, action, before):
    opportunity = listing(db, centres["utrecht"], status=before)
    with pytest.raises(VacancyError) as raised:
        ACTIONS[action](db, {centres["utrecht"]}, opportunity.id, today=TODAY)
    db.refresh(opportunity)
    assert opportunity.status == before and opportunity.valid_until is None
    assert raised.value.message == messages.vacancy_refused(action, before)
    assert not isinstance(raised.value, VacancyNotFound)


def test_closing_a_closed_listing_and_renewing_a_concept_read_well():
    assert messages.vacancy_refused("close", "closed") == "Deze vacature is al gesloten."
    assert messages.vacancy_refused("renew", "concept") == messages.VACANCY_CONCEPT
    assert messages.vacancy_refused("pause", "filled") == "Je kunt deze vacature nu niet pauzeren: hij is vol."


def test_renewing_gives_ninety_days_or_the_day_asked_never_a_day_past(db, centres):
    mine = {centres["utrecht"]}
    opportunity = listing(db, centres["utrecht"])
    assert vacancies.renew(db, mine, opportunity.id, today=TODAY).valid_until == TODAY + timedelta(days=90)
    assert vacancies.renew(db, mine, opportunity.id, until="2027-06-30", today=TODAY).valid_until == date(2027, 6, 30)
    assert vacancies.renew(db, mine, opportunity.id, until=TODAY, today=TODAY).valid_until == TODAY
    for bad, reason in [
        (TODAY - timedelta(days=1), messages.VACANCY_DATE_PAST),
        ("gisteren", messages.bad_date("gisteren")),
        ("x" * 100_000, messages.bad_date("x" * 100_000)),
    ]:
        with pytest.raises(VacancyError) as raised:
            vacancies.renew(db, mine, opportunity.id, until=bad, today=TODAY)
        assert raised.value.message == reason
    db.refresh(opportunity)
    assert opportunity.valid_until == TODAY


def test_an_expired_listing_is_renewed_not_resumed(db, centres):
    opportunity = listing(db, centres["utrecht"], status="paused", valid_until=TODAY - timedelta(days=1))
    with pytest.raises(VacancyError) as raised:
        vacancies.resume(db, {centres["utrecht"]}, opportunity.id, today=TODAY)
    assert raised.value.message == messages.VACANCY_EXPIRED
    renewed = vacancies.renew(db, {centres["utrecht"]}, opportunity.id, today=TODAY)
    assert vacancies.resume(db, {centres["utrecht"]}, renewed.id, today=TODAY).status == "open"


def test_an_open_listing_past_its_last_day_is_shown_as_expired(db, centres):
    opportunity = listing(db, centres["utrecht"], valid_until=TODAY - timedelta(days=1))
    assert vacancies.get(db, {centres["utrecht"]}, opportunity.id, today=TODAY).expired
    assert not vacancies.renew(db, {centres["utrecht"]}, opportunity.id, today=TODAY).expired


def test_a_need_that_moderation_rejected_cannot_be_published_by_renewing(db, centres):
    rejected = listing(db, centres["utrecht"], status="closed", source="chat")
    with pytest.raises(VacancyError):
        vacancies.renew(db, {centres["utrecht"]}, rejected.id, today=TODAY)
    db.refresh(rejected)
    assert (rejected.status, rejected.published_at) == ("closed", None)


# --- residents never see a paused listing ------------------------------------------------


def test_a_paused_listing_is_never_matched(db, centres):
    opportunity = listing(db, centres["utrecht"])
    query = SearchQuery(lat=UTRECHT[0], lon=UTRECHT[1], origin="3511", pc4="3511", municipality_code="0344",
                        interests=frozenset({"groen"}))
    assert [m.opportunity.id for m in match(db, query).matches] == [opportunity.id]
    vacancies.pause(db, {centres["utrecht"]}, opportunity.id)
    result = match(db, query)
    assert result.matches == () and result.total_within_radius == 0


def test_a_listing_paused_before_alerts_go_out_is_not_alerted(db, centres):
    now = datetime.now(timezone.utc)
    subscription, _ = subscribe(db, "telegram", "42", AlertCriteria(*UTRECHT, pc4="3511", interests=("groen",)))
    subscription.created_at = now - timedelta(hours=3)
    opportunity = make_opportunity(db, created_at=now - timedelta(hours=1))
    opportunity.centre_id = centres["utrecht"]
    db.flush()
    assert len(due_alerts(db, now)) == 1
    vacancies.pause(db, {centres["utrecht"]}, opportunity.id)
    assert due_alerts(db, now) == []


def test_a_reimport_keeps_a_paused_listing_paused(db, centres, geo):
    centre = db.get(Centre, centres["utrecht"])
    item = OpportunityInput(
        external_id="r1", initiative_name="Import", title="Uit de import", description="Tekst.", category="groen",
        postcode="3511", time_commitment="wekelijks", contact_email="i@example.org",
    )
    opportunity, _ = Writer(db, geo, "csv", centre=centre).upsert(item)
    vacancies.pause(db, {centre.id}, opportunity.id)
    again, created = Writer(db, geo, "csv", centre=centre).upsert(item)
    assert (again.id, created, again.status) == (opportunity.id, False, "paused")

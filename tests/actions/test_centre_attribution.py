"""The resident's own centre: its handoff contact, and its name on sign-ups and searches (issue 17)."""

from __future__ import annotations

from sqlalchemy import select

from actions.conversation import ActionHandoff
from actions.need import ActionSubmitNeed
from actions.search import ActionShowResults
from actions.signup import ActionSubmitSignup
from doemee.settings import get_settings
from doemee.storage.models import Centre, Opportunity, SearchLog, SignUp
from tests.actions.conftest import make_tracker, run
from tests.actions.test_other_actions import NEED
from tests.actions.test_search import _search_slots
from tests.actions.test_signup import _opportunity, _ready

AMSTERDAM_CONTACT = "Vrijwilligerscentrale Amsterdam"
UTRECHT_CONTACT = "Vrijwilligerscentrum Utrecht"


def _centre_id(database, slug: str) -> int:
    with database.session() as session:
        return session.scalar(select(Centre.id).where(Centre.slug == slug))


async def test_the_widgets_centre_gives_its_own_handoff_contact(app_db, domain):
    tracker = make_tracker(intent="human_handoff", metadata={"channel": "web", "centre": "amsterdam"},
                           slots=_search_slots("3512"))
    outcome = await run(ActionHandoff(), tracker, domain)
    assert AMSTERDAM_CONTACT in outcome.all_text and UTRECHT_CONTACT not in outcome.all_text


async def test_without_a_widget_the_region_of_the_search_picks_the_centre(app_db, domain):
    tracker = make_tracker(intent="human_handoff", metadata={"channel": "telegram"}, slots=_search_slots("3512"))
    outcome = await run(ActionHandoff(), tracker, domain)
    assert UTRECHT_CONTACT in outcome.all_text


async def test_a_shared_location_picks_the_centre_of_its_region(app_db, domain):
    tracker = make_tracker(intent="human_handoff",
                           metadata={"channel": "telegram", "location": {"latitude": 52.37, "longitude": 4.89}})
    outcome = await run(ActionHandoff(), tracker, domain)
    assert AMSTERDAM_CONTACT in outcome.all_text


async def test_outside_every_region_and_without_a_widget_the_operators_contact_is_shown(app_db, domain, monkeypatch):
    monkeypatch.setenv("DOEMEE_HANDOFF_CONTACT", "het Steunpunt, 010 111 22 33")
    get_settings.cache_clear()
    outcome = await run(ActionHandoff(), make_tracker(intent="human_handoff", slots=_search_slots("9711")), domain)
    assert "het Steunpunt, 010 111 22 33" in outcome.all_text


async def test_a_forged_centre_slug_is_ignored(app_db, domain, monkeypatch):
    monkeypatch.setenv("DOEMEE_HANDOFF_CONTACT", "het Steunpunt, 010 111 22 33")
    get_settings.cache_clear()
    tracker = make_tracker(intent="human_handoff", metadata={"centre": "'; drop table centre; --"})
    outcome = await run(ActionHandoff(), tracker, domain)
    assert "het Steunpunt" in outcome.all_text


async def test_a_sign_up_is_attributed_to_the_widgets_centre(app_db, domain):
    oid = _opportunity(app_db)
    tracker = make_tracker(slots=_ready(oid), metadata={"channel": "web", "centre": "amsterdam"})
    await run(ActionSubmitSignup(), tracker, domain)
    with app_db.session() as session:
        assert session.scalars(select(SignUp)).one().centre_id == _centre_id(app_db, "amsterdam")


async def test_a_search_is_logged_for_the_centre_of_its_region_when_no_widget_names_one(demo_db, domain):
    await run(ActionShowResults(), make_tracker(slots=_search_slots("3512")), domain)
    await run(ActionShowResults(), make_tracker(slots=_search_slots("3512"), metadata={"centre": "amsterdam"}), domain)
    with demo_db.session() as session:
        logs = session.scalars(select(SearchLog).order_by(SearchLog.id)).all()
    assert [log.centre_id for log in logs] == [_centre_id(demo_db, "utrecht"), _centre_id(demo_db, "amsterdam")]


async def test_a_need_posted_in_a_widget_is_a_concept_of_that_widgets_centre(app_db, domain):
    """The postcode 3511 lies in Utrecht's region, but the initiative wrote through Amsterdam's widget."""
    await run(ActionSubmitNeed(), make_tracker(slots=NEED, metadata={"channel": "web", "centre": "amsterdam"}), domain)
    await run(ActionSubmitNeed(), make_tracker(slots=NEED, metadata={"channel": "telegram"}), domain)
    with app_db.session() as session:
        centres = [o.centre_id for o in session.scalars(select(Opportunity).order_by(Opportunity.id))]
    assert centres == [_centre_id(app_db, "amsterdam"), _centre_id(app_db, "utrecht")]

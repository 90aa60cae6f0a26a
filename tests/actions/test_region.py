"""A centre's widget keeps searches and alerts inside its region (metadata from the gateway)."""

from sqlalchemy import select

from actions.alerts import ActionSubscribeAlerts
from actions.search import ActionMoreResults, ActionShowResults
from doemee.storage.models import AlertSubscription, Opportunity
from tests.actions.conftest import make_tracker, run
from tests.actions.test_search import _search_slots

HOUTEN_BUNNIK = ["0321", "0312"]  # next to Utrecht, where most demo opportunities are
AMSTERDAM = ["0363", "0362", "0384", "0437"]
SENDER = "web-0123456789abcdef0123456789abcdef"


def _widget(codes: list[str], centre: str = "utrecht") -> dict:
    return {"channel": "web", "centre": centre, "municipalities": codes}


def _earlier_message(metadata: dict) -> dict:
    parse = {"text": "hallo", "intent": {"name": "greet", "confidence": 1.0}, "entities": [], "metadata": metadata}
    return {"event": "user", "text": "hallo", "parse_data": parse, "input_channel": "rest", "metadata": metadata}


def _municipalities(database, ids: list[int]) -> set[str]:
    with database.session() as session:
        return set(session.scalars(select(Opportunity.municipality_code).where(Opportunity.id.in_(ids))))


async def test_a_widget_search_shows_only_opportunities_of_the_centres_region(demo_db, domain):
    slots = _search_slots(pc4="3511", interests=())
    everywhere = await run(ActionShowResults(), make_tracker(slots=slots), domain)
    scoped = await run(ActionShowResults(), make_tracker(slots=slots, metadata=_widget(HOUTEN_BUNNIK)), domain)

    assert "0344" in _municipalities(demo_db, everywhere.slots["shown_ids"])
    assert scoped.slots["shown_ids"]
    assert _municipalities(demo_db, scoped.slots["shown_ids"]) <= set(HOUTEN_BUNNIK)


async def test_a_search_outside_the_region_offers_only_what_lies_in_the_region(demo_db, domain):
    outcome = await run(ActionShowResults(), make_tracker(slots=_search_slots(pc4="3511", interests=()),
                                                          metadata=_widget(AMSTERDAM, "amsterdam")), domain)
    assert outcome.slots["shown_ids"]  # Amsterdam's remote ones and the nearest beyond the radius
    assert _municipalities(demo_db, outcome.slots["shown_ids"]) <= set(AMSTERDAM)


async def test_on_a_later_turn_the_current_messages_region_counts_not_the_first_ones(demo_db, domain):
    tracker = make_tracker(slots=_search_slots(pc4="3511", interests=()), metadata=_widget(HOUTEN_BUNNIK),
                           history=[_earlier_message(_widget(AMSTERDAM, "amsterdam"))])
    outcome = await run(ActionShowResults(), tracker, domain)
    assert outcome.slots["shown_ids"]
    assert _municipalities(demo_db, outcome.slots["shown_ids"]) <= set(HOUTEN_BUNNIK)


async def test_a_message_without_a_region_searches_the_whole_country_even_after_a_widget_turn(demo_db, domain):
    tracker = make_tracker(slots=_search_slots(pc4="3511", interests=()), metadata={"channel": "telegram"},
                           history=[_earlier_message(_widget(AMSTERDAM, "amsterdam"))])
    outcome = await run(ActionShowResults(), tracker, domain)
    assert "0344" in _municipalities(demo_db, outcome.slots["shown_ids"])


async def test_the_more_button_in_the_widget_stays_inside_the_region(demo_db, domain):
    slots = {**_search_slots(pc4="3511", interests=()), "result_offset": 0}
    clicked = make_tracker(text="/more_results", intent="more_results", slots=slots, metadata=_widget(HOUTEN_BUNNIK))
    outcome = await run(ActionMoreResults(), clicked, domain)
    shown = outcome.slots.get("shown_ids") or []
    assert _municipalities(demo_db, shown) <= set(HOUTEN_BUNNIK)


async def test_garbage_in_the_region_metadata_is_ignored(demo_db, domain):
    metadata = {"channel": "web", "municipalities": ["0321", "<script>", 344, None, "03120"]}
    outcome = await run(ActionShowResults(), make_tracker(slots=_search_slots(pc4="3511", interests=()),
                                                          metadata=metadata), domain)
    assert _municipalities(demo_db, outcome.slots["shown_ids"]) == {"0321"}


async def test_an_alert_subscribed_in_a_widget_keeps_the_centres_region(app_db, domain):
    tracker = make_tracker(text="hou me op de hoogte", intent="subscribe_alerts", sender=SENDER,
                           slots=_search_slots(interests=("groen",)), metadata=_widget(HOUTEN_BUNNIK))
    await run(ActionSubscribeAlerts(), tracker, domain)
    with app_db.session() as session:
        subscription = session.scalars(select(AlertSubscription)).one()
        assert subscription.municipality_codes == "0312,0321"
        assert subscription.interests == "groen"

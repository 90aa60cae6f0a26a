"""The search: the form that collects place and interests, and the results.

`validate_search_form` fills the form's slots itself (custom extraction)
from entities, the shared Telegram location and, only when the form asked
for that slot, the plain text; so "ik woon in 3512 en wil iets met ouderen
doen" fills both at once, and "help" never becomes a place.
"""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import render
from actions.choice import choice_buttons, first_number, last_bot_text, read_choice, shown_views
from actions.safety import apologise_on_failure
from actions.tracker import (
    NAVIGATION,
    NO_PREFERENCE,
    ask_again_if_unanswered,
    asks_something_else,
    centre_slug,
    entity_values,
    int_or_none,
    is_answer,
    latest_intent,
    latest_text,
    region_of,
    says_no_preference,
    says_something_else,
    shared_position,
)
from doemee import messages
from doemee.attribution import attributed_centre
from doemee.categories import SLUGS, parse_interests, slugs_in
from doemee.choosing import chosen_position
from doemee.geo import wording
from doemee.geo.index import get_geo_index
from doemee.geo.types import Location, Outcome
from doemee.listing import open_opportunity
from doemee.matching.engine import find, record_search
from doemee.matching.query import TIME_WORDS, MatchResult, SearchQuery
from doemee.storage.database import get_database

CANDIDATES = "location_candidates"
HELPER_SLOTS = ("geo", CANDIDATES)
# Results always end the bot's turn (every rule and story listens next); saying
# so spares Rasa a policy prediction in the busiest turn.
WAIT_FOR_RESIDENT = FollowupAction("action_listen")
# The intents that start or feed the search form.
SEARCH_INTENTS = frozenset({"search_opportunities", "inform", "change_search"})
# Intents that leave the search for another task: "wij zoeken vrijwilligers voor ons buurthuis"
# names a subject, but it is no interest of the resident's (data/rules.yml, "instead of search_form").
LEAVES_SEARCH = frozenset({"post_need"})
# "ik woon in almre en ...": the word after "ik woon in", for the place question to say it is unknown.
_LIVES_IN = re.compile(r"\b(?:woon|woont|wonen)\s+(?:in|te)\s+([^\W\d_][\w'-]{2,})", re.IGNORECASE)
_NOT_A_NAME = frozenset({"de", "het", "een", "deze", "die", "dit", "dat", "mijn", "onze", "ons", "zo", "hier", "daar"})


def geo_slot(location: Location) -> dict[str, Any]:
    """A resolved place as slot data: enough to search again without the geography."""
    return {
        "name": location.name, "pc4": location.pc4, "municipality_code": location.municipality_code,
        "lat": location.lat, "lon": location.lon,
    }


def _candidate_slot(location: Location) -> dict[str, Any]:
    return {**geo_slot(location), "label": wording.label(location), "place": location.place,
            "municipality": location.municipality}


def _words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[\w'-]+", text)}


def _pick_candidate(value: str, candidates: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The candidate a resident means: its label (a button), a number, or a word from its place."""
    text = value.strip().lower()
    for candidate in candidates:
        if text == candidate["label"].lower():
            return candidate
    match = re.fullmatch(r"(?:de |nummer )?(\d|eerste|tweede|derde)", text)
    if match:
        key = match.group(1)
        index = {"eerste": 1, "tweede": 2, "derde": 3}.get(key) or int(key)
        return candidates[index - 1] if 1 <= index <= len(candidates) else None
    shared = set.intersection(*(_words(c["name"]) for c in candidates)) | {"de", "in", "het", "gemeente", "wijk"}
    said = _words(text) - shared
    fitting = [c for c in candidates if _words(f"{c['place']} {c['municipality']}") & said]
    return fitting[0] if len(fitting) == 1 else None


# Intents about results; while the resident still has to pick a place there are none.
_NEEDS_RESULTS = frozenset({"sign_up", "more_info", "more_results"})


def _place_choice_pending(tracker: Tracker) -> bool:
    """Whether the form waits for a choice between places and the message asks about results instead."""
    candidates = tracker.get_slot(CANDIDATES)
    return (
        tracker.get_slot("requested_slot") == "location"
        and isinstance(candidates, list) and bool(candidates)
        and latest_intent(tracker) in _NEEDS_RESULTS
        and not tracker.get_slot("shown_ids")
    )


def search_query(tracker: Tracker, limit: int = render.PAGE_SIZE, offset: int = 0) -> SearchQuery | None:
    """The search the slots describe, inside the widget's region, or None when no place is known yet."""
    geo = tracker.get_slot("geo")
    if not isinstance(geo, dict):
        return None
    interests = frozenset(_known(tracker.get_slot("interests"), SLUGS))
    times = frozenset(_known(tracker.get_slot("times"), TIME_WORDS))
    return SearchQuery(
        lat=float(geo["lat"]), lon=float(geo["lon"]), origin=str(geo["name"]), pc4=geo.get("pc4"),
        municipality_code=geo.get("municipality_code"), interests=interests, times=times,
        limit=limit, offset=offset, municipality_codes=region_of(tracker),
    )


def _known(value: Any, words: frozenset[str]) -> list[str]:
    """The words of a list slot that are in `words`.

    Rasa fills `times` itself from the `time` entity, so a payload typed by
    hand can leave a number, a dict or a nested list in it.
    """
    return [v for v in (value if isinstance(value, list) else [value]) if isinstance(v, str) and v in words]


class ValidateSearchForm(FormValidationAction):
    """Fills and checks place and interests for `search_form`."""

    def name(self) -> str:
        return "validate_search_form"

    @apologise_on_failure(lambda tracker: [SlotSet(tracker.get_slot("requested_slot") or "location", None)])
    async def run(self, dispatcher, tracker, domain):
        # rasa-sdk returns only the form's own slots; the resolved place and the
        # candidates to choose from travel alongside, so add them when they changed.
        before = {slot: tracker.get_slot(slot) for slot in HELPER_SLOTS}
        asked = tracker.get_slot("requested_slot")
        events = await super().run(dispatcher, tracker, domain)
        returned = {e.get("name") for e in events if e.get("event") == "slot"}
        for slot in HELPER_SLOTS:
            if slot not in returned and tracker.get_slot(slot) != before[slot]:
                events.append(SlotSet(slot, tracker.get_slot(slot)))
        required = await self.required_slots(self.domain_slots(domain), dispatcher, tracker, domain)
        events += ask_again_if_unanswered(tracker, asked, required, returned, SEARCH_INTENTS)
        events += _something_else_while_asked(dispatcher, tracker, asked, returned)
        if asked == "location" and not returned and _place_choice_pending(tracker):
            # "aanmelden voor de eerste" while the resident still has to pick a place:
            # there is nothing to sign up for yet, so keep the place question open.
            dispatcher.utter_message(text=messages.LOCATION_CHOICE_PENDING)
            events.append(SlotSet(CANDIDATES, tracker.get_slot(CANDIDATES)))
        if all(tracker.get_slot(slot) is not None for slot in required):
            # What the rules predict after a completed search form anyway; naming it
            # spares Rasa a policy prediction in every search turn.
            events.append(FollowupAction(ActionShowResults.NAME))
        return events

    async def extract_location(self, dispatcher, tracker: Tracker, domain) -> dict[str, Any]:
        position = shared_position(tracker)
        if position is not None:
            geo = get_geo_index()
            if not geo.covers(*position):
                dispatcher.utter_message(text=messages.LOCATION_OUTSIDE_NL)
                return {"location": None, "geo": None}
            location = geo.nearest(*position)
            dispatcher.utter_message(text=messages.SHARED_LOCATION_USED)
            return {"location": location.name, "geo": geo_slot(location), CANDIDATES: None}
        if asks_something_else(tracker) or latest_intent(tracker) in LEAVES_SEARCH:
            # "wat is het weer in deventer?" names a place but is no answer to the form.
            return {}
        named = entity_values(tracker, "postcode") or entity_values(tracker, "place")
        if named:
            return {"location": named[0]}
        lived_in = _lives_in_unknown(tracker)
        if lived_in:
            return {"location": lived_in}
        if _place_choice_pending(tracker):
            candidates = tracker.get_slot(CANDIDATES)
            position = chosen_position(latest_text(tracker), len(candidates))
            return {"location": candidates[position - 1]["label"]} if position else {}
        if is_answer(tracker, "location", NAVIGATION):
            return {"location": latest_text(tracker)[:100]}
        return {}

    async def validate_location(self, value: Any, dispatcher, tracker: Tracker, domain) -> dict[str, Any]:
        if not value:
            return {"location": None}
        current = tracker.get_slot("geo")
        if isinstance(current, dict) and current.get("name") == value:
            # Already resolved (a shared location, a picked candidate, or a repeated search).
            return {"location": value, "geo": current, CANDIDATES: None}
        candidates = tracker.get_slot(CANDIDATES) or []
        if candidates:
            picked = _pick_candidate(str(value), candidates)
            if picked is not None:
                return {"location": picked["name"], "geo": {k: picked[k] for k in geo_slot_keys()}, CANDIDATES: None}
        result = get_geo_index().resolve(str(value))
        if result.outcome is Outcome.FOUND and result.location is not None:
            if result.corrected:
                dispatcher.utter_message(text=wording.explain(result))
            return {"location": result.location.name, "geo": geo_slot(result.location), CANDIDATES: None}
        if result.outcome is Outcome.AMBIGUOUS:
            return {"location": None, "geo": None, CANDIDATES: [_candidate_slot(c) for c in result.candidates]}
        dispatcher.utter_message(text=wording.explain(result))
        return {"location": None, "geo": None, CANDIDATES: None}

    async def extract_interests(self, dispatcher, tracker: Tracker, domain) -> dict[str, Any]:
        if asks_something_else(tracker) or latest_intent(tracker) in LEAVES_SEARCH:
            return {}
        said = entity_values(tracker, "interest")
        named = [v for v in said if v in SLUGS]
        if named:
            return {"interests": named}
        text = latest_text(tracker)
        if said and not text:
            # A button's payload with a word that is no category: validation says so.
            return {"interests": said}
        if self._wants_something_else(tracker, text):
            return {"interests": None}
        if says_no_preference(text) and _asks_or_tells_search(tracker):
            return {"interests": [NO_PREFERENCE]}
        if is_answer(tracker, "interests", NAVIGATION):
            return {"interests": slugs_in(text) or [text[:100]]}
        return {}

    @staticmethod
    def _wants_something_else(tracker: Tracker, text: str) -> bool:
        """ "iets anders" with nothing more specific: forget the interests and ask again."""
        if any(entity_values(tracker, name) for name in ("postcode", "place", "interest", "time")):
            return False
        if latest_intent(tracker) == "change_search":
            return True
        return tracker.active_loop.get("name") != "search_form" and says_something_else(text)

    async def validate_interests(self, value: Any, dispatcher, tracker: Tracker, domain) -> dict[str, Any]:
        if not value:
            return {"interests": None}
        values = [str(v) for v in (value if isinstance(value, list) else [value])]
        if values == [NO_PREFERENCE]:
            return {"interests": values}
        slugs, _ = parse_interests(values)
        if slugs:
            return {"interests": slugs}
        dispatcher.utter_message(text=messages.INTERESTS_UNKNOWN)
        return {"interests": None}


def _asks_or_tells_search(tracker: Tracker) -> bool:
    """Whether "alles is goed" answers the interest question: asked, or said with a place in the same message.

    "ik woon in 3512, alles is goed" says all there is to search; asking
    "Wat doe je graag?" after it would ignore half of it.
    """
    asked = tracker.get_slot("requested_slot")
    if asked == "interests":
        return True
    named = entity_values(tracker, "postcode") or entity_values(tracker, "place")
    return asked in (None, "location") and bool(named)


def _lives_in_unknown(tracker: Tracker) -> str | None:
    """The word after "ik woon in" that the NLU found no place in, while no place is known yet.

    The place question then says it does not know that place, instead of
    asking "Waar woon je?" as if nothing had been said.
    """
    if tracker.get_slot("requested_slot") == "location" or tracker.get_slot("location"):
        return None
    match = _LIVES_IN.search(latest_text(tracker))
    if match is None or match.group(1).lower() in _NOT_A_NAME:
        return None
    return match.group(1)[:100]


def _something_else_while_asked(
    dispatcher: CollectingDispatcher, tracker: Tracker, asked: str | None, returned: set[str],
) -> list[dict[str, Any]]:
    """ "iets anders" while the form asks something: say what the question is for, so it is not a plain repeat."""
    if asked not in ("location", "interests") or latest_intent(tracker) != "change_search":
        return []
    if tracker.get_slot(asked) is not None and asked in returned:
        return []
    if any(entity_values(tracker, name) for name in ("postcode", "place", "interest")):
        return []
    if asked == "interests":
        dispatcher.utter_message(text=messages.SOMETHING_ELSE_INTERESTS)
        return []
    if tracker.get_slot(CANDIDATES):
        # None of the places offered: ask for the place anew, without the buttons.
        dispatcher.utter_message(text=messages.SOMETHING_ELSE_NONE_OF_THESE)
        return [SlotSet(CANDIDATES, None)]
    dispatcher.utter_message(text=messages.SOMETHING_ELSE_NEEDS_PLACE)
    return []


def geo_slot_keys() -> tuple[str, ...]:
    return ("name", "pc4", "municipality_code", "lat", "lon")


class ActionAskLocation(Action):
    """Asks where the resident lives, or which of several places with that name they mean."""

    def name(self) -> str:
        return "action_ask_location"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain):
        candidates = tracker.get_slot(CANDIDATES) or []
        if candidates:
            labels = [c["label"] for c in candidates]
            dispatcher.utter_message(
                text=messages.geo_ambiguous(labels),
                buttons=[{"title": label, "payload": render.payload("inform", place=label)} for label in labels],
            )
        else:
            dispatcher.utter_message(text=messages.ASK_LOCATION)
        return []


async def _search(query: SearchQuery, log_for: Tracker | None) -> MatchResult:
    """Finds the matches; with `log_for`, the search is logged for the centre of that resident's widget or region."""
    slug = centre_slug(log_for) if log_for is not None else None

    def work(session) -> MatchResult:
        result = find(session, query)
        if log_for is not None:
            record_search(session, query, result, centre=attributed_centre(session, slug, (query.lat, query.lon)))
        return result

    return await get_database().run_sync(work)


class ActionShowResults(Action):
    """Runs the search the form collected and shows the best three."""

    NAME = "action_show_results"

    def name(self) -> str:
        return self.NAME

    @apologise_on_failure()
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain):
        query = search_query(tracker)
        if query is None:
            dispatcher.utter_message(text=messages.NO_SEARCH_YET)
            return []
        result = await _search(query, log_for=tracker)
        for message in render.results(result, query.origin, 0):
            dispatcher.utter_message(**message)
        return [SlotSet("shown_ids", [m.opportunity.id for m in result.matches]), SlotSet("result_offset", 0),
                WAIT_FOR_RESIDENT]


class ActionMoreResults(Action):
    """Shows the next three results of the current search."""

    def name(self) -> str:
        return "action_more_results"

    @apologise_on_failure()
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain):
        offset = (int_or_none(tracker.get_slot("result_offset")) or 0) + render.PAGE_SIZE
        query = search_query(tracker, offset=offset)
        if query is None:
            dispatcher.utter_message(text=messages.NO_SEARCH_YET)
            return []
        result = await _search(query, log_for=None)
        for message in render.results(result, query.origin, offset):
            dispatcher.utter_message(**message)
        if not result.matches:
            return [WAIT_FOR_RESIDENT]
        return [SlotSet("shown_ids", [m.opportunity.id for m in result.matches]), SlotSet("result_offset", offset),
                WAIT_FOR_RESIDENT]


class ActionMoreInfo(Action):
    """Tells more about one opportunity; the initiative's contact stays hidden until sign-up."""

    def name(self) -> str:
        return "action_more_info"

    @apologise_on_failure()
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain):
        choice = await read_choice(tracker)
        opportunity_id = choice.chosen
        if opportunity_id is None:
            views = await shown_views(tracker)
            if not views:
                dispatcher.utter_message(text=messages.NO_SEARCH_YET)
                return []
            if choice.unclear:
                dispatcher.utter_message(
                    text=messages.ASK_WHICH_MORE_INFO,
                    buttons=choice_buttons(views, "more_info", first_number(tracker), choice.candidates),
                )
            else:
                dispatcher.utter_message(text=messages.ask_which_more_info(len(views)))
            return []
        view = await get_database().run_sync(lambda session: open_opportunity(session, opportunity_id))
        if view is None:
            dispatcher.utter_message(text=messages.OPPORTUNITY_GONE)
            return []
        details = messages.opportunity_details(
            view.title, view.initiative, view.description, view.place, view.time_commitment,
            list(view.day_parts), view.initiative_website,
        )
        if details == last_bot_text(tracker):
            details = f"{messages.DETAILS_AGAIN}\n\n{details}"
        dispatcher.utter_message(
            text=details,
            buttons=[{"title": messages.BUTTON_SIGN_UP,
                      "payload": render.payload("sign_up", opportunity_id=str(opportunity_id))}],
        )
        # "daar wil ik me voor aanmelden" next means this one.
        return [SlotSet("detailed_id", str(opportunity_id))]


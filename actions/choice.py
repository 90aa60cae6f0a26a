"""Which shown opportunity a resident means: a button's id, "de eerste", or words of it.

The reading itself is the domain's (doemee.choosing); this module gets the
shown results from the tracker and the database, and holds the action that
reads a typed message right after results.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import ActionFallback
from actions.render import choice_button_title, payload
from actions.safety import apologise_on_failure
from actions.tracker import (
    entity_named, entity_values, int_or_none, latest_intent, latest_text, record_id, says_something_else,
    shared_position,
)
from doemee import messages
from doemee.categories import SLUGS, slugs_in
from doemee.choosing import FILLER, Choice, Listed, choose, chosen_position, mentions_position
from doemee.email_alerts import asks_for_news
from doemee.listing import shown_opportunities
from doemee.residents import NOT_NAME_WORDS, Contact, parse_contact, parse_first_name
from doemee.storage.database import get_database

# No opportunity has this id. A button that names an id nobody can have (a
# payload typed by hand) chooses it, so the resident hears that this one is
# not available instead of the bot guessing another.
NO_SUCH_OPPORTUNITY = 0


def shown_ids(tracker: Tracker) -> list[int]:
    return [number for i in (tracker.get_slot("shown_ids") or []) if (number := record_id(i)) is not None]


def previous_action(tracker: Tracker) -> str | None:
    """The bot's last action before the resident's latest message (not counting listening)."""
    seen_user = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            if seen_user:
                return None
            seen_user = True
        elif seen_user and event.get("event") == "action" and event.get("name") != "action_listen":
            return event.get("name")
    return None


def detailed_focus(tracker: Tracker) -> int | None:
    """The result whose details were shown just before: "daar wil ik me voor aanmelden" means that one."""
    if previous_action(tracker) != "action_more_info":
        return None
    return record_id(tracker.get_slot("detailed_id"))


async def shown_views(tracker: Tracker) -> list[Listed]:
    """The shown results in the order shown; one that vanished keeps its place with no words."""
    ids = shown_ids(tracker)
    if not ids:
        return []
    views = {v.id: v for v in await get_database().run_sync(lambda session: shown_opportunities(session, ids))}
    return [views.get(i) or SimpleNamespace(id=i, title="", initiative="", category="") for i in ids]


async def read_choice(tracker: Tracker, words: bool = True) -> Choice:
    """The shown result the latest message means: a button's id, a position, or (with `words`) its words."""
    for value in entity_values(tracker, "opportunity_id"):
        opportunity_id = record_id(value)
        if opportunity_id is not None:
            return Choice(chosen=opportunity_id, named=True)
    if entity_named(tracker, "opportunity_id"):
        return Choice(chosen=NO_SUCH_OPPORTUNITY, named=True)
    text, ids = latest_text(tracker), shown_ids(tracker)
    if not text or not ids:
        return Choice()
    first = first_number(tracker)
    if not words:
        position = chosen_position(text, len(ids), first)
        return Choice(chosen=ids[position - 1] if position else None, named=mentions_position(text))
    return choose(text, await shown_views(tracker), first, ignore=_search_words(tracker, text))


def _search_words(tracker: Tracker, text: str) -> list[str]:
    """Words that change or repeat the search rather than name a result.

    "ik woon in utrecht" names no "Voedselbank Utrecht-West", and "liever met
    kinderen" after a search for nature asks for children, whatever the titles say.
    """
    geo = tracker.get_slot("geo")
    words = [str(tracker.get_slot("location") or ""), str(geo.get("name") or "") if isinstance(geo, dict) else ""]
    interests = tracker.get_slot("interests") or []
    for item in (tracker.latest_message or {}).get("entities") or []:
        if not isinstance(item, dict) or item.get("entity") not in ("postcode", "place", "interest", "time"):
            continue
        if item.get("entity") == "interest" and item.get("value") in interests:
            continue
        start, end = item.get("start"), item.get("end")
        if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text):
            words.append(text[start:end])
        if isinstance(item.get("value"), str):
            words.append(item["value"])
    return words


def choice_buttons(views: list[Listed], intent: str, first_number: int, only: tuple[int, ...] = ()) -> list[dict]:
    """One button per shown result (or per result in `only`), numbered like the cards.

    Choosing which one to sign up for answers a question, so its buttons
    send `inform` with the id: inside the sign-up form that fills the choice,
    after results action_after_results reads it, and they never look like a
    second page of result cards (which carry `sign_up` and `more_info`).
    """
    return [
        {"title": choice_button_title(first_number + n, view.title),
         "payload": payload(intent, opportunity_id=str(view.id))}
        for n, view in enumerate(views) if not only or view.id in only
    ]


def first_number(tracker: Tracker) -> int:
    """The number on the first card shown: 4 after "Meer" (Rasa may send the offset as 3.0)."""
    offset = tracker.get_slot("result_offset")
    if isinstance(offset, float) and offset.is_integer():
        offset = int(offset)
    return (int_or_none(offset) or 0) + 1


def last_bot_text(tracker: Tracker) -> str:
    for event in reversed(tracker.events):
        if event.get("event") == "bot":
            return (event.get("text") or "").strip()
    return ""


def typed_first_name(tracker: Tracker) -> str | None:
    """A first name typed on its own ("Marieke", "ik heet Marieke"), never a word that means something else."""
    text = latest_text(tracker)
    if latest_intent(tracker) not in ("inform", "nlu_fallback") or _entities_of_search(tracker):
        return None
    if not text or len(text.split()) > 4 or slugs_in(text):
        return None
    name = parse_first_name(text)
    if name is None or len(name.split()) > 2:
        return None
    if any(word in NOT_NAME_WORDS or word in _NOT_NAMES or word in FILLER for word in name.lower().split()):
        return None
    return name


def _entities_of_search(tracker: Tracker) -> bool:
    return any(entity_values(tracker, e) for e in ("postcode", "place", "interest", "time"))


# Short answers that parse as a name but are none, besides the words no name holds (doemee.residents).
_NOT_NAMES = frozenset("""
    interessant wauw nice echt ah oh oja huh klopt precies tof gezellig jammer helaas
""".split())


def slot_before_latest_message(tracker: Tracker, slot: str) -> Any:
    """A slot's value before the resident's latest message set it (slots mapped from entities)."""
    value, seen_user = None, False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            seen_user = True
        elif seen_user and event.get("event") == "slot" and event.get("name") == slot:
            return event.get("value")
    return value if seen_user else tracker.get_slot(slot)


def refines_search(tracker: Tracker) -> bool:
    """Whether the latest message changes the search: a new place, time or interest, or "iets anders"."""
    if shared_position(tracker) is not None or latest_intent(tracker) == "change_search":
        return True
    if says_something_else(latest_text(tracker)):
        return True
    location = str(tracker.get_slot("location") or "").strip().lower()
    geo = tracker.get_slot("geo")
    known_places = {location, str(geo.get("name") or "").lower() if isinstance(geo, dict) else ""}
    if any(value.lower() not in known_places for value in entity_values(tracker, "postcode") + entity_values(tracker, "place")):
        return True
    # Rasa fills `times` from the message itself; compare with what it was before.
    times = slot_before_latest_message(tracker, "times") or []
    if any(value not in times for value in entity_values(tracker, "time")):
        return True
    interests = tracker.get_slot("interests") or []
    return any(value in SLUGS and value not in interests for value in entity_values(tracker, "interest"))


class ActionAfterResults(Action):
    """Reads a typed message right after results: a choice, a name or address (sign up), or a new search.

    Residents type rather than tap. Without this, "doe maar de moestuin" or
    "Marieke" went to the search form and showed the same results again. The
    outcome goes in `typed_choice`; the rules start the form it names.
    """

    def name(self) -> str:
        return "action_after_results"

    @apologise_on_failure(lambda tracker: [SlotSet("typed_choice", "answered")])
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain):
        intent = latest_intent(tracker)
        if not shown_ids(tracker) and intent in ("inform", "search_opportunities"):
            # Nothing on screen to choose from (a search found nothing): the search goes on as before.
            return [SlotSet("typed_choice", "search")]
        if intent == "deny" and not refines_search(tracker):
            # A plain no to the results; "nee, toch liever met kinderen" searches again (below).
            dispatcher.utter_message(response="utter_anything_else")
            return [SlotSet("typed_choice", "answered")]
        contact = parse_contact(latest_text(tracker))
        if intent == "subscribe_alerts" and (contact is None or asks_for_news(latest_text(tracker))):
            # Only a request for news subscribes; "mijn mail is j.bakker@outlook.com" signs up (below).
            return [SlotSet("typed_choice", "alerts")]
        name = None if contact else typed_first_name(tracker)
        # Words of an address ("j.bakker@outlook.com") name no result; a position still can.
        choice = await read_choice(tracker, words=intent != "out_of_scope" and contact is None)
        refines = refines_search(tracker)
        prefill = self._prefill(contact, name)
        if choice.chosen is not None or choice.unclear:
            if not (choice.by_category_only and refines):
                return self._sign_up(choice.chosen, choice.candidates if choice.unclear else (), prefill)
        if refines:
            return [SlotSet("typed_choice", "search")]
        if contact or name:
            # Only one result on screen: that one. Otherwise the sign-up asks which, with buttons.
            ids = shown_ids(tracker)
            return self._sign_up(ids[0] if len(ids) == 1 else None, (), prefill)
        if intent == "search_opportunities":
            # "ik zoek vrijwilligerswerk" again: the same search would show the same results, so ask
            # what they would like to do (the place stays).
            return [SlotSet("typed_choice", "search"), SlotSet("interests", None)]
        if intent == "nlu_fallback" and not choice.named:
            await ActionFallback().run(dispatcher, tracker, domain)
        elif intent == "out_of_scope":
            dispatcher.utter_message(response="utter_out_of_scope")
        else:
            await self._not_found(dispatcher, tracker)
        return [SlotSet("typed_choice", "answered")]

    @staticmethod
    def _prefill(contact: Contact | None, name: str | None) -> list[dict]:
        if contact is not None:
            return [SlotSet("contact", contact.value), SlotSet("contact_kind", contact.kind)]
        return [SlotSet("first_name", name)] if name else []

    @staticmethod
    def _sign_up(chosen: int | None, candidates: tuple[int, ...], prefill: list[dict]) -> list[dict]:
        return [
            SlotSet("typed_choice", "sign_up"),
            SlotSet("opportunity_id", None if chosen is None else str(chosen)),
            SlotSet("choice_candidates", list(candidates) or None),
            *prefill,
        ]

    @staticmethod
    async def _not_found(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
        views = await shown_views(tracker)
        text = messages.CHOICE_NOT_FOUND
        if text == last_bot_text(tracker):
            text = messages.CHOICE_NOT_FOUND_AGAIN
        dispatcher.utter_message(text=text, buttons=choice_buttons(views, "inform", first_number(tracker)))

"""Alert subscriptions for the current search, keyed to the pseudonymous resident.

"Tell me when something new turns up" starts `alerts_form`. The widget
cannot push, so there the news comes by mail and the form asks for an
address; an address typed with the request is the answer. Elsewhere
(Telegram pushes) the form asks nothing and ends at once, unless the
resident typed an address: then that address gets the mail. While the form
asks, any message with an address in it is the answer, whatever the NLU
guessed, so an address never starts a search.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.safety import apologise_on_failure
from actions.search import search_query
from actions.tracker import asks_something_else, channel_of, latest_intent, latest_text
from doemee import messages
from doemee.alerts import AlertCriteria, subscribe, unsubscribe
from doemee.categories import LABELS
from doemee.email_alerts import CONFIRM_WITHIN, Requested, find_address, request, send_confirmation
from doemee.matching.query import SearchQuery
from doemee.settings import get_settings
from doemee.storage.database import get_database

logger = logging.getLogger(__name__)

ALERT_EMAIL = "alert_email"
# Channels whose residents get their alerts by mail: the widget (bot/web) cannot push.
MAIL_CHANNELS = frozenset({"web"})
# While the address is asked, these have their own rules (data/rules.yml, "inside alerts_form").
NOT_AN_ANSWER = frozenset({
    "help", "bot_challenge", "ask_privacy", "ask_paid", "human_handoff", "forget_me", "deny", "goodbye", "greet",
    "thank", "unsubscribe_alerts", "search_opportunities", "sign_up",
})


def _criteria(query: SearchQuery) -> AlertCriteria:
    return AlertCriteria(
        lat=query.lat, lon=query.lon, pc4=query.pc4, interests=tuple(sorted(query.interests)),
        times=tuple(sorted(query.times)), radius_km=query.radius_km,
        municipality_codes=tuple(sorted(query.municipality_codes)),
    )


def _summary(query: SearchQuery) -> str:
    return messages.alert_summary([LABELS[i] for i in sorted(query.interests)], query.origin, query.radius_km)


def wants_mail(tracker: Tracker) -> bool:
    """Whether these alerts go by mail: the channel cannot push, or the resident typed an address."""
    return (
        channel_of(tracker) in MAIL_CHANNELS
        or tracker.get_slot("requested_slot") == ALERT_EMAIL
        or tracker.get_slot(ALERT_EMAIL) is not None
        or find_address(latest_text(tracker)) is not None
    )


class ValidateAlertsForm(FormValidationAction):
    """Finds the address for alerts by mail; asks for none when there is nothing to mail."""

    def name(self) -> str:
        return "validate_alerts_form"

    @apologise_on_failure(lambda tracker: [SlotSet(ALERT_EMAIL, None)])
    async def run(self, dispatcher, tracker, domain):
        return await super().run(dispatcher, tracker, domain)

    async def required_slots(self, domain_slots, dispatcher, tracker: Tracker, domain) -> list[str]:
        # Without a search there is nothing to follow: the submit action says so before asking anything.
        if search_query(tracker) is None or not wants_mail(tracker):
            return []
        return [ALERT_EMAIL]

    async def extract_alert_email(self, dispatcher, tracker: Tracker, domain) -> dict[str, Any]:
        text = latest_text(tracker)
        if find_address(text) is not None:
            return {ALERT_EMAIL: text}
        asked = tracker.get_slot("requested_slot") == ALERT_EMAIL
        if asked and text and latest_intent(tracker) not in NOT_AN_ANSWER and not asks_something_else(tracker):
            return {ALERT_EMAIL: text[:254]}
        return {}

    async def validate_alert_email(self, value: Any, dispatcher, tracker: Tracker, domain) -> dict[str, Any]:
        address = find_address(str(value or ""))
        if address is None:
            dispatcher.utter_message(text=messages.ALERT_EMAIL_INVALID)
        return {ALERT_EMAIL: address}


class ActionSubscribeAlerts(Action):
    """Subscribes to news for the current search: by mail with double opt-in, or pushed in the channel."""

    def name(self) -> str:
        return "action_subscribe_alerts"

    @apologise_on_failure(lambda tracker: [SlotSet(ALERT_EMAIL, None)])
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain):
        query = search_query(tracker)
        if query is None:
            dispatcher.utter_message(text=messages.ALERTS_NEED_SEARCH)
            return [SlotSet(ALERT_EMAIL, None)]
        channel, sender = channel_of(tracker), tracker.sender_id
        criteria, summary = _criteria(query), _summary(query)
        address = find_address(str(tracker.get_slot(ALERT_EMAIL) or ""))
        if address is not None:
            dispatcher.utter_message(text=await _by_mail(channel, sender, criteria, address, summary))
            return [SlotSet(ALERT_EMAIL, None)]
        _, created = await get_database().run_sync(lambda session: subscribe(session, channel, sender, criteria))
        dispatcher.utter_message(text=messages.alerts_subscribed(summary) if created else messages.alerts_already(summary))
        return [SlotSet(ALERT_EMAIL, None)]


async def _by_mail(channel: str, sender: str, criteria: AlertCriteria, address: str, summary: str) -> str:
    """Stores the request with the consent of this turn, mails the link, and says what happens next."""
    consent = messages.email_alerts_consent(summary)
    database = get_database()
    asked = await database.run_sync(lambda session: request(session, channel, sender, criteria, address, consent))
    if asked.outcome is Requested.ALREADY:
        return messages.email_alerts_already(address, summary)
    if asked.outcome is Requested.CONFIRMED:
        return messages.email_alerts_confirmed(address, summary)
    if asked.outcome is Requested.MAIL_SENT_RECENTLY:
        return messages.email_alerts_mail_sent_recently(address)
    try:
        await asyncio.to_thread(send_confirmation, database, asked.email_alert_id, get_settings())
    except Exception as error:  # the request stands; the gateway's sender mails the link on its next round
        logger.warning("alert confirmation not sent yet: %s", type(error).__name__)
    return messages.email_alerts_mail_coming(address, CONFIRM_WITHIN.days)


class ActionUnsubscribeAlerts(Action):
    def name(self) -> str:
        return "action_unsubscribe_alerts"

    @apologise_on_failure()
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain):
        channel, sender = channel_of(tracker), tracker.sender_id
        removed = await get_database().run_sync(lambda session: unsubscribe(session, channel, sender))
        dispatcher.utter_message(text=messages.ALERTS_STOPPED if removed else messages.ALERTS_NONE)
        return []

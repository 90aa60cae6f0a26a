"""Alert subscriptions for the current search, keyed to the pseudonymous resident."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.safety import apologise_on_failure
from actions.search import search_query
from actions.tracker import channel_of
from doemee import messages
from doemee.alerts import AlertCriteria, subscribe, unsubscribe
from doemee.categories import LABELS
from doemee.storage.database import get_database


class ActionSubscribeAlerts(Action):
    def name(self) -> str:
        return "action_subscribe_alerts"

    @apologise_on_failure()
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain):
        query = search_query(tracker)
        if query is None:
            dispatcher.utter_message(text=messages.ALERTS_NEED_SEARCH)
            return []
        criteria = AlertCriteria(
            lat=query.lat, lon=query.lon, pc4=query.pc4, interests=tuple(sorted(query.interests)),
            times=tuple(sorted(query.times)), radius_km=query.radius_km,
            municipality_codes=tuple(sorted(query.municipality_codes)),
        )
        channel, sender = channel_of(tracker), tracker.sender_id
        _, created = await get_database().run_sync(lambda session: subscribe(session, channel, sender, criteria))
        summary = messages.alert_summary([LABELS[i] for i in criteria.interests], query.origin, query.radius_km)
        dispatcher.utter_message(text=messages.alerts_subscribed(summary) if created else messages.alerts_already(summary))
        return []


class ActionUnsubscribeAlerts(Action):
    def name(self) -> str:
        return "action_unsubscribe_alerts"

    @apologise_on_failure()
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain):
        channel, sender = channel_of(tracker), tracker.sender_id
        removed = await get_database().run_sync(lambda session: unsubscribe(session, channel, sender))
        dispatcher.utter_message(text=messages.ALERTS_STOPPED if removed else messages.ALERTS_NONE)
        return []

"""Account requests that can be done safely in chat: leaving the newsletter.

Subscribing is not done here: the shop must first confirm by email that the address belongs to
the person asking, which a chat cannot do. Unsubscribing is always allowed, because stopping
mail can only ever be what the address's owner wants.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Dict, List, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.verification import normalise_email
from actions.wording import echo
from bot.conversation.names import NEWSLETTER_CHOICE_SLOT, NEWSLETTER_EMAIL_SLOT
from bot.store.customers import NewsletterOutcome, set_newsletter
from bot.store.database import open_session

SUBSCRIBE, UNSUBSCRIBE = "subscribe", "unsubscribe"


def newsletter_choice(text: str) -> str | None:
    """`unsubscribe` for 'stop sending me emails', `subscribe` for 'sign me up', else None."""
    words = text.lower()
    if any(word in words for word in ("unsub", "stop", "opt out", "opt-out", "remove", "no more", "don't send", "leave")):
        return UNSUBSCRIBE
    if any(word in words for word in ("sub", "sign", "join", "opt in", "opt-in", "add me", "start")):
        return SUBSCRIBE
    return None


class ValidateNewsletterForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_newsletter_form"

    async def required_slots(
        self, domain_slots: List[Text], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Text]:
        if tracker.get_slot(NEWSLETTER_CHOICE_SLOT) == SUBSCRIBE:
            return [NEWSLETTER_CHOICE_SLOT]  # explained at the end; no email needed
        return domain_slots

    def validate_newsletter_choice(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        choice = value if value in (SUBSCRIBE, UNSUBSCRIBE) else newsletter_choice(str(value))
        if choice is None:
            dispatcher.utter_message(response="utter_newsletter_choice_unclear")
        return {NEWSLETTER_CHOICE_SLOT: choice}

    def validate_newsletter_email(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        email = normalise_email(value)
        if email is None:
            dispatcher.utter_message(response="utter_email_invalid", value=echo(value))
        return {NEWSLETTER_EMAIL_SLOT: email}


class ActionUpdateNewsletter(Action):
    """Unsubscribes the address, or explains how to subscribe safely."""

    def name(self) -> Text:
        return "action_update_newsletter"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        events: List[EventType] = [SlotSet(NEWSLETTER_CHOICE_SLOT, None), SlotSet(NEWSLETTER_EMAIL_SLOT, None)]
        if tracker.get_slot(NEWSLETTER_CHOICE_SLOT) != UNSUBSCRIBE:
            dispatcher.utter_message(response="utter_newsletter_subscribe_online")
            return events
        email = tracker.get_slot(NEWSLETTER_EMAIL_SLOT)
        with open_session() as session:
            outcome = set_newsletter(session, email, False, datetime.now(timezone.utc))
        response = {
            NewsletterOutcome.UNSUBSCRIBED: "utter_newsletter_unsubscribed",
            NewsletterOutcome.UNCHANGED: "utter_newsletter_already_unsubscribed",
            NewsletterOutcome.UNKNOWN_EMAIL: "utter_newsletter_unknown_email",
        }.get(outcome, "utter_newsletter_already_unsubscribed")
        dispatcher.utter_message(response=response, email=email)
        return events

"""A possible sign of self-harm (tier two): ask directly and kindly, then act on the answer.

The detector's second tier fires far below the first, so that nobody at risk is missed; at that
level many who are fine are caught too, and crisis resources would alarm them. So the assistant
asks, as crisis lines advise (asking does not raise the risk): are you thinking of harming
yourself or ending your life? Yes, No, or Talk to a person.

* Yes: exactly the tier-one answer, crisis resources at once and a person at priority 1.
* No: an apology for asking, the offer of a person, and the customer's task back where it was.
* Talk to a person: a person, at the priority of a possible risk (`actions.handoff`).

`HumanHandoffPolicy` asks from any state, forms included, and routes the yes or no here.
"""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.distress import (
    CRISIS_CARE,
    SELF_HARM,
    give_crisis_care,
    is_waiting_for_person,
    person_is_with_them,
    place_in_queue,
    record_detection,
    verdict,
    verdict_of,
)
from actions.distress_resume import SET_ASIDE_SLOT, set_aside, set_aside_request
from bot.conversation.events import customer_messages, latest_customer_message
from bot.conversation.names import (
    AFFIRM_INTENT,
    ANSWER_SELF_HARM_CHECK_ACTION,
    ASK_ABOUT_SELF_HARM_ACTION,
    SELF_HARM_CHECK_INTENT,
)

# What the assistant did, as the detection record and the agent console name it.
ASKED = "asked_whether_at_risk"
SAID_YES = f"said_yes_{CRISIS_CARE}"
SAID_NO = "said_no_offered_person"


class ActionAskAboutSelfHarm(Action):
    """Asks directly whether the customer is thinking of harming themselves, pausing anything else."""

    def name(self) -> Text:
        return ASK_ABOUT_SELF_HARM_ACTION

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        score = verdict(tracker)["score"]
        if person_is_with_them(tracker.sender_id):
            dispatcher.utter_message(response="utter_distress_person_here")
            record_detection(tracker.sender_id, SELF_HARM, score, "told_person_is_here")
            return []
        dispatcher.utter_message(response="utter_self_harm_check")
        record_detection(tracker.sender_id, SELF_HARM, score, ASKED)
        if is_waiting_for_person(tracker.sender_id):
            return []  # nothing to carry on: their form ended when they asked for a person
        return set_aside(tracker, domain)


class ActionAnswerSelfHarmCheck(Action):
    """Acts on the customer's yes or no to the self-harm question."""

    def name(self) -> Text:
        return ANSWER_SELF_HARM_CHECK_ACTION

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        if person_is_with_them(tracker.sender_id):
            return []  # the person from the team reads the answer and replies themselves
        score = score_of_the_question(tracker)
        if (tracker.latest_message.get("intent") or {}).get("name") == AFFIRM_INTENT:
            # What was set aside stays with the person now; nothing carries on by itself.
            return give_crisis_care(dispatcher, tracker, score, SAID_YES) + [SlotSet(SET_ASIDE_SLOT, None)]
        record_detection(tracker.sender_id, SELF_HARM, score, SAID_NO)
        dispatcher.utter_message(response="utter_self_harm_check_sorry")
        if is_waiting_for_person(tracker.sender_id):
            dispatcher.utter_message(response="utter_distress_person_coming", position=place_in_queue(tracker.sender_id))
            return []
        dispatcher.utter_message(response="utter_self_harm_check_offer_person")
        request = set_aside_request(tracker, domain)
        return request.resume(dispatcher, tracker, domain) if request else [SlotSet(SET_ASIDE_SLOT, None)]


def score_of_the_question(tracker: Tracker) -> float:
    """The detector's score for the message the question was about (the latest one it asked on)."""
    earlier = customer_messages(tracker.events)[:-1]  # the latest is the answer
    asked_on = latest_customer_message(earlier, intent=SELF_HARM_CHECK_INTENT)
    return verdict_of(asked_on.get("parse_data") or {})["score"] if asked_on else 0.0

"""Why a customer is being passed to a person, read from the turn before they asked.

The reason sets the request's priority (`handoff.priorities` in bot/policy.yml) and is what the
agent sees first, so a yes to an offer the assistant made carries that offer's context.
"""

from __future__ import annotations

from typing import Any, Dict, Iterable

from bot.conversation.events import actions_before_latest_customer_message
from bot.conversation.names import (
    ANSWER_SELF_HARM_CHECK_ACTION,
    ASK_ABOUT_SELF_HARM_ACTION,
    HANDLE_FALLBACK_ACTION,
    RESPOND_TO_DISTRESS_ACTION,
    RESUME_REQUEST_ACTION,
)

OFFER_ACTION = "utter_offer_human"
DEFAULT_REASON = "customer_request"
# When the customer accepts a person the assistant offered, the offer's context is the reason.
REASON_BY_OFFERING_ACTION = {
    HANDLE_FALLBACK_ACTION: "repeated_misunderstanding",
    "utter_acknowledge_complaint": "complaint",
}
# Actions that make the offer themselves, and the reason a yes to it gives. A person asked for
# from the self-harm question comes first in the queue: the possible risk was not ruled out.
REASON_BY_SELF_OFFERING_ACTION = {
    RESPOND_TO_DISTRESS_ACTION: "distress",
    ASK_ABOUT_SELF_HARM_ACTION: "distress_self_harm",
    ANSWER_SELF_HARM_CHECK_ACTION: "distress",
    RESUME_REQUEST_ACTION: "distress",
}
# Given by the assistant itself, not by the turn: care for a clear sign of self-harm, and a
# waiting customer in distress moved up the queue.
SELF_HARM_REASON = "distress_self_harm"
DISTRESS_REASON = "distress"


def reason_for_request(events: Iterable[Dict[str, Any]]) -> str:
    """The reason for a request made in the latest customer message of these events (Rasa's own)."""
    bot_actions = actions_before_latest_customer_message(list(events))
    for action in reversed(bot_actions):
        if action in REASON_BY_SELF_OFFERING_ACTION:
            return REASON_BY_SELF_OFFERING_ACTION[action]
    if OFFER_ACTION in bot_actions:
        offered_after = bot_actions[: bot_actions.index(OFFER_ACTION)]
        for action in reversed(offered_after):
            if action in REASON_BY_OFFERING_ACTION:
                return REASON_BY_OFFERING_ACTION[action]
    return DEFAULT_REASON

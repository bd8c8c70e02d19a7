"""Numbered choices in every Candor channel: "2" sends the second button's payload.

Channels wrap Rasa's `on_new_message` with `answering_choices_by_number`, so the message that
reaches the assistant is the payload of the button the customer named by its number
(`accessibility.choices`). It reads the conversation from the tracker store, the one place that
knows which buttons the customer was last shown.
"""

from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable

from rasa.core.channels.channel import UserMessage
from sanic import Sanic

from accessibility.choices import chosen_number, payload_for
from bot.conversation.events import latest_buttons

logger = logging.getLogger(__name__)

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


def answering_choices_by_number(on_new_message: OnNewMessage) -> OnNewMessage:
    """`on_new_message`, with a number replaced by the payload of the button it picks."""

    async def handle(message: UserMessage) -> Any:
        if chosen_number(message.text or "") is not None:
            payload = await _payload_for(message)
            if payload:
                message.text = payload
        return await on_new_message(message)

    return handle


async def _payload_for(message: UserMessage) -> Any:
    """The payload of the button the number picks, read under the conversation's lock so that a
    turn still being saved (its buttons already shown) is read whole."""
    try:
        agent = Sanic.get_app().ctx.agent
        async with agent.lock_store.lock(message.sender_id):
            tracker = await agent.tracker_store.retrieve(message.sender_id)
    except Exception:  # no app or no tracker yet: the number is taken as typed
        logger.debug("No conversation to read choices from for %s.", message.sender_id)
        return None
    if tracker is None:
        return None
    return payload_for(message.text, latest_buttons(event.as_dict() for event in tracker.events))

"""What Candor asks of a conversation's events, each question answered here and only here.

Both servers hold a conversation as serialised events: an action gets `tracker.events`, and the
Rasa server has `Event.as_dict()` (the tracker store, the audit broker, the conversations stored).
So every query takes that list of dicts, and a reader who wants to know how "the latest customer
message" or "what the form was asking" is worked out finds it once.

Where rasa_sdk's `Tracker` already answers a question exactly, actions ask it instead
(`get_slot`, `get_latest_input_channel`, `active_loop_name`). Its `latest_message` and
`get_last_event_for` are not used for these: they follow only the events Rasa has not rewound or
restarted past, so they can name another message than the last one in `tracker.events`.

Queries that name an event the Rasa server must act on in its own objects give its position in the
list, so `events[position]` there is the very `Event` it came from.
"""

from __future__ import annotations

from itertools import takewhile
from typing import Any, Dict, FrozenSet, Iterable, List, Mapping, Optional, Sequence

from bot.conversation.names import REQUESTED_SLOT

SerialisedEvent = Mapping[str, Any]

# Rasa's own action that ends the assistant's turn. Kept beside the kinds of event rather than in
# names.py, which is a training input (bot/model.py): this name changes nothing the model learns.
LISTEN_ACTION = "action_listen"
# The kinds of event Candor reads, as Rasa serialises them (`Event.type_name`).
CUSTOMER_MESSAGE = "user"
ASSISTANT_MESSAGE = "bot"
ACTION = "action"
SLOT = "slot"
ACTIVE_LOOP = "active_loop"
SESSION_STARTED = "session_started"
RESTART = "restart"
SLOTS_RESET = "reset_slots"
ACTION_REJECTED = "action_execution_rejected"


def kind_of(event: SerialisedEvent) -> Optional[str]:
    """What happened: `user`, `bot`, `action`, `slot`..."""
    return event.get("event")


def is_customer_message(event: SerialisedEvent) -> bool:
    return kind_of(event) == CUSTOMER_MESSAGE


def is_listen(event: SerialisedEvent) -> bool:
    """The assistant went back to listening: the end of its turn."""
    return kind_of(event) == ACTION and event.get("name") == LISTEN_ACTION


def intent_of(message: SerialisedEvent) -> Optional[str]:
    """The intent a customer message was understood as (the one the dialogue acted on).

    None when its parse data is not there, or is stored whole as a placeholder.
    """
    parse_data = message.get("parse_data")
    intent = parse_data.get("intent") if isinstance(parse_data, Mapping) else None
    return intent.get("name") if isinstance(intent, Mapping) else None


def message_id_of(message: SerialisedEvent) -> Optional[str]:
    """A customer message's id: on the event, or (as older events keep it) in its parse data."""
    return message.get("message_id") or (message.get("parse_data") or {}).get("message_id")


def customer_messages(events: Iterable[SerialisedEvent]) -> List[SerialisedEvent]:
    """Everything the customer wrote, in order."""
    return [event for event in events if is_customer_message(event)]


def message_ids(events: Iterable[SerialisedEvent]) -> FrozenSet[str]:
    """The ids of the customer's messages (an answer that quotes one must still point at it)."""
    return frozenset(filter(None, map(message_id_of, customer_messages(events))))


def messages(events: Iterable[SerialisedEvent]) -> List[SerialisedEvent]:
    """What was said, in order: the customer's messages and the assistant's (a person's included)."""
    return [event for event in events if kind_of(event) in (CUSTOMER_MESSAGE, ASSISTANT_MESSAGE)]


def latest_customer_message(
    events: Sequence[SerialisedEvent], intent: Optional[str] = None
) -> Optional[SerialisedEvent]:
    """The customer's latest message (understood as `intent`, if given), after any replies to it."""
    for event in reversed(events):
        if is_customer_message(event) and (intent is None or intent_of(event) == intent):
            return event
    return None


def current_session(events: Sequence[SerialisedEvent]) -> Sequence[SerialisedEvent]:
    """The events since the latest session started (all of them if none did)."""
    starts = [position for position, event in enumerate(events) if kind_of(event) == SESSION_STARTED]
    return events[starts[-1] + 1 :] if starts else events


def customer_messages_in_a_row(events: Sequence[SerialisedEvent], intent: str) -> List[SerialisedEvent]:
    """The customer's latest messages that were all understood as `intent`, oldest first."""
    latest_first = takewhile(lambda message: intent_of(message) == intent, reversed(customer_messages(events)))
    return list(latest_first)[::-1]


def actions_before_latest_customer_message(events: Sequence[SerialisedEvent]) -> List[str]:
    """The actions the assistant ran between the customer's last two messages, in order.

    What the assistant did just before the customer wrote (offered a person, asked a question) is
    the context of what they wrote. With one message only, everything before it counts.
    """
    positions = [position for position, event in enumerate(events) if is_customer_message(event)]
    if not positions:
        return []
    start = positions[-2] + 1 if len(positions) > 1 else 0
    return [event.get("name") for event in events[start : positions[-1]] if kind_of(event) == ACTION]


def latest_form_activation(events: Sequence[SerialisedEvent]) -> Optional[int]:
    """The position of the latest event that started a form (`active_loop` with a name), if any.

    What follows it, `events[position + 1:]`, is the current run of that form or what came after it.
    """
    for position in range(len(events) - 1, -1, -1):
        event = events[position]
        if kind_of(event) == ACTIVE_LOOP and event.get("name"):
            return position
    return None


def latest_slot_events(events: Iterable[SerialisedEvent]) -> Dict[str, int]:
    """Where each slot was last set: its name and the position of that `slot` event.

    Resets are not undone here: the Rasa server matches these events with the slots it holds.
    """
    return {event.get("name"): position for position, event in enumerate(events) if kind_of(event) == SLOT}


def value_last_set(events: Sequence[SerialisedEvent], slot: str) -> Any:
    """The value the latest `slot` event for `slot` set, or None if none did (resets not counted)."""
    position = latest_slot_events(events).get(slot)
    return None if position is None else events[position].get("value")


def slot_value(events: Iterable[SerialisedEvent], slot: str) -> Any:
    """The value `slot` holds at the end of `events`: its latest setting, unless a reset or a
    restart has cleared it since."""
    value = None
    for event in events:
        if kind_of(event) == SLOT and event.get("name") == slot:
            value = event.get("value")
        elif kind_of(event) in (SLOTS_RESET, RESTART):
            value = None
    return value


def answered_slots(events: Iterable[SerialisedEvent]) -> Dict[int, str]:
    """The slot a form was asking for when each customer message came, by the message's position.

    Forms ask through `requested_slot`, so an answer ("ty gwyn, lowmarsh") can be known for what it
    is (an address) whatever it looks like.
    """
    answers: Dict[int, str] = {}
    loop: Optional[str] = None
    requested: Any = None
    for position, event in enumerate(events):
        kind = kind_of(event)
        if kind == CUSTOMER_MESSAGE:
            if loop and isinstance(requested, str):
                answers[position] = requested
        elif kind == ACTIVE_LOOP:
            loop = event.get("name")
        elif kind == SLOT and event.get("name") == REQUESTED_SLOT:
            requested = event.get("value")
        elif kind in (RESTART, SESSION_STARTED, SLOTS_RESET):
            loop = requested = None
    return answers


def latest_buttons(events: Iterable[SerialisedEvent]) -> List[Dict[str, Any]]:
    """The buttons of the assistant's last message, if the customer has not written since."""
    buttons: List[Dict[str, Any]] = []
    for event in events:
        if kind_of(event) == CUSTOMER_MESSAGE:
            buttons = []
        elif kind_of(event) == ASSISTANT_MESSAGE:
            # A later message without buttons ("How many would you like?") asks something else.
            buttons = list((event.get("data") or {}).get("buttons") or [])
    return buttons

"""Candor's tracker store: Rasa's SQL tracker store that never writes personal data in clear.

*Where* conversations live: `CANDOR_TRACKER_STORE_URL`, else `CANDOR_DATABASE_URL`, else SQLite
under `var/`, so one variable moves every process to PostgreSQL.

*What* is written: a redacted copy of every new event, to the database and to any event broker
alike (`bot.privacy.redaction`). User text, entity values, slot values, bot text and buttons and
every metadata value have their personal data replaced by its type ("<EMAIL_ADDRESS>"). Event
types, intent and action names, slot names, entity types and timestamps stay, so a conversation
can still be explained, audited and replayed. The tracker Rasa holds in memory is never changed:
the turn being handled works with what the customer really typed.

Context counts (`bot.privacy.stored_text`): an answer to the assistant's question for a personal
slot ("what's the new delivery address?") is stored as that slot's type whatever it looks like,
as is the slot's value, wherever it is quoted; the shop's own contact details stay readable in
the assistant's messages.

Redaction fails closed: a text that cannot be redacted is stored as "<REDACTION_FAILED>", never
as itself, the error is logged by kind only, and the customer's turn goes on.

Across turns, the real values a flow still needs come back from memory, not from the database
(`bot.privacy.live_values`, which explains the trade-off).

Erasure: when a conversation's new events include `SlotSet("erase_conversation", True)` (the
chat's "delete my data"), every stored event of that conversation, in every session, is deleted,
its live values are forgotten, and nothing of it is written or published.

Failure: a database that cannot read or store a conversation must cost one request, never the
server. Rasa's own SQL store turns any `ValueError` raised while it works (a lone surrogate in a
sender id is one) into `sys.exit`, and Rasa's fail-safe wrapper quietly keeps a failed tracker in
an in-memory store that grows with every failure. Here errors are caught and logged without any
text, nothing is half-stored, and the channel that is handling the request learns of it
(`watching_storage`) and answers with an apology and a 5xx.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any, Dict, FrozenSet, Generator, Iterator, List, Optional, Sequence, Tuple

from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore, ensure_schema_exists
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, Event, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from bot import settings
from bot.conversation.events import intent_of, is_customer_message, latest_slot_events
from bot.conversation.names import ERASE_CONVERSATION_SLOT
from bot.conversation.turns import DETECTOR_INTENTS
from bot.ownership import forget_conversation
from bot.policy import current_policy
from bot.privacy.live_values import LiveValue, LiveValues
from bot.privacy.redaction import Redactor, default_redactor
from bot.privacy.stored_text import (
    REDACTION_FAILED, Conversation, KnownValues, SlotTypes, StoredText, own_words, redacted_event_data, shop_details,
)

logger = logging.getLogger(__name__)

# What can go wrong while a conversation is read or written: the database, or a value it refuses.
STORAGE_ERRORS = (SQLAlchemyError, ValueError, OSError)

# What is stored in place of a message the distress detector took over (`withheld_if_taken_over`).
WITHHELD_MESSAGE = "<DISTRESS_MESSAGE>"


class CandorTrackerStore(SQLTrackerStore):
    """Rasa's `SQLTrackerStore` at the URL Candor's settings give, writing only redacted events."""

    def __init__(
        self,
        domain: Optional[Domain] = None,
        host: Optional[str] = None,
        event_broker: Optional[EventBroker] = None,
        redactor: Optional[Redactor] = None,
        live_values: Optional[LiveValues] = None,
        slot_types: Optional[SlotTypes] = None,
        **kwargs: Any,
    ) -> None:
        url = host or settings.tracker_store_url()
        _create_sqlite_folder(url)
        super().__init__(domain=domain, host=url, event_broker=event_broker, **kwargs)
        # Built now, not on the first message, so no customer waits for Presidio to load.
        self.redactor = redactor if redactor is not None else default_redactor()
        self.slot_types = slot_types or SlotTypes.from_policy(current_policy().privacy.redaction)
        self.stored_text = StoredText(self.redactor, shop_details(self.redactor))
        self.live_values = (
            live_values
            if live_values is not None
            else LiveValues(timedelta(minutes=current_policy().privacy.retention.live_values_minutes))
        )
        # SQLAlchemy puts a failed statement's parameters (what customers typed) in its errors.
        self.engine.hide_parameters = True
        self._own_words_of: Optional[Domain] = None
        self._own_words_found: FrozenSet[str] = frozenset()

    @contextlib.contextmanager
    def session_scope(self) -> Generator[Session, None, None]:
        """Rasa's session scope without its `sys.exit` on any `ValueError`: an error stays an error."""
        session = self.sessionmaker()
        try:
            ensure_schema_exists(session)
            yield session
        finally:
            session.close()

    async def retrieve(self, sender_id: str) -> Optional[DialogueStateTracker]:
        try:
            return self._with_live_values(await super().retrieve(sender_id))
        except STORAGE_ERRORS as error:
            _failed("read", sender_id, error)
            return None

    async def retrieve_full_tracker(self, conversation_id: str) -> Optional[DialogueStateTracker]:
        try:
            return self._with_live_values(await super().retrieve_full_tracker(conversation_id))
        except STORAGE_ERRORS as error:
            _failed("read", conversation_id, error)
            return None

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Write the new events redacted, or erase the conversation if they ask for it.

        Nothing is written for a request whose conversation could not be read: the tracker in hand
        would be a fresh one, and storing it would start the conversation over.
        """
        watch = _WATCH.get()
        if watch is not None and watch.failure:
            return
        token = _SAVING.set(_Saving(Conversation.of(tracker, self.slot_types, self.domain, self._own_words())))
        try:
            with self.session_scope() as session:
                unsaved = list(super()._additional_events(session, tracker))
            if any(_asks_for_erasure(event) for event in unsaved):
                await self.erase(tracker.sender_id)
                return
            # Redaction is the costly part of a save (a model reads every text). It runs in a
            # worker thread, so one customer's long message does not hold up everyone else's turn;
            # Rasa's save below then writes and publishes the copies made here.
            await asyncio.to_thread(self._redact_all, unsaved)
            await super().save(tracker)
            self._remember_live_values(tracker, unsaved)
        except STORAGE_ERRORS as error:
            _failed("store", tracker.sender_id, error)
        finally:
            _SAVING.reset(token)

    def _redact_all(self, events: List[Event]) -> None:
        """Each new event's redacted copy, the named-entity model reading all their texts together."""
        conversation = (_SAVING.get() or _Saving()).conversation
        texts = [text for event in events for text in conversation.texts_to_read(event)]
        with self.redactor.reading_together(texts):
            for event in events:
                self.redacted(event)

    def _own_words(self) -> FrozenSet[str]:
        """`own_words` of the domain in use, found again only when Rasa gives the store another domain."""
        if self._own_words_of is not self.domain:
            self._own_words_of, self._own_words_found = self.domain, own_words(self.domain, current_policy())
        return self._own_words_found

    async def erase(self, conversation_id: str) -> int:
        """Delete every stored event of a conversation, forget its live values and unlock it (its
        next message starts afresh); how many events."""
        self.live_values.forget(conversation_id)
        with self.session_scope() as session:
            deleted = session.query(self.SQLEvent).filter(self.SQLEvent.sender_id == conversation_id).delete()
            session.commit()
        forget_conversation(conversation_id)
        return int(deleted)

    def redacted(self, event: Event) -> Event:
        """A copy of `event` with its personal data replaced; `event` itself is not touched.

        Within one `save`, each event is redacted once for the database and the event broker alike.
        """
        saving = _SAVING.get()
        if saving is not None and id(event) in saving.copies and saving.copies[id(event)][0] is event:
            return saving.copies[id(event)][1]
        copy = Event.from_parameters(withheld_if_taken_over(self._redacted_data(event, saving or _Saving())))
        if copy is None:  # Rasa returns None only for data without an event type
            raise ValueError(f"cannot redact an event without a type: {type(event).__name__}")
        if saving is not None:
            saving.copies[id(event)] = (event, copy)
        return copy

    def _redacted_data(self, event: Event, saving: "_Saving") -> Dict[str, Any]:
        """The event's data as stored: whole fields the context decides, every other text redacted.

        A text the redactor fails on is stored as `REDACTION_FAILED`: never in clear, and never at
        the cost of the customer's turn. The log says how many and of what kind, never the text.
        """
        conversation = saving.conversation
        whole = conversation.whole_fields(event)
        keep_shop_details = isinstance(event, BotUttered)
        failures: List[str] = []
        memo: Dict[str, str] = {}

        def redact(field: str, text: str) -> str:
            if field in whole:
                return whole[field]
            if text in conversation.own_words:
                return text
            if text not in memo:
                try:
                    memo[text], found = self.stored_text.redact_and_find(text, saving.known, keep_shop_details)
                    if isinstance(event, UserUttered) and text == event.text:
                        saving.add_found(found)
                except Exception as error:  # noqa: BLE001 - whatever failed, the text is not stored
                    failures.append(type(error).__name__)
                    memo[text] = REDACTION_FAILED
            return memo[text]

        if isinstance(event, UserUttered) and event.text:
            # The customer's words first: what they hold is then replaced in the parse data too.
            redact("text", event.text)
        data = redacted_event_data(event.as_dict(), redact)
        if failures:
            logger.error(
                "Could not redact %d text(s) of a %s event in conversation %s (%s); stored %s instead.",
                len(failures), type(event).__name__, conversation.sender_id, ", ".join(sorted(set(failures))), REDACTION_FAILED,
            )
        return data

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator[Event]:
        """What Rasa's `save` writes to the database: the new events, redacted."""
        return (self.redacted(event) for event in super()._additional_events(session, tracker))

    async def _stream_new_events(self, event_broker: EventBroker, new_events: List[Event], sender_id: str) -> None:
        """What Rasa publishes to an event broker: the same redacted copies."""
        await super()._stream_new_events(event_broker, [self.redacted(event) for event in new_events], sender_id)

    def _remember_live_values(self, tracker: DialogueStateTracker, unsaved: Sequence[Event]) -> None:
        """Keep in memory the real value of every slot the database now holds only redacted."""
        setters = _latest_slot_events(unsaved)
        live: Dict[str, LiveValue] = {
            name: value
            for name, value in self.live_values.recall(tracker.sender_id).items()
            if name not in setters and tracker.get_slot(name) == value.real
        }
        for name, event in setters.items():
            real = tracker.get_slot(name)
            if real is None or event.value != real:
                continue
            stored = self.redacted(event).value  # the copy just written
            if stored != real:
                live[name] = LiveValue(real=real, redacted=stored, set_at=event.timestamp)
        self.live_values.remember(tracker.sender_id, live)

    def _with_live_values(self, tracker: Optional[DialogueStateTracker]) -> Optional[DialogueStateTracker]:
        """Put real values back where the same event wrote their redacted form.

        Both the slot and the `SlotSet` event that set it get the real value: Rasa reads slots,
        but also replays events (a form's validation rebuilds the tracker from them). The
        tracker was just built from the database, so nothing else holds these objects, and
        events already stored are never written again.
        """
        if tracker is None:
            return None
        recalled = self.live_values.recall(tracker.sender_id)
        setters = _latest_slot_events(tracker.events) if recalled else {}
        for name, value in recalled.items():
            slot, setter = tracker.slots.get(name), setters.get(name)
            if (
                slot is not None
                and setter is not None
                and setter.timestamp == value.set_at
                and setter.value == slot.value == value.redacted
            ):
                setter.value = value.real
                slot.value = value.real
        return tracker


@dataclass
class StorageWatch:
    """What went wrong with the conversation store while one request was handled, if anything."""

    failure: Optional[str] = None


@dataclass
class _Saving:
    """One `save`: what the conversation tells its redaction, and each event's redacted copy, so
    the database and the event broker share one redaction."""

    conversation: Conversation = field(default_factory=Conversation)
    copies: Dict[int, Tuple[Event, Event]] = field(default_factory=dict)
    # What the recognizers found in the customer's messages so far (value → type), replaced in
    # the events after them: an entity or a slot that holds a value the message held.
    found: Dict[str, str] = field(default_factory=dict)
    _known: Optional[KnownValues] = None

    @property
    def known(self) -> KnownValues:
        """The conversation's personal values and this save's finds; rebuilt only after a new find."""
        if self._known is None:
            self._known = self.conversation.known.plus(self.found)
        return self._known

    def add_found(self, found: Dict[str, str]) -> None:
        if found.items() - self.found.items():
            self.found.update(found)
            self._known = None


_WATCH: ContextVar[Optional[StorageWatch]] = ContextVar("candor_storage_watch", default=None)
_SAVING: ContextVar[Optional[_Saving]] = ContextVar("candor_saving", default=None)


@contextlib.contextmanager
def watching_storage() -> Iterator[StorageWatch]:
    """Around the handling of one request: afterwards, `watch.failure` says whether the store failed."""
    watch = StorageWatch()
    token = _WATCH.set(watch)
    try:
        yield watch
    finally:
        _WATCH.reset(token)


def _failed(what: str, conversation_id: str, error: BaseException) -> None:
    """Log a store failure by kind only (an error's text can quote what was said) and tell the request."""
    logger.error("Could not %s conversation %s: %s.", what, conversation_id, type(error).__name__)
    watch = _WATCH.get()
    if watch is not None and watch.failure is None:
        watch.failure = f"could not {what} the conversation"


def withheld_if_taken_over(data: Dict[str, Any]) -> Dict[str, Any]:
    """A customer message the distress detector took over, stored without its words.

    What someone writes about harming themselves, a death, their health or abuse is the most
    sensitive thing a conversation holds, and the verdict (category, tier, score) is all an audit
    or a person from the team needs to know it was noticed; the customer tells the person in their
    own words. The entities stay (redacted like any other), so an order number given in the same
    message is not asked for again.
    """
    if not is_customer_message(data) or intent_of(data) not in DETECTOR_INTENTS:
        return data
    parse_data = data.get("parse_data") if isinstance(data.get("parse_data"), dict) else {}
    return {**data, "text": WITHHELD_MESSAGE, "parse_data": {**parse_data, "text": WITHHELD_MESSAGE}}


def _latest_slot_events(events: Sequence[Event]) -> Dict[str, SlotSet]:
    """The last `SlotSet` of each slot among `events`: `latest_slot_events` on Rasa's own objects."""
    return {name: events[at] for name, at in latest_slot_events([event.as_dict() for event in events]).items()}


def _asks_for_erasure(event: Event) -> bool:
    return isinstance(event, SlotSet) and event.key == ERASE_CONVERSATION_SLOT and event.value is True


def _create_sqlite_folder(url: str) -> None:
    """SQLite creates the file but not its folder; a fresh clone has no `var/` yet."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)

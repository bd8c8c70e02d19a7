"""The review list: turns the assistant may have got wrong, with the customer's redacted words.

It is derived from the audit trail, never filed separately, so it cannot disagree
with what the assistant recorded. A turn is listed when the customer said the answer was wrong
(the turn before their "that's wrong"), when nothing was understood (`nlu_fallback`), or when the
intent's confidence was below `review.confidence_below` in `bot/policy.yml`.

The audit trail holds no words, so the text shown is the redacted message from the tracker store;
once a conversation is deleted (retention, erasure) there is nothing left to label. What a person
says a listed turn meant, and the export of those labels as training data, is `bot.audit.review_labels`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Collection, Dict, Iterable, List, Mapping, Optional, Sequence, Set, Tuple, Union

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.audit.chain import record_body
from bot.conversation.events import customer_messages, message_id_of
from bot.conversation.names import NLU_FALLBACK_INTENT, REPORT_WRONG_ANSWER_INTENT
from bot.conversation.turns import DETECTOR_INTENTS, META_INTENTS, OVERRIDING_INTENTS, Guess
from bot.policy import current_policy
from bot.audit.pseudonyms import pseudonyms_of
from bot.privacy.conversations import conversation_events, stored_conversation_ids, tracker_engine
from bot.store.audit import AuditRecord
from bot.store.database import open_session
from bot.store.review import ReviewLabel

CUSTOMER_FLAG = "customer_flag"
NOT_UNDERSTOOD = "not_understood"
LOW_CONFIDENCE = "low_confidence"
REASONS = (CUSTOMER_FLAG, NOT_UNDERSTOOD, LOW_CONFIDENCE)

DELETED = "(conversation deleted)"
MESSAGE_MISSING = "(message not found in the conversation)"


@dataclass(frozen=True)
class ReviewItem:
    """One turn a person should check: why it is listed, what was understood, and what was said."""

    id: int  # the audit record's seq
    conversation_id: str
    recorded_at: datetime
    reasons: Tuple[str, ...]
    predicted_intent: Optional[str]
    confidence: Optional[float]
    classifier_guess: Optional[Guess]
    message_id: Optional[str]
    # The redacted message, or None when it is no longer (or never was) in the tracker store.
    text: Optional[str]
    conversation_deleted: bool
    label: Optional[ReviewLabel] = None

    @property
    def shown_text(self) -> str:
        if self.text is not None:
            return self.text
        return DELETED if self.conversation_deleted else MESSAGE_MISSING

    @property
    def labellable(self) -> bool:
        return self.text is not None

    def as_dict(self) -> Dict[str, Any]:
        guess = self.classifier_guess
        label = self.label
        return {
            "id": self.id,
            "conversation_id": self.conversation_id,
            "recorded_at": self.recorded_at.isoformat(),
            "reasons": list(self.reasons),
            "predicted_intent": self.predicted_intent,
            "confidence": self.confidence,
            "classifier_guess": {"intent": guess.intent, "confidence": guess.confidence} if guess else None,
            "message_id": self.message_id,
            "text": self.text,
            "conversation_deleted": self.conversation_deleted,
            "label": (
                {"intent": label.intent, "labelled_by": label.labelled_by, "labelled_at": label.labelled_at.isoformat()}
                if label
                else None
            ),
        }


# Both functions below take engines, not a session: on SQLite the tracker store may share the
# Candor store's file, and a reader holding a transaction there would wait on itself.


def review_candidates(
    store: Union[Engine, str, None] = None,
    tracker: Optional[Engine] = None,
    since: Optional[datetime] = None,
    until: Optional[datetime] = None,
    threshold: Optional[float] = None,
) -> List[ReviewItem]:
    """Every turn recorded in [since, until) that a person should check, oldest first.

    A customer's flag in the window lists the turn it points at even if that turn is older.
    """
    threshold = current_policy().review.confidence_below if threshold is None else threshold
    with open_session(store) as session:
        window = _turns(session, since=since, until=until)
        flagging = {turn.conversation_id for turn in window if turn.intent == REPORT_WRONG_ANSWER_INTENT}
        history = _by_conversation(_turns(session, until=until, conversations=flagging)) if flagging else {}
        listed = _reasons(window, history, threshold)
        labels = _labels(session, {turn.conversation_id for turn, _ in listed})
    return _items(tracker or tracker_engine(), listed, labels)


def review_item(
    seq: int, store: Union[Engine, str, None] = None, tracker: Optional[Engine] = None, threshold: Optional[float] = None
) -> Optional[ReviewItem]:
    """The review item for audit record `seq`, or None when that turn is not one to review."""
    threshold = current_policy().review.confidence_below if threshold is None else threshold
    with open_session(store) as session:
        record = session.get(AuditRecord, seq)
        if record is None or record.kind != "turn" or record.conversation_id is None:
            return None
        conversation = _turns(session, conversations={record.conversation_id})
        listed = [(turn, why) for turn, why in _reasons(conversation, _by_conversation(conversation), threshold) if turn.seq == seq]
        labels = _labels(session, {record.conversation_id})
    return _items(tracker or tracker_engine(), listed, labels)[0] if listed else None


@dataclass(frozen=True)
class _Turn:
    """The parts of a turn's audit record the review list reads."""

    seq: int
    conversation_id: str
    recorded_at: datetime
    understood: Optional[Dict[str, Any]]

    @property
    def intent(self) -> Optional[str]:
        return (self.understood or {}).get("intent")


def _turns(
    session: Session,
    since: Optional[datetime] = None,
    until: Optional[datetime] = None,
    conversations: Optional[Collection[str]] = None,
) -> List[_Turn]:
    """Turn records, in the order they were appended."""
    query = select(AuditRecord).where(AuditRecord.kind == "turn", AuditRecord.conversation_id.is_not(None))
    if since is not None:
        query = query.where(AuditRecord.recorded_at >= since)
    if until is not None:
        query = query.where(AuditRecord.recorded_at < until)
    if conversations is not None:
        query = query.where(AuditRecord.conversation_id.in_(sorted(conversations)))
    records = session.execute(query.order_by(AuditRecord.seq).execution_options(yield_per=500)).scalars()
    return [
        _Turn(record.seq, record.conversation_id, record.recorded_at, record_body(record).get("understood"))
        for record in records
    ]


def _by_conversation(turns: Iterable[_Turn]) -> Dict[str, List[_Turn]]:
    grouped: Dict[str, List[_Turn]] = defaultdict(list)
    for turn in turns:
        grouped[turn.conversation_id].append(turn)
    return grouped


def _reasons(
    window: Sequence[_Turn], history: Mapping[str, Sequence[_Turn]], threshold: float
) -> List[Tuple[_Turn, List[str]]]:
    """The turns in the window to list, and the turns customers' flags in it point at, with why."""
    by_seq: Dict[int, _Turn] = {}
    found: Dict[int, Set[str]] = defaultdict(set)

    def listed(turn: _Turn, reason: str) -> None:
        by_seq.setdefault(turn.seq, turn)
        found[turn.seq].add(reason)

    for turn in window:
        if turn.understood is None:
            continue
        confidence = turn.understood.get("confidence")
        if turn.intent == NLU_FALLBACK_INTENT:
            listed(turn, NOT_UNDERSTOOD)
        # The fallback's and the detector's scores are not the classifier's confidence in an intent.
        elif turn.intent not in OVERRIDING_INTENTS and confidence is not None and confidence < threshold:
            listed(turn, LOW_CONFIDENCE)
    in_window = {turn.seq for turn in window}
    for conversation in history.values():
        previous: Optional[_Turn] = None
        for turn in conversation:
            # A message the distress detector answered is not reviewed: its words are too sensitive
            # to keep as training data, and its intent is the detector's, not the classifier's.
            if turn.intent == REPORT_WRONG_ANSWER_INTENT and turn.seq in in_window and previous is not None and previous.intent not in DETECTOR_INTENTS:
                listed(previous, CUSTOMER_FLAG)
            if turn.understood is not None and turn.intent not in META_INTENTS:
                previous = turn
    return [(by_seq[seq], [reason for reason in REASONS if reason in found[seq]]) for seq in sorted(found)]


def _labels(session: Session, conversations: Collection[str]) -> Dict[Tuple[str, str], ReviewLabel]:
    if not conversations:
        return {}
    query = select(ReviewLabel).where(ReviewLabel.conversation_id.in_(sorted(conversations)))
    return {(label.conversation_id, label.message_id): label for label in session.execute(query).scalars()}


def _items(
    tracker: Engine, listed: Sequence[Tuple[_Turn, List[str]]], labels: Mapping[Tuple[str, str], ReviewLabel]
) -> List[ReviewItem]:
    """The listed turns with their redacted text and any existing label."""
    if not listed:
        return []
    # The trail names conversations by pseudonym; only the tracker store still knows their ids.
    wanted = {turn.conversation_id for turn, _ in listed}
    held = {pseudonym: real for pseudonym, real in pseudonyms_of(stored_conversation_ids(tracker)).items() if pseudonym in wanted}
    by_id = conversation_events(tracker, held.values())
    events = {pseudonym: by_id[real] for pseudonym, real in held.items()}
    texts = {
        (pseudonym, message_id_of(message)): message.get("text")
        for pseudonym, stored in events.items()
        for message in customer_messages(stored)
    }
    items = []
    for turn, reasons in listed:
        understood = turn.understood or {}
        guess = understood.get("classifier_guess")
        message_id = understood.get("message_id")
        key = (turn.conversation_id, message_id)
        items.append(
            ReviewItem(
                id=turn.seq,
                conversation_id=turn.conversation_id,
                recorded_at=turn.recorded_at,
                reasons=tuple(reasons),
                predicted_intent=turn.intent,
                confidence=understood.get("confidence"),
                classifier_guess=Guess(guess["intent"], guess["confidence"]) if guess else None,
                message_id=message_id,
                text=(texts.get(key) or None) if message_id else None,
                conversation_deleted=not events.get(turn.conversation_id),
                label=labels.get(key) if message_id else None,
            )
        )
    return items

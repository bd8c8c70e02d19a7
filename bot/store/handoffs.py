"""The queue of conversations waiting for a human agent: its table and the queries that run it.

A customer who asks for a person twice keeps their place rather than queueing twice, and can see
where they stand: smaller priority numbers are served first, then the longest waiting.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, Column, Index, Integer, String, Text, and_, func, or_, select, text
from sqlalchemy.orm import Mapped, Session

from bot.store.base import Base, UTCDateTime, stored_as_text


class HandoffStatus(str, enum.Enum):
    """waiting → assigned → closed; a customer may cancel while waiting."""

    WAITING = "waiting"
    CANCELLED = "cancelled"
    ASSIGNED = "assigned"
    CLOSED = "closed"


class Handoff(Base):
    """A conversation's request for a human agent, and its place in the queue."""

    __tablename__ = "handoffs"
    __table_args__ = (
        CheckConstraint("priority >= 1", name="priority_positive"),
        Index("ix_handoffs_queue", "status", "priority", "requested_at"),
        # At most one waiting handoff per conversation, even if two processes race to add one.
        Index(
            "uq_handoffs_one_waiting_per_conversation",
            "conversation_id",
            unique=True,
            sqlite_where=text("status = 'waiting'"),
            postgresql_where=text("status = 'waiting'"),
        ),
    )

    id: Mapped[int] = Column(Integer, primary_key=True)
    conversation_id: Mapped[str] = Column(String(255), nullable=False, index=True)
    reason: Mapped[str] = Column(Text, nullable=False)
    # Smaller is served first; 3 is an ordinary request.
    priority: Mapped[int] = Column(Integer, nullable=False)
    status: Mapped[HandoffStatus] = Column(stored_as_text(HandoffStatus), nullable=False)
    channel: Mapped[str | None] = Column(String(40))
    requested_at: Mapped[datetime] = Column(UTCDateTime, nullable=False)
    updated_at: Mapped[datetime] = Column(UTCDateTime, nullable=False)

    @property
    def is_waiting(self) -> bool:
        return self.status is HandoffStatus.WAITING


DEFAULT_PRIORITY = 3
_SERVICE_ORDER = (Handoff.priority, Handoff.requested_at, Handoff.id)


def request_handoff(
    session: Session,
    conversation_id: str,
    reason: str,
    now: datetime,
    priority: int = DEFAULT_PRIORITY,
    channel: str | None = None,
) -> Handoff:
    """Queue the conversation for an agent, or return its waiting handoff unchanged."""
    if priority < 1:
        raise ValueError(f"priority must be 1 or more (1 is served first), not {priority}")
    existing = waiting_handoff(session, conversation_id)
    if existing is not None:
        return existing
    handoff = Handoff(
        conversation_id=conversation_id,
        reason=reason,
        priority=priority,
        status=HandoffStatus.WAITING,
        channel=channel,
        requested_at=now,
        updated_at=now,
    )
    session.add(handoff)
    session.flush()
    return handoff


def raise_priority(session: Session, handoff: Handoff, priority: int, reason: str, now: datetime) -> Handoff:
    """Move a waiting handoff up the queue (never down) when there is a more urgent reason."""
    if priority < handoff.priority:
        handoff.priority, handoff.reason, handoff.updated_at = priority, reason, now
        session.flush()
    return handoff


def waiting_handoff(session: Session, conversation_id: str) -> Handoff | None:
    """The conversation's place in the queue, if it has one."""
    query = select(Handoff).where(
        Handoff.conversation_id == conversation_id, Handoff.status == HandoffStatus.WAITING
    )
    return session.execute(query).scalar_one_or_none()


def handoff_queue(session: Session) -> list[Handoff]:
    """Waiting handoffs in the order agents should take them."""
    query = select(Handoff).where(Handoff.status == HandoffStatus.WAITING).order_by(*_SERVICE_ORDER)
    return list(session.execute(query).scalars())


def queue_position(session: Session, handoff: Handoff) -> int:
    """1 for the next conversation an agent will take; ValueError if the handoff is not waiting."""
    if not handoff.is_waiting:
        raise ValueError(
            f"handoff {handoff.id} is {handoff.status.value}, not waiting in the queue"
        )
    ahead = or_(
        Handoff.priority < handoff.priority,
        and_(Handoff.priority == handoff.priority, Handoff.requested_at < handoff.requested_at),
        and_(
            Handoff.priority == handoff.priority,
            Handoff.requested_at == handoff.requested_at,
            Handoff.id < handoff.id,
        ),
    )
    query = (
        select(func.count())
        .select_from(Handoff)
        .where(Handoff.status == HandoffStatus.WAITING, ahead)
    )
    return session.execute(query).scalar_one() + 1


def cancel_handoff(session: Session, conversation_id: str, now: datetime) -> bool:
    """Leave the queue; False if the conversation was not waiting."""
    handoff = waiting_handoff(session, conversation_id)
    if handoff is None:
        return False
    handoff.status = HandoffStatus.CANCELLED
    handoff.updated_at = now
    session.flush()
    return True


def open_handoff(session: Session, conversation_id: str) -> Handoff | None:
    """The conversation's handoff while a person is still to come or is with the customer."""
    query = (
        select(Handoff)
        .where(
            Handoff.conversation_id == conversation_id,
            Handoff.status.in_([HandoffStatus.WAITING, HandoffStatus.ASSIGNED]),
        )
        .order_by(Handoff.requested_at.desc(), Handoff.id.desc())
        .limit(1)
    )
    return session.execute(query).scalar_one_or_none()


def assign_handoff(session: Session, conversation_id: str, now: datetime) -> Handoff | None:
    """An agent takes the conversation out of the queue; None if it is not waiting."""
    handoff = waiting_handoff(session, conversation_id)
    if handoff is None:
        return None
    handoff.status, handoff.updated_at = HandoffStatus.ASSIGNED, now
    session.flush()
    return handoff


def close_handoff(session: Session, conversation_id: str, now: datetime) -> Handoff | None:
    """The agent hands the conversation back to the assistant; None if no person was due."""
    handoff = open_handoff(session, conversation_id)
    if handoff is None:
        return None
    handoff.status, handoff.updated_at = HandoffStatus.CLOSED, now
    session.flush()
    return handoff

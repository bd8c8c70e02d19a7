"""Review labels: what a person decided a turn meant (`bot.audit.review`), kept as training data."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped

from bot.store.base import Base, UTCDateTime


class ReviewLabel(Base):
    """What a person decided a customer meant, for a turn the assistant may have got wrong.

    The text is the redacted message as stored in the conversation, copied when it is labelled:
    it becomes training data for the next model, so it must outlive the conversation.
    """

    __tablename__ = "review_labels"
    __table_args__ = (UniqueConstraint("conversation_id", "message_id"),)

    id: Mapped[int] = Column(Integer, primary_key=True)
    # The conversation's pseudonym, as in the audit trail.
    conversation_id: Mapped[str] = Column(String(255), nullable=False)
    message_id: Mapped[str] = Column(String(64), nullable=False)
    audit_seq: Mapped[int | None] = Column(Integer)
    predicted_intent: Mapped[str | None] = Column(String(80))
    intent: Mapped[str] = Column(String(80), nullable=False)
    text: Mapped[str] = Column(Text, nullable=False)
    labelled_by: Mapped[str] = Column(String(80), nullable=False)
    labelled_at: Mapped[datetime] = Column(UTCDateTime, nullable=False)

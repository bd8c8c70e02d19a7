"""The consent ledger's records: what each customer decided, about what, and when.

A table of its own, as consent is proof kept apart from the shop's records; the rules that read
it are in `bot.privacy.consent`.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Column, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped

from bot.store.base import Base, UTCDateTime, stored_as_text


class ConsentDecision(str, enum.Enum):
    """What a customer said when asked to let the assistant use their history."""

    GRANTED = "granted"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"


class ConsentRecord(Base):
    """One decision about one purpose, kept as proof: who, what they were shown, when, where.

    Records are only ever added; the latest record for a customer and purpose is in force.
    """

    __tablename__ = "consent_records"
    __table_args__ = (Index("ix_consent_records_latest", "customer_id", "purpose", "decided_at"),)

    id: Mapped[int] = Column(Integer, primary_key=True)
    customer_id: Mapped[int] = Column(ForeignKey("customers.id"), nullable=False)
    purpose: Mapped[str] = Column(String(60), nullable=False)
    consent_version: Mapped[str] = Column(String(40), nullable=False)
    decision: Mapped[ConsentDecision] = Column(stored_as_text(ConsentDecision), nullable=False)
    decided_at: Mapped[datetime] = Column(UTCDateTime, nullable=False)
    channel: Mapped[str | None] = Column(String(40))
    conversation_id: Mapped[str | None] = Column(String(255))
    # SHA-256 of the exact words the customer was shown, so the wording can be proven later.
    wording_sha256: Mapped[str | None] = Column(String(64))

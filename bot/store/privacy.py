"""What a customer's data rights reach, and proof that an erasure happened.

Export, erasure and retention (`bot.privacy`) find a customer's conversations through these rows:
they exist for the customer's rights, not the shop's business, so they live apart from its records.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped

from bot.store.base import Base, UTCDateTime


class CustomerConversation(Base):
    """A conversation in which a customer proved who they are: what export and erasure reach."""

    __tablename__ = "customer_conversations"
    __table_args__ = (UniqueConstraint("customer_id", "conversation_id"),)

    id: Mapped[int] = Column(Integer, primary_key=True)
    customer_id: Mapped[int] = Column(ForeignKey("customers.id"), nullable=False, index=True)
    conversation_id: Mapped[str] = Column(String(255), nullable=False, index=True)
    identified_at: Mapped[datetime] = Column(UTCDateTime, nullable=False)


class ErasureReceipt(Base):
    """Proof that an erasure happened, holding nothing that identifies whose data it was."""

    __tablename__ = "erasure_receipts"

    id: Mapped[int] = Column(Integer, primary_key=True)
    reference: Mapped[str] = Column(String(24), unique=True, nullable=False)
    erased_at: Mapped[datetime] = Column(UTCDateTime, nullable=False)
    conversations_erased: Mapped[int] = Column(Integer, nullable=False)
    consent_records_erased: Mapped[int] = Column(Integer, nullable=False)
    orders_anonymised: Mapped[int] = Column(Integer, nullable=False)

"""The audit trail's table: one hash-chained record per turn or policy (`bot.audit`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Integer, String, Text
from sqlalchemy.orm import Mapped

from bot.store.base import Base, UTCDateTime


class AuditRecord(Base):
    """One link of the audit trail: what the assistant decided in one turn, or which policy it ran.

    Records are only ever added. Each holds the hash of the one before it, so an edited, removed
    or reordered record breaks the chain (`bot.audit.chain.verify_chain`). The body is canonical
    JSON of decisions only: intents, scores, actions, policies, versions. Never what anyone wrote.
    """

    __tablename__ = "audit_records"

    # Position in the chain, from 1, without gaps; unique, so two writers cannot both append seq n.
    seq: Mapped[int] = Column(Integer, primary_key=True, autoincrement=False)
    kind: Mapped[str] = Column(String(24), nullable=False, index=True)  # "turn" or "policy"
    # A one-way pseudonym of the conversation id (bot.audit.pseudonyms), never the id itself.
    conversation_id: Mapped[str | None] = Column(String(255), index=True)
    recorded_at: Mapped[datetime] = Column(UTCDateTime, nullable=False, index=True)
    policy_version: Mapped[int] = Column(Integer, nullable=False)
    body: Mapped[str] = Column(Text, nullable=False)
    prev_hash: Mapped[str] = Column(String(64), nullable=False)
    hash: Mapped[str] = Column(String(64), nullable=False, unique=True)

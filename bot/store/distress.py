"""Distress the assistant noticed (`actions.distress`): for the agent console and the customer's export."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Float, Integer, String
from sqlalchemy.orm import Mapped

from bot.store.base import Base, UTCDateTime


class DistressDetection(Base):
    """That the assistant noticed distress, and what it did: never the words that showed it."""

    __tablename__ = "distress_detections"

    id: Mapped[int] = Column(Integer, primary_key=True)
    conversation_id: Mapped[str] = Column(String(255), nullable=False, index=True)
    category: Mapped[str] = Column(String(40), nullable=False)
    score: Mapped[float] = Column(Float, nullable=False)
    # What the assistant did: "crisis_resources_and_handoff", "offered_person", "told_person_is_coming".
    response: Mapped[str] = Column(String(60), nullable=False)
    detected_at: Mapped[datetime] = Column(UTCDateTime, nullable=False)

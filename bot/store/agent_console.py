"""What agents did from the agent console (recorded by `bot.handoff.takeover`), for accountability."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Integer, String
from sqlalchemy.orm import Mapped

from bot.store.base import Base, UTCDateTime


class AgentAction(Base):
    """Who did what from the agent console, and when: the record of every human intervention.

    What an agent wrote is in the conversation itself (redacted like everything stored there).
    """

    __tablename__ = "agent_actions"

    id: Mapped[int] = Column(Integer, primary_key=True)
    agent: Mapped[str] = Column(String(80), nullable=False)
    action: Mapped[str] = Column(String(24), nullable=False)  # view, take, reply, hand_back
    conversation_id: Mapped[str | None] = Column(String(255), index=True)
    at: Mapped[datetime] = Column(UTCDateTime, nullable=False)

"""The handoff service against a real seeded SQLite shop database, with no Rasa server."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Dict, List, Optional

import pytest
from sqlalchemy import select

from bot.store.agent_console import AgentAction
from bot.store.database import open_session
from bot.store.handoffs import Handoff


@pytest.fixture(autouse=True)
def _every_handoff_test_has_its_own_shop(shop_database: str) -> str:
    return shop_database


@pytest.fixture
def now() -> datetime:
    return datetime.now(timezone.utc)


def stored(conversation_id: str) -> Handoff:
    """The conversation's latest handoff row, as the table holds it."""
    with open_session() as session:
        query = select(Handoff).where(Handoff.conversation_id == conversation_id).order_by(Handoff.id.desc())
        handoff = session.execute(query).scalars().first()
        assert handoff is not None, f"no handoff recorded for {conversation_id!r}"
        session.expunge(handoff)
        return handoff


def agent_actions(conversation_id: str) -> List[tuple]:
    """What agents did in the conversation, in order, as `agent_actions` records it."""
    with open_session() as session:
        query = (
            select(AgentAction.agent, AgentAction.action)
            .where(AgentAction.conversation_id == conversation_id)
            .order_by(AgentAction.id)
        )
        return [tuple(row) for row in session.execute(query)]


def slot_set(value: Optional[str]) -> Dict[str, Any]:
    """The handoff_status slot event the service sends, as the action server sends events."""
    return {"event": "slot", "timestamp": None, "name": "handoff_status", "value": value}

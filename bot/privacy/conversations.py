"""Conversations as Rasa's SQL tracker store keeps them, for export, erasure and retention.

The tracker store owns the `events` table; this module only reads and deletes whole
conversations in it, so a customer's conversations can be handed over or forgotten by a
`candor` command or an action without going through the Rasa server.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Dict, Iterable, List, Optional

from sqlalchemy import MetaData, Table, delete, func, inspect, select
from sqlalchemy.engine import Engine

from bot import settings
from bot.store.database import cached_engine

EVENTS_TABLE = "events"


def tracker_engine(url: Optional[str] = None) -> Engine:
    return cached_engine(url or settings.tracker_store_url())


def _events(engine: Engine) -> Optional[Table]:
    """Rasa's events table, or None before the Rasa server has stored anything."""
    if not inspect(engine).has_table(EVENTS_TABLE):
        return None
    return Table(EVENTS_TABLE, MetaData(), autoload_with=engine)


def conversation_events(engine: Engine, conversation_ids: Iterable[str]) -> Dict[str, List[dict]]:
    """Every stored event of each conversation, oldest first, as Rasa serialised it."""
    ids = sorted(set(conversation_ids))
    table = _events(engine)
    found: Dict[str, List[dict]] = {conversation_id: [] for conversation_id in ids}
    if table is None or not ids:
        return found
    query = select(table.c.sender_id, table.c.data).where(table.c.sender_id.in_(ids)).order_by(table.c.timestamp, table.c.id)
    with engine.connect() as connection:
        for sender_id, data in connection.execute(query):
            found[sender_id].append(json.loads(data))
    return found


def stored_conversation_ids(engine: Engine) -> List[str]:
    """The id of every conversation the tracker store still holds."""
    table = _events(engine)
    if table is None:
        return []
    with engine.connect() as connection:
        return [row[0] for row in connection.execute(select(table.c.sender_id).distinct())]


def delete_conversations(engine: Engine, conversation_ids: Iterable[str]) -> int:
    """Delete every event of these conversations; returns how many conversations had any."""
    ids = sorted(set(conversation_ids))
    table = _events(engine)
    if table is None or not ids:
        return 0
    with engine.begin() as connection:
        present = connection.execute(
            select(func.count(func.distinct(table.c.sender_id))).where(table.c.sender_id.in_(ids))
        ).scalar_one()
        connection.execute(delete(table).where(table.c.sender_id.in_(ids)))
    return int(present)


def conversations_idle_since(engine: Engine, cutoff: datetime) -> List[str]:
    """Conversations whose last event is older than `cutoff` (Rasa stores Unix timestamps)."""
    table = _events(engine)
    if table is None:
        return []
    query = (
        select(table.c.sender_id)
        .group_by(table.c.sender_id)
        .having(func.max(table.c.timestamp) < cutoff.timestamp())
    )
    with engine.connect() as connection:
        return [row[0] for row in connection.execute(query)]

"""Retention: delete what Candor no longer needs, on the schedule `policy.yml` sets.

Conversations go `conversations_days` after their last message, with what was recorded about
them (links to a customer, distress detections, the lock their session secret opened); counts of
failed postcode checks go when the policy forgets them (`identity.forget_failures_after_hours`);
consent records go
`consent_records_days` after they were made (the latest one for a purpose is kept while it is
still in force, since it is the proof the customer agreed).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Optional

from sqlalchemy import and_, delete, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import aliased

from bot.policy import current_policy
from bot.policy_sections import Retention
from bot.privacy.conversations import conversations_idle_since, delete_conversations, stored_conversation_ids, tracker_engine
from bot.store.consent import ConsentDecision, ConsentRecord
from bot.store.conversation_keys import forget_keys, keys_created_before
from bot.store.database import open_session
from bot.store.distress import DistressDetection
from bot.store.privacy import CustomerConversation
from bot.store.sign_ins import forget_old_failures

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PurgeResult:
    conversations: int
    consent_records: int

    def describe(self) -> str:
        return f"deleted {self.conversations} conversation(s) and {self.consent_records} consent record(s)"


def purge(now: datetime, *, retention: Optional[Retention] = None, shop: Optional[Engine] = None, tracker: Optional[Engine] = None) -> PurgeResult:
    """Delete everything older than the retention periods; returns what was deleted."""
    retention = retention or current_policy().privacy.retention
    cutoff_conversations = now - timedelta(days=retention.conversations_days)
    idle = conversations_idle_since(tracker or tracker_engine(), cutoff_conversations)
    conversations = delete_conversations(tracker or tracker_engine(), idle)
    stored = set(stored_conversation_ids(tracker or tracker_engine()))
    cutoff = now - timedelta(days=retention.consent_records_days)
    with open_session(shop) as session:
        if idle:
            session.execute(delete(CustomerConversation).where(CustomerConversation.conversation_id.in_(idle)))
            session.execute(delete(DistressDetection).where(DistressDetection.conversation_id.in_(idle)))
        # Locks of conversations that are gone, or that were opened and never stored (a failed first turn).
        forget_keys(session, set(idle) | (set(keys_created_before(session, cutoff_conversations)) - stored))
        forget_old_failures(session, now - current_policy().identity.forget_failures_after)
        newer = aliased(ConsentRecord)
        superseded = select(newer.id).where(
            newer.customer_id == ConsentRecord.customer_id,
            newer.purpose == ConsentRecord.purpose,
            newer.decided_at > ConsentRecord.decided_at,
        ).exists()
        in_force = and_(ConsentRecord.decision == ConsentDecision.GRANTED, ~superseded)
        consent_deleted = session.execute(
            delete(ConsentRecord)
            .where(ConsentRecord.decided_at < cutoff, ~in_force)
            .execution_options(synchronize_session=False)
        ).rowcount
    return PurgeResult(conversations, consent_deleted or 0)


class PurgeSchedule:
    """`purge` now and every `purge_every_hours` after, in the background of a running server."""

    def __init__(self, retention: Optional[Retention] = None) -> None:
        self._retention = retention
        self._task: Optional[asyncio.Task] = None
        self.last_run: Optional[datetime] = None
        self.last_result: Optional[PurgeResult] = None
        self.last_error: Optional[str] = None

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    def status(self) -> dict:
        return {
            "running": self._task is not None and not self._task.done(),
            "every_hours": self._hours(),
            "last_run": self.last_run.isoformat() if self.last_run else None,
            "last_result": self.last_result.describe() if self.last_result else None,
            "last_error": self.last_error,
        }

    def _hours(self) -> float:
        return (self._retention or current_policy().privacy.retention).purge_every_hours

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            now = datetime.now(timezone.utc)
            try:
                self.last_result = await loop.run_in_executor(None, lambda: purge(now, retention=self._retention))
                self.last_error = None
                logger.info("Retention purge: %s.", self.last_result.describe())
            except Exception as error:  # a failed purge must not stop the server; it runs again later
                self.last_error = str(error).splitlines()[0] if str(error) else type(error).__name__
                logger.exception("Retention purge failed; it runs again in %s hours.", self._hours())
            self.last_run = now
            await asyncio.sleep(self._hours() * 3600)

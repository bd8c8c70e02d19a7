"""Rasa's event-broker seam, used for the audit trail: the audit sees exactly what Rasa published.

Configured in `endpoints.yml` (`event_broker: type: bot.audit.broker.AuditEventBroker`). Rasa's
tracker store hands the broker every new event after Candor's store has redacted it; the broker
collects a conversation's events until the assistant listens again and then appends one record
for the whole turn, naming the conversation by pseudonym (`pseudonyms`). When it starts, it records the policy file in force if the chain does not
already end with it, so every later record can be read against the policy that governed it.

Writing the trail must never stop a customer being answered: a failure is logged loudly instead.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from typing import Any, Dict, List, Optional

from rasa.core.brokers.broker import EventBroker
from rasa.utils.endpoints import EndpointConfig
from sqlalchemy.engine import Engine

from bot.audit.chain import append
from bot.audit.policy_records import record_policy_if_new
from bot.audit.pseudonyms import conversation_pseudonym
from bot.audit.records import is_worth_recording, turn_body
from bot.conversation.events import is_listen
from bot.conversation.turns import turns_of
from bot.policy import Policy, current_policy
from bot.store.database import cached_engine, create_schema
from bot.settings import database_url

logger = logging.getLogger(__name__)


class AuditEventBroker(EventBroker):
    """Appends one hash-chained audit record per turn to the Candor store."""

    def __init__(self, engine: Engine, policy: Policy) -> None:
        self.engine = engine
        self.policy = policy
        self._pending: Dict[str, List[Dict[str, Any]]] = defaultdict(list)

    @classmethod
    async def from_endpoint_config(
        cls, broker_config: EndpointConfig, event_loop: Optional[asyncio.AbstractEventLoop] = None
    ) -> "AuditEventBroker":
        """Connect to the Candor store (`url` in the config, else `CANDOR_DATABASE_URL`)."""
        url = (broker_config.kwargs or {}).get("url") or broker_config.url or database_url()
        return cls.for_store(cached_engine(url), current_policy())

    @classmethod
    def for_store(cls, engine: Engine, policy: Policy) -> "AuditEventBroker":
        """A broker on `engine`, having recorded `policy` in the chain if it is new there."""
        create_schema(engine)
        record_policy_if_new(engine, policy)
        return cls(engine, policy)

    def publish(self, event: Dict[str, Any]) -> None:
        """Keep the event; when it ends a turn, append the turn's record."""
        conversation_id = event.get("sender_id")
        if not conversation_id:
            return
        pending = self._pending[conversation_id]
        pending.append(event)
        if is_listen(event):  # the assistant's turn is over
            del self._pending[conversation_id]
            self._record(conversation_id, pending)

    def _record(self, conversation_id: str, events: List[Dict[str, Any]]) -> None:
        try:
            for turn in turns_of(events):
                if is_worth_recording(turn):
                    body = turn_body(turn, self.policy.audit.recorded_slot_values)
                    append(self.engine, "turn", body, self.policy.version, conversation_pseudonym(conversation_id))
        except Exception:  # the customer is still answered; the operator must see this
            logger.exception("Could not append conversation %s's turn to the audit trail.", conversation_id)

    async def close(self) -> None:
        """Record whatever turns were still in progress, so nothing seen is lost."""
        for conversation_id in list(self._pending):
            self._record(conversation_id, self._pending.pop(conversation_id))

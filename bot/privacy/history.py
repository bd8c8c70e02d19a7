"""The one gate to a customer's history: every read of it goes through `open_history`.

`CustomerHistory` can only be had from `open_history`, which checks the consent ledger first,
so code that wants a customer's past orders cannot forget to ask. (Seeing your *own* data, a
data-protection right, is not "using history" and lives in `bot.privacy.subject_access`.)
"""

from __future__ import annotations

from datetime import datetime
from typing import Dict, List, Optional, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.privacy.consent import ConsentState, consent_state, latest_decision
from bot.store.shop_records import Order, OrderStatus

ORDER_HISTORY = "order_history"


class ConsentRequired(PermissionError):
    """History was asked for without consent in force for that purpose."""

    def __init__(self, purpose: str, state: ConsentState) -> None:
        super().__init__(f"no consent in force for {purpose!r} (state: {state.value})")
        self.purpose = purpose
        self.state = state


class CustomerHistory:
    """Reads of one customer's history for one purpose, allowed by the ledger at `opened_at`."""

    _gate_key = object()

    def __init__(self, session: Session, customer_id: int, purpose: str, opened_at: datetime, gate_key: object) -> None:
        if gate_key is not CustomerHistory._gate_key:
            raise ConsentRequired(purpose, ConsentState.NOT_ASKED)
        self._session = session
        self.customer_id = customer_id
        self.purpose = purpose
        self.opened_at = opened_at

    def grounds(self) -> Dict[str, str]:
        """The consent this history is read under, recorded with what it was used for."""
        record = latest_decision(self._session, self.customer_id, self.purpose)
        return {
            "purpose": self.purpose,
            "consent_version": record.consent_version if record else "",
            "granted_on": record.decided_at.date().isoformat() if record else "",
        }

    def recent_orders(self, limit: int = 3, statuses: Optional[Sequence[OrderStatus]] = None) -> List[Order]:
        """The customer's latest orders (newest first), optionally only in some states."""
        query = select(Order).where(Order.customer_id == self.customer_id)
        if statuses:
            query = query.where(Order.status.in_(list(statuses)))
        query = query.order_by(Order.placed_at.desc()).limit(limit)
        return list(self._session.execute(query).scalars())


def open_history(session: Session, customer_id: int, purpose: str, now: datetime) -> CustomerHistory:
    """The customer's history for `purpose`, or `ConsentRequired` if the ledger does not allow it."""
    state = consent_state(session, customer_id, purpose, now)
    if state is not ConsentState.GRANTED:
        raise ConsentRequired(purpose, state)
    return CustomerHistory(session, customer_id, purpose, now, CustomerHistory._gate_key)


def history_if_allowed(session: Session, customer_id: Optional[int], purpose: str, now: datetime) -> Optional[CustomerHistory]:
    """`open_history` for callers that carry on without history: None when not identified or not allowed."""
    if customer_id is None:
        return None
    try:
        return open_history(session, customer_id, purpose, now)
    except ConsentRequired:
        return None

"""Refund requests for delivered orders, refused with a reason the assistant can explain."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.store.shop import Shop, shop_rules
from bot.store.shop_records import Order, Refund, RefundStatus

NO_REASON_GIVEN = "No reason given"


class RefundOutcome(str, enum.Enum):
    REQUESTED = "requested"
    # Placed or processing: offer to cancel instead. Shipped: ask the customer to wait for it.
    NOT_YET_DELIVERED = "not_yet_delivered"
    OUTSIDE_WINDOW = "outside_window"
    ALREADY_REQUESTED = "already_requested"
    # The cancellation already refunded the order.
    ORDER_CANCELLED = "order_cancelled"


@dataclass(frozen=True)
class RefundRequestResult:
    outcome: RefundOutcome
    # The new refund, or the existing one that made a new request unnecessary.
    refund: Refund | None = None


def refunds_for_order(session: Session, order: Order) -> list[Refund]:
    """Every refund on the order, oldest first, including rejected ones."""
    query = (
        select(Refund).where(Refund.order_id == order.id).order_by(Refund.requested_at, Refund.id)
    )
    return list(session.execute(query).scalars())


def request_refund(
    session: Session, order: Order, reason: str, now: datetime, *, shop: Shop | None = None
) -> RefundRequestResult:
    """Ask for a full refund of a delivered order, within the shop's refund window."""
    shop = shop or shop_rules()
    active = next(
        (refund for refund in refunds_for_order(session, order) if refund.is_active), None
    )
    if order.is_cancelled:
        return RefundRequestResult(RefundOutcome.ORDER_CANCELLED, active)
    if active is not None:
        return RefundRequestResult(RefundOutcome.ALREADY_REQUESTED, active)
    window_closes_at = order.refund_window_closes_at(shop.refund_window_days)
    if not order.is_delivered or window_closes_at is None:
        return RefundRequestResult(RefundOutcome.NOT_YET_DELIVERED)
    if now > window_closes_at:
        return RefundRequestResult(RefundOutcome.OUTSIDE_WINDOW)

    refund = Refund(
        reference=next_refund_reference(session),
        order=order,
        status=RefundStatus.REQUESTED,
        amount_pence=order.total_pence,
        reason=reason.strip() or NO_REASON_GIVEN,
        requested_at=now,
        updated_at=now,
    )
    session.add(refund)
    session.flush()
    return RefundRequestResult(RefundOutcome.REQUESTED, refund)


def next_refund_reference(session: Session) -> str:
    """`RF-000124` after `RF-000123`; the unique constraint turns a rare race into an error."""
    latest = session.execute(select(func.max(Refund.reference))).scalar_one_or_none()
    sequence = int(latest.removeprefix("RF-")) + 1 if latest else 1
    return f"RF-{sequence:06d}"

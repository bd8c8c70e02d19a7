"""What a customer may do to an order through the assistant: find it, cancel it, change it.

Commands return an outcome instead of raising, so the assistant can tell the customer honestly
why something was refused and what they can do instead.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.store.refunds import next_refund_reference
from bot.store.shop import Shop, shop_rules
from bot.store.shop_records import Customer, Order, OrderStatus, Refund, RefundStatus, normalise_email

CANCELLATION_REASON = "Order cancelled before dispatch"
REDUCTION_REASON = "Order reduced before dispatch"
_ORDER_NUMBER = re.compile(r"#?\s*(\d{6})")


class CancelOutcome(str, enum.Enum):
    CANCELLED = "cancelled"
    ALREADY_CANCELLED = "already_cancelled"
    ALREADY_DISPATCHED = "already_dispatched"


class LineChangeOutcome(str, enum.Enum):
    CHANGED = "changed"
    REMOVED = "removed"
    UNCHANGED = "unchanged"
    # The product is not on this order.
    UNKNOWN_SKU = "unknown_sku"
    QUANTITY_TOO_HIGH = "quantity_too_high"
    # Removing the only line would leave an empty order: offer to cancel instead.
    WOULD_EMPTY_ORDER = "would_empty_order"
    ALREADY_CANCELLED = "already_cancelled"
    ALREADY_DISPATCHED = "already_dispatched"


class AddressChangeOutcome(str, enum.Enum):
    CHANGED = "changed"
    UNCHANGED = "unchanged"
    EMPTY_ADDRESS = "empty_address"
    # Click and collect orders go to a shop, not to an address the customer can change.
    COLLECTION_ORDER = "collection_order"
    ALREADY_CANCELLED = "already_cancelled"
    ALREADY_DISPATCHED = "already_dispatched"


@dataclass(frozen=True)
class CancelResult:
    outcome: CancelOutcome
    # The refund a cancellation created, with its expected payment date.
    refund: Refund | None = None


@dataclass(frozen=True)
class LineChangeResult:
    outcome: LineChangeOutcome
    total_before_pence: int
    total_after_pence: int
    # A cheaper order was overpaid: the refund of the difference. A dearer one is charged at dispatch.
    refund: Refund | None = None


@dataclass(frozen=True)
class AddressChangeResult:
    outcome: AddressChangeOutcome
    shipping_address: str


def find_verified_order(session: Session, order_id: int | str, email: str) -> Order | None:
    """The order, only if it belongs to the customer with this email.

    A missing order and someone else's order look the same (None), so the assistant cannot be
    used to discover which order numbers exist.
    """
    number = parse_order_number(order_id)
    if number is None or not email.strip():
        return None
    query = (
        select(Order)
        .join(Order.customer)
        .where(Order.id == number, Customer.email == normalise_email(email))
    )
    return session.execute(query).scalar_one_or_none()


def parse_order_number(order_id: int | str) -> int | None:
    """`104512` from `104512`, `"104512"` or `"#104512"`; None for anything else."""
    text = str(order_id).strip()
    match = _ORDER_NUMBER.fullmatch(text)
    return int(match.group(1)) if match else None


def cancel_order(
    session: Session, order: Order, now: datetime, *, shop: Shop | None = None
) -> CancelResult:
    """Cancel before dispatch and refund the full amount, which the customer has already paid."""
    if order.is_cancelled:
        return CancelResult(CancelOutcome.ALREADY_CANCELLED)
    if not order.can_be_cancelled:
        return CancelResult(CancelOutcome.ALREADY_DISPATCHED)

    shop = shop or shop_rules()
    order.status = OrderStatus.CANCELLED
    order.cancelled_at = now
    order.updated_at = now
    refund = Refund(
        reference=next_refund_reference(session),
        order=order,
        status=RefundStatus.APPROVED,
        amount_pence=order.total_pence,
        reason=CANCELLATION_REASON,
        requested_at=now,
        updated_at=now,
        expected_by=shop.refund_expected_by(now.date()),
    )
    session.add(refund)
    session.flush()
    return CancelResult(CancelOutcome.CANCELLED, refund)


def change_line_quantity(
    session: Session,
    order: Order,
    sku: str,
    quantity: int,
    now: datetime,
    *,
    shop: Shop | None = None,
) -> LineChangeResult:
    """Set how many of a product the order holds; 0 removes the line.

    Raises ValueError for a negative quantity, which no customer can ask for.
    """
    if quantity < 0:
        raise ValueError(f"quantity must be 0 or more, not {quantity}")
    shop = shop or shop_rules()
    before = order.total_pence

    def result(outcome: LineChangeOutcome) -> LineChangeResult:
        return LineChangeResult(outcome, before, order.total_pence)

    if order.is_cancelled:
        return result(LineChangeOutcome.ALREADY_CANCELLED)
    if not order.can_be_changed:
        return result(LineChangeOutcome.ALREADY_DISPATCHED)
    line = order.line_for(sku.strip().upper())
    if line is None:
        return result(LineChangeOutcome.UNKNOWN_SKU)
    if quantity > shop.max_quantity_per_line:
        return result(LineChangeOutcome.QUANTITY_TOO_HIGH)
    if quantity == line.quantity:
        return result(LineChangeOutcome.UNCHANGED)
    if quantity == 0 and len(order.lines) == 1:
        return result(LineChangeOutcome.WOULD_EMPTY_ORDER)

    if quantity == 0:
        order.lines.remove(line)
        outcome = LineChangeOutcome.REMOVED
    else:
        line.quantity = quantity
        outcome = LineChangeOutcome.CHANGED
    order.updated_at = now
    refund = _refund_difference(session, order, before - order.total_pence, now, shop)
    session.flush()
    return LineChangeResult(outcome, before, order.total_pence, refund)


def _refund_difference(session: Session, order: Order, pence: int, now: datetime, shop: Shop) -> Refund | None:
    """A smaller order was overpaid: refund the difference at once. A larger one is charged at dispatch."""
    if pence <= 0:
        return None
    refund = Refund(
        reference=next_refund_reference(session),
        order=order,
        status=RefundStatus.APPROVED,
        amount_pence=pence,
        reason=REDUCTION_REASON,
        requested_at=now,
        updated_at=now,
        expected_by=shop.refund_expected_by(now.date()),
    )
    session.add(refund)
    return refund


def change_shipping_address(
    session: Session, order: Order, address: str, now: datetime
) -> AddressChangeResult:
    """Send an undispatched order somewhere else; whitespace is tidied, the text kept as given."""
    address = " ".join(address.split())

    def result(outcome: AddressChangeOutcome) -> AddressChangeResult:
        return AddressChangeResult(outcome, order.shipping_address)

    if order.is_cancelled:
        return result(AddressChangeOutcome.ALREADY_CANCELLED)
    if not order.can_be_changed:
        return result(AddressChangeOutcome.ALREADY_DISPATCHED)
    if order.is_for_collection:
        return result(AddressChangeOutcome.COLLECTION_ORDER)
    if not address:
        return result(AddressChangeOutcome.EMPTY_ADDRESS)
    if address == order.shipping_address:
        return result(AddressChangeOutcome.UNCHANGED)

    order.shipping_address = address
    order.updated_at = now
    session.flush()
    return result(AddressChangeOutcome.CHANGED)

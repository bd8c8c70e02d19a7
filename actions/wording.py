"""Facts about orders put the way a customer reads them: money, days, item lists.

Actions pass these strings into domain responses, so every order message formats a date or a
price the same way.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Iterable, Optional, Union

from bot.store.shop import format_money, shop_rules
from bot.store.shop_records import Order


def money(pence: int) -> str:
    """`£54.90`, in the shop's currency."""
    return format_money(pence, shop_rules().currency)


def day(moment: Optional[Union[date, datetime]]) -> str:
    """`Friday 27 November 2026`; 'not known yet' when there is no date to give."""
    if moment is None:
        return "a date we don't know yet"
    if isinstance(moment, datetime):
        moment = moment.date()
    return f"{moment:%A} {moment.day} {moment:%B %Y}"


def item_count(order: Order) -> str:
    """`1 item` or `3 items`, counting every unit."""
    count = sum(line.quantity for line in order.lines)
    return f"{count} item" if count == 1 else f"{count} items"


def listing(phrases: Iterable[str]) -> str:
    """`a, b and c`."""
    items = list(phrases)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def order_facts(order: Order) -> dict[str, str]:
    """Everything an order message may mention, ready to fill a response's {placeholders}."""
    return {
        "order_id": str(order.id),
        "items": item_count(order),
        "total": money(order.total_pence),
        "placed_on": day(order.placed_at),
        "shipped_on": day(order.shipped_at),
        "delivered_on": day(order.delivered_at),
        "cancelled_on": day(order.cancelled_at),
        "estimated_delivery": day(order.estimated_delivery),
        "carrier": order.carrier or "our courier",
        "tracking_number": order.tracking_number or "not issued yet",
        "shipping_address": order.shipping_address,
        "refund_window_days": str(shop_rules().refund_window_days),
    }


def echo(text: object, limit: int = 60) -> str:
    """What the customer typed, shortened to quote it back in a reply."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"

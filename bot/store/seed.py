"""Fernleaf Home's demo data written to an empty database, once `bot.store.seed_files` has checked it.

Seed files give times relative to the moment of seeding (`placed_days_ago: 3`), so a demo seeded
on any day has orders in transit, refunds in progress and a refund window that is still open.
Every record is validated before the first write, so a mistake never leaves a half-seeded shop.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.settings import SEED_DIR, database_url
from bot.store.base import Base
from bot.store.database import cached_engine, create_schema, open_session
from bot.store.handoffs import Handoff
from bot.store.invoices import issue_invoice
from bot.store.seed_files import EVENTS, CustomerSeed, OrderSeed, RefundSeed, load_seed_data
from bot.store.shop import Shop, load_shop
from bot.store.shop_records import Customer, Invoice, Order, OrderLine, Product, Refund, RefundStatus

COUNTED_TABLES: dict[str, type[Base]] = {
    "customers": Customer,
    "products": Product,
    "orders": Order,
    "order_lines": OrderLine,
    "refunds": Refund,
    "invoices": Invoice,
    "handoffs": Handoff,
}


class DatabaseNotEmptyError(RuntimeError):
    """Seeding would mix demo records with existing ones."""


def seed_database(
    session: Session, seed_dir: Path = SEED_DIR, now: datetime | None = None
) -> dict[str, int]:
    """Write the demo data into an empty database and return the row counts."""
    shop = load_shop(seed_dir)
    data = load_seed_data(seed_dir, shop)
    counts = store_counts(session)
    if counts["customers"] or counts["products"] or counts["orders"]:
        raise DatabaseNotEmptyError(
            "the shop database already holds records: seed only an empty one, "
            "or call init_database, which leaves a seeded database alone"
        )
    clock = _SeedClock(now or datetime.now(timezone.utc))
    customers = {seed.customer_number: _customer(seed, clock) for seed in data.customers}
    products = {
        seed.sku: Product(sku=seed.sku, name=seed.name, price_pence=seed.price_pence)
        for seed in data.products
    }
    session.add_all([*customers.values(), *products.values()])
    for seed in data.orders:
        order = _order(seed, customers[seed.customer], products, clock)
        session.add(order)
        session.add_all(_refund(refund, order, shop, clock) for refund in seed.refunds)
        if seed.invoice is not None and order.shipped_at is not None:
            issue_invoice(session, order, seed.invoice, order.shipped_at, shop=shop)
    session.flush()
    return store_counts(session)


def init_database(
    url: str | None = None, now: datetime | None = None, seed_dir: Path = SEED_DIR
) -> dict[str, int]:
    """Create the schema and seed it if there are no customers yet; safe to run at every start."""
    engine = cached_engine(url or database_url())
    create_schema(engine)
    with open_session(engine) as session:
        if session.execute(select(Customer.id).limit(1)).first() is None:
            seed_database(session, seed_dir, now)
        return store_counts(session)


def store_counts(session: Session) -> dict[str, int]:
    """Rows per shop table, for start-up logs and tests."""
    return {
        table: session.execute(select(func.count()).select_from(model)).scalar_one()
        for table, model in COUNTED_TABLES.items()
    }


@dataclass(frozen=True)
class _SeedClock:
    """Turns the seed files' relative days into times around the moment of seeding."""

    now: datetime

    def ago(self, days: int) -> datetime:
        return self.now - timedelta(days=days)

    def ago_if_given(self, days: int | None) -> datetime | None:
        return None if days is None else self.ago(days)

    def date_in(self, days: int) -> date:
        return (self.now + timedelta(days=days)).date()


def _customer(seed: CustomerSeed, clock: _SeedClock) -> Customer:
    joined_at = clock.ago(seed.joined_days_ago)
    return Customer(
        customer_number=seed.customer_number,
        name=seed.name,
        email=seed.email,
        postcode=seed.postcode,
        default_address=seed.default_address,
        newsletter_opt_in=seed.newsletter_opt_in,
        # Demo customers who opted in did so when they joined.
        newsletter_changed_at=joined_at if seed.newsletter_opt_in else None,
        created_at=joined_at,
    )


def _order(
    seed: OrderSeed, customer: Customer, products: dict[str, Product], clock: _SeedClock
) -> Order:
    events = [getattr(seed, event) for event in EVENTS if getattr(seed, event) is not None]
    estimate = seed.estimated_delivery_in_days
    if estimate is None and seed.delivered_days_ago is not None:
        estimate = -seed.delivered_days_ago
    return Order(
        id=seed.number,
        customer=customer,
        status=seed.status,
        placed_at=clock.ago(seed.placed_days_ago),
        updated_at=clock.ago(min([seed.placed_days_ago, *events])),
        shipped_at=clock.ago_if_given(seed.shipped_days_ago),
        delivered_at=clock.ago_if_given(seed.delivered_days_ago),
        cancelled_at=clock.ago_if_given(seed.cancelled_days_ago),
        shipping_address=seed.shipping_address or customer.postal_address,
        delivery_method=seed.delivery_method,
        carrier=seed.carrier,
        tracking_number=seed.tracking_number,
        estimated_delivery=None if estimate is None else clock.date_in(estimate),
        lines=[
            OrderLine(
                sku=line.sku,
                quantity=line.quantity,
                unit_price_pence=(
                    products[line.sku].price_pence
                    if line.unit_price_pence is None
                    else line.unit_price_pence
                ),
            )
            for line in seed.lines
        ],
    )


def _refund(seed: RefundSeed, order: Order, shop: Shop, clock: _SeedClock) -> Refund:
    updated_at = clock.ago(
        seed.requested_days_ago if seed.updated_days_ago is None else seed.updated_days_ago
    )
    approved = seed.status in (RefundStatus.APPROVED, RefundStatus.PAID)
    return Refund(
        reference=seed.reference,
        order=order,
        status=seed.status,
        amount_pence=seed.amount_pence or order.total_pence,
        reason=seed.reason,
        requested_at=clock.ago(seed.requested_days_ago),
        updated_at=updated_at,
        expected_by=shop.refund_expected_by(updated_at.date()) if approved else None,
    )

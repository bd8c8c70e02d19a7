"""The demo data: every case the assistant must handle, dated relative to the day it is seeded."""

from __future__ import annotations

import re
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.settings import SEED_DIR
from bot.store import (
    Customer,
    DatabaseNotEmptyError,
    DataFileError,
    DeliveryMethod,
    Order,
    OrderStatus,
    Product,
    RefundStatus,
    find_verified_order,
    init_database,
    open_session,
    seed_database,
    shop_rules,
)

README_ROW = re.compile(r"^\|\s*(\d{6})\s*\|\s*(\S+@\S+)\s*\|\s*(\w+)\s*\|")


def all_orders(session) -> list[Order]:
    return list(session.execute(select(Order)).scalars())


def test_the_seed_is_big_enough_to_demo(session):
    assert len(session.execute(select(Customer)).scalars().all()) >= 8
    assert len(session.execute(select(Product)).scalars().all()) >= 15
    assert len(all_orders(session)) >= 25


def test_the_seed_has_orders_in_every_status(session):
    assert {order.status for order in all_orders(session)} == set(OrderStatus)


def test_the_seed_has_refunds_in_every_status(session):
    statuses = {refund.status for order in all_orders(session) for refund in order.refunds}

    assert statuses == set(RefundStatus)


def test_the_seed_covers_the_cases_the_assistant_must_handle(session, now):
    orders = all_orders(session)
    window = shop_rules().refund_window_days

    def delivered_days_ago(order: Order) -> float:
        return (now - order.delivered_at) / timedelta(days=1)

    delivered = [order for order in orders if order.is_delivered]
    assert any(delivered_days_ago(order) < window and not order.refunds for order in delivered)
    assert any(delivered_days_ago(order) > window for order in delivered)
    assert all(order.carrier and order.tracking_number for order in orders if order.is_in_transit)
    assert any(order.is_overdue(now.date()) for order in orders)
    assert any(len(order.lines) >= 3 for order in orders)
    assert any(order.is_for_collection and order.can_be_changed for order in orders)
    assert max(Counter(order.customer_id for order in orders).values()) >= 3
    for cancelled in (order for order in orders if order.is_cancelled):
        assert [refund.amount_pence for refund in cancelled.refunds] == [cancelled.total_pence]


def test_every_dispatched_order_has_an_invoice_and_no_other_order_has_one(session):
    for order in all_orders(session):
        assert (order.invoice is not None) is order.is_dispatched, order.id


def test_seed_emails_use_only_domains_reserved_for_examples(session):
    domains = {
        customer.email.split("@")[1] for customer in session.execute(select(Customer)).scalars()
    }

    assert domains <= {"example.com", "example.org"}


def test_seed_times_are_relative_to_the_moment_of_seeding(tmp_path, now):
    a_year_later = now + timedelta(days=365)

    for url, seeded_at in [
        (f"sqlite:///{tmp_path / 'now.db'}", now),
        (f"sqlite:///{tmp_path / 'later.db'}", a_year_later),
    ]:
        init_database(url, now=seeded_at)
        with open_session(url) as session:
            order = session.get(Order, 104503)
            assert order.delivered_at == seeded_at - timedelta(days=5)
            assert order.invoice.number.startswith(f"INV-{order.shipped_at.year}-")


def test_seeding_twice_changes_nothing(tmp_path, now):
    url = f"sqlite:///{tmp_path / 'twice.db'}"

    first = init_database(url, now=now)
    second = init_database(url, now=now + timedelta(days=3))

    assert first == second and first["orders"] > 0
    with open_session(url) as session:
        assert session.get(Order, 104501).placed_at == now


def test_seeding_refuses_a_database_that_already_has_records(session):
    with pytest.raises(DatabaseNotEmptyError, match="init_database"):
        seed_database(session)


def test_the_readme_table_lists_real_demo_orders(session):
    rows = [
        README_ROW.match(line).groups()
        for line in (SEED_DIR / "README.md").read_text(encoding="utf-8").splitlines()
        if README_ROW.match(line)
    ]

    assert len(rows) >= 10
    for number, email, status in rows:
        order = find_verified_order(session, number, email)
        assert order is not None and order.status.value == status, number


def test_seed_files_are_checked_before_anything_is_written(engine, seed_copy, edit_yaml):
    edit_yaml(seed_copy / "orders.yml", _set_first_line(sku="MUG-GOLD"))

    with pytest.raises(DataFileError), open_session(engine) as session:
        seed_database(session, seed_copy)
    with open_session(engine) as session:
        assert session.execute(select(Customer)).first() is None


def _set(section: str, index: int, **fields):
    return lambda content: content[section][index].update(fields)


def _unset(section: str, index: int, field: str):
    return lambda content: content[section][index].pop(field)


def _set_first_line(**fields):
    return lambda content: content["orders"][0]["lines"][0].update(fields)


# A deliberate mistake in one seed file, and the start of the message that must point at it.
SEED_MISTAKES = {
    "a real-looking email": (
        "customers.yml",
        _set("customers", 0, email="ada@gmail.com"),
        "customers[0] (customer_number C10001): email: use an address at example.com",
    ),
    "a duplicate email": (
        "customers.yml",
        _set("customers", 1, email="ADA.THORNBURY@example.com"),
        "customers: email: ada.thornbury@example.com appears more than once",
    ),
    "a negative price": (
        "products.yml",
        _set("products", 2, price_pence=-5),
        "products[2] (sku MUG-ESP4): price_pence: ensure this value is greater than 0",
    ),
    "a shipped order without a shipping time": (
        "orders.yml",
        _unset("orders", 1, "shipped_days_ago"),
        "orders[1] (number 104502): shipped_days_ago is required for a shipped order",
    ),
    "an unknown status": (
        "orders.yml",
        _set("orders", 0, status="sent"),
        "orders[0] (number 104501): status: value is not a valid enumeration member",
    ),
    "an invoice before dispatch": (
        "orders.yml",
        _set("orders", 0, invoice=999),
        "orders[0] (number 104501): invoice is required once an order is dispatched",
    ),
    "an unknown customer": (
        "orders.yml",
        _set("orders", 0, customer="C99999"),
        "orders[0] (number 104501): customer: C99999 is not in customers.yml",
    ),
    "an unknown product": (
        "orders.yml",
        _set_first_line(sku="MUG-GOLD"),
        "orders[0] (number 104501): lines[0].sku: MUG-GOLD is not in products.yml",
    ),
    "a quantity above the shop's limit": (
        "orders.yml",
        _set_first_line(quantity=11),
        "orders[0] (number 104501): lines[0].quantity: 11 is more than max_quantity_per_line",
    ),
}


@pytest.mark.parametrize(("file", "change", "message"), SEED_MISTAKES.values(), ids=SEED_MISTAKES)
def test_a_seed_mistake_is_reported_with_its_file_record_and_field(
    seed_copy, edit_yaml, engine, file, change, message
):
    edit_yaml(seed_copy / file, change)

    with pytest.raises(DataFileError) as error, open_session(engine) as session:
        seed_database(session, seed_copy)

    assert f"{seed_copy / file}: {message}" in str(error.value)


def test_seed_orders_keep_their_public_numbers(session):
    collected = find_verified_order(session, 104519, "hamza.qureshi@example.org")

    assert collected.delivery_method is DeliveryMethod.CLICK_AND_COLLECT and collected.is_delivered

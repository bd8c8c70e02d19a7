"""The same schema, seed and queries on PostgreSQL, the database a production deployment uses.

These tests create a database of their own and drop it afterwards; they are skipped, with the
reason, when no PostgreSQL server answers at 127.0.0.1:5432.
"""

from __future__ import annotations

from datetime import date, timedelta, timezone

import pytest
from sqlalchemy.exc import IntegrityError

from bot.store import (
    CancelOutcome,
    Handoff,
    HandoffStatus,
    Order,
    RefundOutcome,
    cached_engine,
    cancel_order,
    find_verified_order,
    handoff_queue,
    init_database,
    invoice_for_order,
    open_session,
    queue_position,
    request_handoff,
    request_refund,
    seed_database,
)

pytestmark = pytest.mark.postgres

ADA = "ada.thornbury@example.com"


@pytest.fixture
def pg_session(postgres_engine, now):
    with open_session(postgres_engine) as seeding:
        seed_database(seeding, now=now)
    with open_session(postgres_engine) as session:
        yield session


def test_the_schema_and_seed_work_on_postgresql(postgres_engine, postgres_url, now):
    try:
        first = init_database(postgres_url, now=now)
        second = init_database(postgres_url, now=now + timedelta(days=1))
    finally:
        cached_engine(postgres_url).dispose()

    assert first == second
    assert (first["customers"], first["orders"], first["invoices"]) == (10, 27, 16)


def test_order_lookup_is_verified_and_case_insensitive_on_postgresql(pg_session):
    assert find_verified_order(pg_session, "#104503", " ADA.Thornbury@example.com ") is not None
    assert find_verified_order(pg_session, 104503, "bilal.okafor@example.com") is None
    assert find_verified_order(pg_session, 999999, ADA) is None


def test_times_come_back_in_utc_on_postgresql(pg_session, now):
    order = pg_session.get(Order, 104503)

    assert order.delivered_at == now - timedelta(days=5)
    assert order.delivered_at.tzinfo == timezone.utc


def test_cancel_and_refund_rules_hold_on_postgresql(postgres_engine, pg_session, now):
    placed = find_verified_order(pg_session, 104501, ADA)
    cancelled = cancel_order(pg_session, placed, now)
    refund = request_refund(pg_session, find_verified_order(pg_session, 104503, ADA), "Faulty", now)
    pg_session.commit()

    assert cancelled.outcome is CancelOutcome.CANCELLED
    assert cancelled.refund.reference == "RF-000108"
    assert cancelled.refund.expected_by == date(2026, 3, 18)
    assert refund.outcome is RefundOutcome.REQUESTED and refund.refund.reference == "RF-000109"
    with open_session(postgres_engine) as later:
        assert later.get(Order, 104501).is_cancelled
        assert invoice_for_order(later, later.get(Order, 104503)).vat_pence == 1150


def test_handoff_queue_serves_priority_then_time_on_postgresql(pg_session, now):
    ordinary = request_handoff(pg_session, "conv-a", "Wants a person", now)
    urgent = request_handoff(pg_session, "conv-b", "Distress", now + timedelta(minutes=5), 1)
    again = request_handoff(pg_session, "conv-a", "Asking again", now + timedelta(minutes=6))

    assert again is ordinary
    assert handoff_queue(pg_session) == [urgent, ordinary]
    assert [queue_position(pg_session, h) for h in (urgent, ordinary)] == [1, 2]


def test_one_waiting_handoff_per_conversation_is_enforced_on_postgresql(postgres_engine, now):
    def waiting() -> Handoff:
        return Handoff(
            conversation_id="conv-a",
            reason="Wants a person",
            priority=3,
            status=HandoffStatus.WAITING,
            requested_at=now,
            updated_at=now,
        )

    with pytest.raises(IntegrityError), open_session(postgres_engine) as session:
        session.add_all([waiting(), waiting()])

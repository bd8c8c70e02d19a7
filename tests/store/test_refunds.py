"""Refund requests: granted inside the window after delivery, refused with a reason otherwise."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.store import RefundOutcome, RefundStatus, refunds_for_order, request_refund

ADA = "ada.thornbury@example.com"
FEMI = "femi.adeyemi@example.com"


def test_a_recently_delivered_order_can_be_refunded(session, order, now):
    delivered = order(104503, ADA)

    result = request_refund(session, delivered, "The lamp flickers", now)

    assert result.outcome is RefundOutcome.REQUESTED
    refund = result.refund
    assert refund is not None and refund.status is RefundStatus.REQUESTED
    assert refund.amount_pence == delivered.total_pence == 6900
    assert refund.reason == "The lamp flickers" and refund.requested_at == now
    assert refunds_for_order(session, delivered) == [refund]


def test_new_refund_references_continue_the_sequence(session, order, now):
    first = request_refund(session, order(104503, ADA), "Faulty", now).refund
    second = request_refund(
        session, order(104527, "isla.penrose@example.com"), "Broken", now
    ).refund

    assert (first.reference, second.reference) == ("RF-000108", "RF-000109")


def test_a_refund_asked_for_without_a_reason_says_so(session, order, now):
    result = request_refund(session, order(104503, ADA), "   ", now)

    assert result.refund is not None and result.refund.reason == "No reason given"


@pytest.mark.parametrize(
    ("number", "email", "can_cancel_instead"),
    [
        (104501, ADA, True),
        (104506, "bilal.okafor@example.com", True),
        (104502, ADA, False),
    ],
)
def test_an_order_not_yet_delivered_cannot_be_refunded(
    session, order, now, number, email, can_cancel_instead
):
    undelivered = order(number, email)

    result = request_refund(session, undelivered, "Changed my mind", now)

    assert result.outcome is RefundOutcome.NOT_YET_DELIVERED and result.refund is None
    assert undelivered.can_be_cancelled is can_cancel_instead
    assert refunds_for_order(session, undelivered) == []


def test_the_last_days_of_the_refund_window_still_count(session, order, now):
    delivered_29_days_ago = order(104514, FEMI)

    result = request_refund(session, delivered_29_days_ago, "Wrong colour", now)

    assert result.outcome is RefundOutcome.REQUESTED


@pytest.mark.parametrize(("number", "email"), [(104515, FEMI), (104504, ADA)])
def test_a_refund_is_refused_outside_the_window(session, order, now, number, email):
    result = request_refund(session, order(number, email), "Wrong colour", now)

    assert result.outcome is RefundOutcome.OUTSIDE_WINDOW and result.refund is None


def test_the_window_closes_thirty_days_after_delivery_to_the_minute(session, order, now):
    delivered = order(104514, FEMI)
    closes_at = delivered.delivered_at + timedelta(days=30)

    late = request_refund(session, delivered, "Too late", closes_at + timedelta(minutes=1))
    on_time = request_refund(session, delivered, "Just in time", closes_at)

    assert late.outcome is RefundOutcome.OUTSIDE_WINDOW
    assert on_time.outcome is RefundOutcome.REQUESTED


@pytest.mark.parametrize(
    ("number", "email", "reference"),
    [
        (104507, "bilal.okafor@example.com", "RF-000106"),
        (104508, "catrin.llewellyn@example.org", "RF-000104"),
        (104510, "dev.raman@example.com", "RF-000102"),
    ],
)
def test_asking_again_returns_the_existing_refund(session, order, now, number, email, reference):
    refunded = order(number, email)

    result = request_refund(session, refunded, "Asking again", now)

    assert result.outcome is RefundOutcome.ALREADY_REQUESTED
    assert result.refund is not None and result.refund.reference == reference
    assert len(refunds_for_order(session, refunded)) == 1


def test_a_cancelled_order_is_already_refunded(session, order, now):
    result = request_refund(session, order(104505, ADA), "Please refund", now)

    assert result.outcome is RefundOutcome.ORDER_CANCELLED
    assert result.refund is not None and result.refund.reference == "RF-000105"


def test_after_a_rejection_the_customer_may_ask_again(session, order, now):
    rejected_before = order(104512, "eilidh.macrae@example.org")

    result = request_refund(session, rejected_before, "Seam came apart", now)

    assert result.outcome is RefundOutcome.REQUESTED
    assert [refund.status for refund in refunds_for_order(session, rejected_before)] == [
        RefundStatus.REJECTED,
        RefundStatus.REQUESTED,
    ]

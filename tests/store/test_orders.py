"""Finding, cancelling and changing orders, as a customer would through the assistant."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from bot.store import (
    AddressChangeOutcome,
    CancelOutcome,
    LineChangeOutcome,
    Order,
    OrderStatus,
    Refund,
    RefundStatus,
    cancel_order,
    change_line_quantity,
    change_shipping_address,
    find_verified_order,
    open_session,
)

ADA = "ada.thornbury@example.com"


def test_an_order_is_found_with_its_customers_email(session):
    found = find_verified_order(session, 104503, ADA)

    assert found is not None and found.id == 104503


def test_order_lookup_never_reveals_an_order_to_the_wrong_email(session):
    someone_elses = find_verified_order(session, 104503, "bilal.okafor@example.com")
    unknown_email = find_verified_order(session, 104503, "nobody@example.com")
    no_such_order = find_verified_order(session, 999999, ADA)

    assert someone_elses is None and unknown_email is None and no_such_order is None


@pytest.mark.parametrize("typed", [" Ada.Thornbury@Example.COM ", "ADA.THORNBURY@EXAMPLE.COM\n"])
def test_order_lookup_ignores_email_case_and_surrounding_spaces(session, typed):
    assert find_verified_order(session, 104503, typed) is not None


@pytest.mark.parametrize("typed", [104503, "104503", "#104503", " # 104503 "])
def test_an_order_number_may_be_typed_with_a_hash_or_spaces(session, typed):
    assert find_verified_order(session, typed, ADA) is not None


@pytest.mark.parametrize("typed", ["", "abc", "10450", "1045031", -104503, "104503 OR 1=1"])
def test_anything_but_a_six_digit_order_number_finds_nothing(session, typed):
    assert find_verified_order(session, typed, ADA) is None


def test_an_empty_email_finds_nothing(session):
    assert find_verified_order(session, 104503, "  ") is None


def test_a_placed_order_is_cancelled_and_refunded_in_full(session, order, now):
    placed = order(104501, ADA)

    result = cancel_order(session, placed, now)

    assert result.outcome is CancelOutcome.CANCELLED
    assert placed.status is OrderStatus.CANCELLED and placed.cancelled_at == now
    assert result.refund is not None
    assert result.refund.status is RefundStatus.APPROVED
    assert result.refund.amount_pence == placed.total_pence == 2 * 1200 + 2200 + 3 * 950


def test_a_cancellation_refund_is_expected_five_working_days_later(session, order, now):
    result = cancel_order(session, order(104501, ADA), now)

    # Wednesday 11 March, plus five weekdays: Wednesday 18 March.
    assert result.refund is not None and result.refund.expected_by == date(2026, 3, 18)


def test_a_processing_order_can_still_be_cancelled(session, order, now):
    result = cancel_order(session, order(104506, "bilal.okafor@example.com"), now)

    assert result.outcome is CancelOutcome.CANCELLED


@pytest.mark.parametrize("number", [104502, 104503])
def test_an_order_cannot_be_cancelled_after_dispatch(session, order, now, number):
    dispatched = order(number, ADA)
    status_before = dispatched.status
    refunds_before = len(dispatched.refunds)

    result = cancel_order(session, dispatched, now)

    assert result.outcome is CancelOutcome.ALREADY_DISPATCHED and result.refund is None
    assert dispatched.status is status_before and len(dispatched.refunds) == refunds_before


def test_cancelling_a_cancelled_order_changes_nothing(session, order, now):
    first = cancel_order(session, order(104501, ADA), now)
    second = cancel_order(session, order(104501, ADA), now)

    assert first.outcome is CancelOutcome.CANCELLED
    assert second.outcome is CancelOutcome.ALREADY_CANCELLED
    assert session.execute(select(Refund).where(Refund.order_id == 104501)).scalars().all() == [
        first.refund
    ]


def test_a_cancellation_outlasts_the_unit_of_work(engine, session, order, now):
    cancel_order(session, order(104501, ADA), now)
    session.commit()

    with open_session(engine) as later:
        reloaded = later.get(Order, 104501)
        assert reloaded.status is OrderStatus.CANCELLED
        assert reloaded.cancelled_at == now
        assert [refund.status for refund in reloaded.refunds] == [RefundStatus.APPROVED]


def test_changing_a_quantity_updates_the_order_total(session, order, now):
    placed = order(104501, ADA)

    result = change_line_quantity(session, placed, "MUG-SAGE", 3, now)

    assert result.outcome is LineChangeOutcome.CHANGED
    assert result.total_after_pence - result.total_before_pence == 1200
    assert placed.line_for("MUG-SAGE").quantity == 3 and placed.updated_at == now


def test_a_larger_order_creates_no_refund(session, order, now):
    result = change_line_quantity(session, order(104501, ADA), "MUG-SAGE", 3, now)

    assert result.refund is None


def test_a_smaller_order_refunds_the_difference_at_once(session, order, now):
    placed = order(104501, ADA)

    result = change_line_quantity(session, placed, "MUG-SAGE", 1, now)

    assert result.refund is not None
    assert result.refund.amount_pence == result.total_before_pence - result.total_after_pence == 1200
    assert result.refund.status is RefundStatus.APPROVED
    assert placed.refunds == [result.refund]


def test_a_product_code_may_be_typed_in_lower_case(session, order, now):
    result = change_line_quantity(session, order(104501, ADA), " mug-sage ", 1, now)

    assert result.outcome is LineChangeOutcome.CHANGED


def test_quantity_zero_removes_the_line(engine, session, order, now):
    result = change_line_quantity(session, order(104501, ADA), "POT-CONC", 0, now)
    session.commit()

    assert result.outcome is LineChangeOutcome.REMOVED
    with open_session(engine) as later:
        assert [line.sku for line in later.get(Order, 104501).lines] == ["MUG-SAGE", "CSH-VELV"]


def test_removing_the_only_line_is_refused_so_the_assistant_can_offer_to_cancel(
    session, order, now
):
    single_line = order(104506, "bilal.okafor@example.com")

    result = change_line_quantity(session, single_line, "KIT-BOARD", 0, now)

    assert result.outcome is LineChangeOutcome.WOULD_EMPTY_ORDER
    assert single_line.line_for("KIT-BOARD").quantity == 1
    assert single_line.can_be_cancelled


def test_more_than_the_per_line_limit_is_refused(session, order, now):
    at_limit = order(104513, "eilidh.macrae@example.org")

    too_many = change_line_quantity(session, at_limit, "MUG-SAGE", 11, now)
    same = change_line_quantity(session, at_limit, "MUG-SAGE", 10, now)

    assert too_many.outcome is LineChangeOutcome.QUANTITY_TOO_HIGH
    assert same.outcome is LineChangeOutcome.UNCHANGED
    assert at_limit.line_for("MUG-SAGE").quantity == 10


@pytest.mark.parametrize("sku", ["LMP-ARC", "NOT-A-SKU", ""])
def test_a_product_not_on_the_order_is_refused(session, order, now, sku):
    result = change_line_quantity(session, order(104501, ADA), sku, 1, now)

    assert result.outcome is LineChangeOutcome.UNKNOWN_SKU
    assert result.total_after_pence == result.total_before_pence


@pytest.mark.parametrize(
    ("number", "email", "sku", "expected"),
    [
        (104502, ADA, "THR-WOOL", LineChangeOutcome.ALREADY_DISPATCHED),
        (104503, ADA, "MUG-OAT", LineChangeOutcome.ALREADY_DISPATCHED),
        (104505, ADA, "LMP-ARC", LineChangeOutcome.ALREADY_CANCELLED),
    ],
)
def test_lines_cannot_change_once_dispatched_or_cancelled(
    session, order, now, number, email, sku, expected
):
    locked = order(number, email)
    quantity_before = locked.line_for(sku).quantity

    result = change_line_quantity(session, locked, sku, quantity_before + 1, now)

    assert result.outcome is expected and locked.line_for(sku).quantity == quantity_before


def test_a_negative_quantity_is_a_programming_error(session, order, now):
    with pytest.raises(ValueError, match="quantity"):
        change_line_quantity(session, order(104501, ADA), "MUG-SAGE", -1, now)


def test_the_shipping_address_can_change_before_dispatch(session, order, now):
    placed = order(104501, ADA)

    result = change_shipping_address(session, placed, "  9 Heron Way,\n Fernbridge FB2 1AA ", now)

    assert result.outcome is AddressChangeOutcome.CHANGED
    assert placed.shipping_address == result.shipping_address == "9 Heron Way, Fernbridge FB2 1AA"


def test_the_same_address_again_changes_nothing(session, order, now):
    placed = order(104501, ADA)

    result = change_shipping_address(session, placed, placed.shipping_address, now)

    assert result.outcome is AddressChangeOutcome.UNCHANGED


def test_the_shipping_address_cannot_change_after_dispatch(session, order, now):
    shipped = order(104502, ADA)
    address_before = shipped.shipping_address

    result = change_shipping_address(session, shipped, "9 Heron Way, Fernbridge FB2 1AA", now)

    assert result.outcome is AddressChangeOutcome.ALREADY_DISPATCHED
    assert shipped.shipping_address == result.shipping_address == address_before


def test_a_cancelled_order_has_no_address_to_change(session, order, now):
    result = change_shipping_address(session, order(104505, ADA), "9 Heron Way", now)

    assert result.outcome is AddressChangeOutcome.ALREADY_CANCELLED


def test_a_click_and_collect_order_has_no_address_to_change(session, order, now):
    collection = order(104509, "catrin.llewellyn@example.org")

    result = change_shipping_address(session, collection, "9 Heron Way, Fernbridge FB2 1AA", now)

    assert result.outcome is AddressChangeOutcome.COLLECTION_ORDER
    assert collection.shipping_address.startswith("Click and collect")


def test_an_empty_address_is_refused(session, order, now):
    result = change_shipping_address(session, order(104501, ADA), " \n ", now)

    assert result.outcome is AddressChangeOutcome.EMPTY_ADDRESS


def test_an_order_in_transit_past_its_estimate_is_overdue(order, now):
    assert order(104517, "grace.whitlock@example.com").is_overdue(now.date())
    assert not order(104502, ADA).is_overdue(now.date())

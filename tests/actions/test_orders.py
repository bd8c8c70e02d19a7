"""Order actions change the shop only after an explicit yes, and say honestly when they can't."""

from __future__ import annotations

import asyncio

from rasa_sdk.executor import CollectingDispatcher

from actions.delivery_address import ActionChangeShippingAddress
from actions.order_items import ActionChangeOrder, ValidateChangeOrderForm, parse_quantity
from actions.orders import ActionCancelOrder, ActionTrackOrder, ValidateCancelOrderForm
from bot.store.database import open_session
from bot.store.shop_records import Order, OrderStatus
from tests.actions.conftest import DOMAIN, make_tracker, rechecked_in, run

ADA = "ada.thornbury@example.com"
EILIDH = "eilidh.macrae@example.org"


def stored(number: int) -> Order:
    with open_session() as session:
        order = session.get(Order, number)
        _ = order.lines, order.refunds
        return order


def test_tracking_words_the_answer_for_the_order_status() -> None:
    shipped = run(ActionTrackOrder(), make_tracker({"order_id": "104502", "email": ADA}))
    delivered = run(ActionTrackOrder(), make_tracker({"order_id": "104503", "email": ADA}))

    assert shipped.responses == ["utter_order_status_shipped"]
    assert shipped.messages[0]["tracking_number"] == "PW4821093761"
    assert delivered.responses == ["utter_order_status_delivered"]


def test_an_order_is_cancelled_only_after_a_yes() -> None:
    rechecked = rechecked_in("cancel_order_form")
    no = run(ActionCancelOrder(), make_tracker({"order_id": "104501", "email": ADA, "cancel_confirmed": False}, events=rechecked))
    assert no.responses == ["utter_order_not_cancelled"]
    assert stored(104501).status is OrderStatus.PLACED

    unanswered = run(ActionCancelOrder(), make_tracker({"order_id": "104501", "email": ADA}, events=rechecked))
    assert unanswered.responses == ["utter_order_not_cancelled"]

    yes = run(ActionCancelOrder(), make_tracker({"order_id": "104501", "email": ADA, "cancel_confirmed": True}, events=rechecked))
    assert yes.responses == ["utter_order_cancelled"]
    assert stored(104501).status is OrderStatus.CANCELLED
    assert yes.slot("cancel_confirmed") is None, "the yes is not reused for a later cancellation"


def test_a_dispatched_order_skips_the_confirmation_question() -> None:
    form = ValidateCancelOrderForm()
    tracker = make_tracker({"order_id": "104502", "email": ADA}, active_loop="cancel_order_form")
    slots = asyncio.run(form.required_slots(["order_id", "email", "cancel_confirmed"], CollectingDispatcher(), tracker, DOMAIN))

    assert slots == ["order_id", "email"]
    assert run(ActionCancelOrder(), tracker).responses == ["utter_order_cannot_be_cancelled"]


def test_removing_the_only_item_suggests_cancelling_instead() -> None:
    only_sku = stored(104506).lines[0].sku
    tracker = make_tracker(
        {"order_id": "104506", "email": "bilal.okafor@example.com", "order_item": only_sku,
         "new_quantity": "0", "change_confirmed": True}
    )

    outcome = run(ActionChangeOrder(), tracker)

    assert outcome.responses == ["utter_order_change_would_empty"]
    assert len(stored(104506).lines) == 1


def test_fewer_items_update_the_line_and_refund_the_difference() -> None:
    tracker = make_tracker(
        {"order_id": "104513", "email": EILIDH, "order_item": "MUG-SAGE", "new_quantity": "4", "change_confirmed": True}
    )

    outcome = run(ActionChangeOrder(), tracker)

    order = stored(104513)
    assert outcome.responses == ["utter_order_reduced"]
    assert order.line_for("MUG-SAGE").quantity == 4
    assert outcome.messages[0]["refund_reference"] == order.refunds[-1].reference


def test_more_items_update_the_line_without_a_refund() -> None:
    tracker = make_tracker(
        {"order_id": "104501", "email": ADA, "order_item": "MUG-SAGE", "new_quantity": "5", "change_confirmed": True}
    )

    outcome = run(ActionChangeOrder(), tracker)

    assert outcome.responses == ["utter_order_changed"]
    assert stored(104501).line_for("MUG-SAGE").quantity == 5
    assert stored(104501).refunds == []


def test_the_item_can_be_named_in_words() -> None:
    form = ValidateChangeOrderForm()
    tracker = make_tracker({"order_id": "104513", "email": EILIDH}, active_loop="change_order_form")
    with open_session() as session:
        product_name = session.get(Order, 104513).line_for("MUG-SAGE").product.name

    result = form.validate_order_item(f"the {product_name.lower()} please", CollectingDispatcher(), tracker, DOMAIN)

    assert result == {"order_item": "MUG-SAGE"}


def test_quantities_are_read_from_digits_and_words() -> None:
    assert parse_quantity("3") == 3
    assert parse_quantity("x2") == 2
    assert parse_quantity("three please") == 3
    assert parse_quantity("remove it") == 0
    assert parse_quantity("lots") is None


def test_a_click_and_collect_order_has_no_address_to_change() -> None:
    tracker = make_tracker(
        {"order_id": "104509", "email": "catrin.llewellyn@example.org",
         "shipping_address": "1 New Street, Fernbay FB1 1AA", "address_confirmed": True}
    )

    assert run(ActionChangeShippingAddress(), tracker).responses == ["utter_address_collection_order"]

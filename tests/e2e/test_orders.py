"""Orders, refunds, invoices and the newsletter, end to end against the seeded demo shop.

Conversations are typed the way customers type; the database is checked afterwards, because a
reply saying "done" is only true if the record changed.
"""

from __future__ import annotations

from sqlalchemy import select

from bot.store.database import open_session
from bot.store.shop_records import Customer, Order, OrderStatus, RefundStatus
from tests.running import Candor, Chat

ADA = "ada.thornbury@example.com"


def order(candor: Candor, number: int) -> Order:
    with open_session(candor.database_url) as session:
        found = session.get(Order, number)
        _ = found.refunds, found.lines
        return found


def test_tracking_asks_for_the_email_then_gives_the_courier_and_tracking_number(chat: Chat) -> None:
    chat.say("hi")
    question = chat.say_text("where is my order 104502").lower()
    answer = chat.say_text(ADA)

    assert "email" in question
    assert "Parcelwise" in answer and "PW4821093761" in answer


def test_a_wrong_email_reveals_nothing_about_the_order(chat: Chat) -> None:
    chat.say("track order 104502")
    answer = chat.say_text("bilal.okafor@example.com").lower()

    assert "couldn't find order 104502 for that email" in answer
    assert "parcelwise" not in answer


def test_cancelling_asks_for_the_accounts_postcode_and_a_yes_then_cancels_and_refunds(candor: Candor, chat: Chat) -> None:
    chat.say("I need to cancel order 104501")
    question = chat.say_text("ada.thornbury@example.com")
    confirmation = chat.say("AC1 4RT")
    done = chat.say_text("yes").lower()

    assert "postcode on the account that placed order 104501" in question
    assert "can't be undone" in confirmation[0]["text"]
    assert [button["payload"] for button in confirmation[0]["buttons"]] == ["/affirm", "/deny"]
    assert "cancelled" in done
    cancelled = order(candor, 104501)
    assert cancelled.status is OrderStatus.CANCELLED
    assert [refund.status for refund in cancelled.refunds] == [RefundStatus.APPROVED]


def test_saying_no_to_cancelling_changes_nothing(candor: Candor, chat: Chat) -> None:
    chat.say("cancel my order 104513")
    chat.say("eilidh.macrae@example.org")
    chat.say("HV1 6JS")
    answer = chat.say_text("no").lower()

    assert "haven't cancelled" in answer
    assert order(candor, 104513).status is OrderStatus.PROCESSING


def test_a_dispatched_order_cannot_be_cancelled_and_the_customer_is_told_why(chat: Chat) -> None:
    chat.say("please cancel order 104517")
    answer = chat.say_text("grace.whitlock@example.com").lower()

    assert "can't be cancelled" in answer


def test_a_refund_for_a_recent_delivery_is_requested_after_a_yes(candor: Candor, chat: Chat) -> None:
    chat.say("I want a refund for order 104503")
    chat.say(ADA)
    answer = chat.say_text("yes please").lower()

    assert "asked for a refund" in answer
    assert [refund.status for refund in order(candor, 104503).refunds] == [RefundStatus.REQUESTED]


def test_a_refund_outside_the_returns_window_is_refused_without_asking(chat: Chat) -> None:
    chat.say("i want my money back for 104504")
    answer = chat.say_text(ADA).lower()

    assert "outside our returns period" in answer


def test_refund_status_is_read_from_the_refund_record(chat: Chat) -> None:
    chat.say("where is my refund for order 104510")
    answer = chat.say_text("dev.raman@example.com")

    assert "RF-000102" in answer and "paid" in answer


def test_the_invoice_shows_lines_and_vat(chat: Chat) -> None:
    chat.say("can I get the invoice for order 104525")
    replies = chat.say("grace.whitlock@example.com")

    [invoice] = [reply["custom"]["invoice"] for reply in replies if "custom" in reply]
    assert "VAT" in replies[0]["text"]
    assert len(invoice["lines"]) == 3


def test_changing_the_delivery_address_asks_for_the_postcode_then_shows_both_addresses(candor: Candor, chat: Chat) -> None:
    chat.say("I need to change the delivery address for order 104513")
    chat.say("eilidh.macrae@example.org")
    question = chat.say_text("14 Harbour Row, Fernbay FB2 7QD")
    confirmation = chat.say_text("HV1 6JS")
    chat.say("yes")

    assert "postcode on the account that placed order 104513" in question
    assert "14 Harbour Row" in confirmation and "instead of" in confirmation
    assert order(candor, 104513).shipping_address == "14 Harbour Row, Fernbay FB2 7QD"


def test_changing_a_quantity_lists_the_items_and_confirms_the_new_total(candor: Candor, chat: Chat) -> None:
    chat.say("I'd like to change something in my order 104513")
    items = chat.say("eilidh.macrae@example.org")
    mug = next(b for b in items[-1]["buttons"] if "MUG-SAGE" in b["payload"])
    chat.say(mug["payload"])
    confirmation = chat.say_text("3")
    chat.say("yes")

    assert "new order total" in confirmation
    line = next(line for line in order(candor, 104513).lines if line.sku == "MUG-SAGE")
    assert line.quantity == 3


def test_unsubscribing_from_the_newsletter_updates_the_customer(candor: Candor, chat: Chat) -> None:
    chat.say("please take me off your newsletter")
    chat.say('/inform{"newsletter_choice": "unsubscribe"}')
    answer = chat.say_text(ADA).lower()

    assert "won't get our newsletter" in answer
    with open_session(candor.database_url) as session:
        customer = session.execute(select(Customer).where(Customer.email == ADA)).scalar_one()
        assert customer.newsletter_opt_in is False

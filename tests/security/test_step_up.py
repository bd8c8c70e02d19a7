"""Finding 2 of issue 14, in the assistant: nothing irreversible happens without proving identity again.

Once a customer had signed in (or an order's number and email had been given), whoever held the
conversation could have the customer's data sent to them, erase it, cancel an order or send it to
another address. Each of these now asks for the postcode on the account in the same form, just
before it happens, unless it was proven in that same request a moment ago.
"""

from __future__ import annotations

import pytest

from actions.data_rights import ActionFulfilDataRequest
from actions.delivery_address import ActionChangeShippingAddress, ValidateAddressChangeForm
from actions.identity import ValidateDataRequestForm
from actions.orders import ActionCancelOrder, ValidateCancelOrderForm
from bot.store.database import open_session
from bot.store.shop_records import Customer, Order, OrderStatus
from tests.actions.forms import FormConversation

pytestmark = pytest.mark.usefixtures("shop_database")

ADA = {"number": "C10001", "email": "ada.thornbury@example.com", "postcode": "AC1 4RT", "id": 1}
SOMEONE_ELSES_POSTCODE = "FB2 7LN"
NEW_ADDRESS = "14 Harbour Row, Fernbay FB2 7QD"


def signed_in(conversation_id: str = "chat-ada") -> FormConversation:
    """A conversation in which Ada signed in properly, a while ago."""
    conversation = FormConversation("data_request_form", ValidateDataRequestForm(), sender_id=conversation_id)
    conversation.start("identify", data_request="identify")
    conversation.answer(ADA["number"])
    conversation.answer(ADA["postcode"])
    conversation.submit(ActionFulfilDataRequest())
    assert conversation.slots["customer_id"] == str(ADA["id"])
    return conversation


def then(conversation: FormConversation, form: str, validation) -> FormConversation:
    """The same conversation, now in another form."""
    return FormConversation(form, validation, conversation.sender_id, conversation.slots, conversation.events)


def answer_as_an_intruder(conversation: FormConversation) -> None:
    """Whoever holds the conversation says yes to everything but does not know the postcode."""
    answers = {"erase_confirmed": True, "cancel_confirmed": True, "address_confirmed": True, "shipping_address": NEW_ADDRESS}
    for _ in range(10):
        if not conversation.active:
            return
        conversation.answer(answers.get(conversation.requested, SOMEONE_ELSES_POSTCODE))
    raise AssertionError(f"{conversation.form} kept asking for {conversation.requested}")


def order(number: int) -> Order:
    with open_session() as session:
        return session.get(Order, number)


def test_send_me_my_data_after_signing_in_asks_for_the_postcode_again() -> None:
    conversation = signed_in()

    turn = conversation.start("export_my_data", data_request="export")

    assert turn.requested == "step_up_postcode"


def test_an_intruder_in_a_signed_in_conversation_gets_no_export() -> None:
    conversation = signed_in()
    conversation.start("export_my_data", data_request="export")
    answer_as_an_intruder(conversation)

    outcome = conversation.submit(ActionFulfilDataRequest())

    assert "utter_data_export" not in outcome.responses
    assert [message["custom"] for message in outcome.messages if message.get("custom")] == []


def test_an_intruder_in_a_signed_in_conversation_cannot_erase_the_customer() -> None:
    conversation = signed_in()
    conversation.start("delete_my_data", data_request="erase")
    answer_as_an_intruder(conversation)

    outcome = conversation.submit(ActionFulfilDataRequest())

    assert "utter_erased" not in outcome.responses
    with open_session() as session:
        assert session.get(Customer, ADA["id"]).email == ADA["email"]


def test_erasing_asks_for_the_postcode_before_the_yes() -> None:
    conversation = signed_in()

    turn = conversation.start("delete_my_data", data_request="erase")

    assert turn.requested == "step_up_postcode"


def test_an_intruder_in_a_signed_in_conversation_cannot_cancel_an_order() -> None:
    conversation = then(signed_in(), "cancel_order_form", ValidateCancelOrderForm())
    conversation.start("cancel_order", order_id="104501", email=ADA["email"])
    answer_as_an_intruder(conversation)

    conversation.submit(ActionCancelOrder())

    assert order(104501).status is OrderStatus.PLACED


def test_an_order_number_and_email_are_not_enough_to_cancel() -> None:
    conversation = FormConversation("cancel_order_form", ValidateCancelOrderForm(), sender_id="knows-the-email")
    conversation.start("cancel_order", order_id="104501")
    turn = conversation.answer(ADA["email"])

    assert turn.requested == "step_up_postcode"


def test_an_intruder_cannot_send_an_order_to_another_address() -> None:
    conversation = then(signed_in(), "address_change_form", ValidateAddressChangeForm())
    conversation.start("change_shipping_address", order_id="104501", email=ADA["email"])
    answer_as_an_intruder(conversation)

    conversation.submit(ActionChangeShippingAddress())

    assert order(104501).shipping_address != NEW_ADDRESS


def test_a_yes_reaching_the_cancel_action_without_a_fresh_check_cancels_nothing() -> None:
    # Defence in depth: even if a story skipped the form's question, the action itself checks.
    conversation = then(signed_in(), "cancel_order_form", ValidateCancelOrderForm())
    conversation.slots.update(order_id="104501", cancel_confirmed=True)

    conversation.submit(ActionCancelOrder())

    assert order(104501).status is OrderStatus.PLACED


def test_an_export_reaching_the_action_without_a_fresh_check_sends_nothing() -> None:
    conversation = signed_in()
    conversation.slots.update(data_request="export")

    outcome = conversation.submit(ActionFulfilDataRequest())

    assert "utter_data_export" not in outcome.responses

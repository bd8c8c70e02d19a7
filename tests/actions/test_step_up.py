"""Export, erase, cancel and address changes ask for the account's postcode again, just before they happen."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from actions.data_rights import ActionFulfilDataRequest
from actions.delivery_address import ActionChangeShippingAddress, ValidateAddressChangeForm
from actions.identity import ValidateDataRequestForm
from actions.orders import ActionCancelOrder, ValidateCancelOrderForm
from actions.step_up import ActionAskStepUpPostcode, proven_in_this_request
from bot.policy import current_policy
from bot.store.database import open_session
from bot.store.shop_records import Order, OrderStatus
from bot.store.sign_ins import SignInFailures, customer_subject, record_failure
from tests.actions.conftest import make_tracker, run
from tests.actions.forms import FormConversation

ADA_EMAIL, ADA_POSTCODE = "ada.thornbury@example.com", "ac1 4rt"
WRONG = "FB2 7LN"
NEW_ADDRESS = "14 Harbour Row, Fernbay FB2 7QD"


def signed_in() -> FormConversation:
    conversation = FormConversation("data_request_form", ValidateDataRequestForm(), sender_id="chat-ada")
    conversation.start("identify", data_request="identify")
    conversation.answer("C10001")
    conversation.answer(ADA_POSTCODE)
    conversation.submit(ActionFulfilDataRequest())
    return conversation


def in_form(conversation: FormConversation, form: str, validation) -> FormConversation:
    return FormConversation(form, validation, conversation.sender_id, conversation.slots, conversation.events)


def stored(number: int) -> Order:
    with open_session() as session:
        return session.get(Order, number)


def slot(name: str, value) -> dict:
    return {"event": "slot", "name": name, "value": value}


def loop(name) -> dict:
    return {"event": "active_loop", "name": name}


def test_a_proof_counts_only_in_the_run_of_the_form_it_was_given_in() -> None:
    def proven(*events) -> bool:
        return proven_in_this_request(make_tracker(events=list(events)), "cancel_order_form")

    assert proven(loop("cancel_order_form"), slot("identity_rechecked", True))
    assert proven(loop("cancel_order_form"), slot("identity_rechecked", True), loop(None))  # the submit action, after
    assert not proven(slot("identity_rechecked", True), loop("cancel_order_form"))  # given before this run
    assert not proven(loop("data_request_form"), slot("identity_rechecked", True), loop(None))  # another form's
    assert not proven(loop("cancel_order_form"), slot("identity_rechecked", True), slot("identity_rechecked", None))  # used up
    assert not proven(slot("identity_rechecked", True))  # no form at all


def test_signing_in_within_the_request_is_proof_enough_for_the_export() -> None:
    conversation = FormConversation("data_request_form", ValidateDataRequestForm())
    conversation.start("export_my_data", data_request="export")
    conversation.answer(ADA_EMAIL)
    turn = conversation.answer(ADA_POSTCODE)

    assert turn.requested is None
    assert conversation.submit(ActionFulfilDataRequest()).responses == ["utter_data_export"]


def test_the_right_postcode_sends_the_export_and_is_used_up_by_it() -> None:
    conversation = signed_in()
    assert conversation.start("export_my_data", data_request="export").requested == "step_up_postcode"
    assert conversation.answer(ADA_POSTCODE).requested is None

    outcome = conversation.submit(ActionFulfilDataRequest())

    assert outcome.responses == ["utter_data_export"]
    assert outcome.slot("identity_rechecked") is None
    assert conversation.start("export_my_data", data_request="export").requested == "step_up_postcode"


def test_erasure_asks_for_the_postcode_then_for_the_yes() -> None:
    conversation = signed_in()
    conversation.start("delete_my_data", data_request="erase")

    assert conversation.answer(ADA_POSTCODE).requested == "erase_confirmed"
    assert conversation.answer(True).requested is None
    assert conversation.submit(ActionFulfilDataRequest()).responses == ["utter_erased"]


def test_a_wrong_postcode_is_said_and_asked_again_until_the_request_runs_out_of_tries() -> None:
    conversation = signed_in()
    conversation.start("export_my_data", data_request="export")
    turns = [conversation.answer(WRONG) for _ in range(current_policy().identity.attempts_per_request)]

    assert [turn.responses for turn in turns[:-1]] == [["utter_step_up_not_matched"]] * (len(turns) - 1)
    assert all(turn.requested == "step_up_postcode" for turn in turns[:-1])
    assert turns[-1].requested is None and turns[-1].responses == []
    outcome = conversation.submit(ActionFulfilDataRequest())
    assert outcome.responses in (["utter_step_up_exhausted"], ["utter_identity_wait"])
    assert not any(message.get("custom") for message in outcome.messages)


def test_while_the_account_must_wait_the_postcode_is_not_even_asked_for() -> None:
    conversation = signed_in()
    with open_session() as session:
        for _ in range(current_policy().identity.free_failures):
            record_failure(session, customer_subject(1), datetime.now(timezone.utc), current_policy().identity)

    assert conversation.start("export_my_data", data_request="export").requested is None
    outcome = conversation.submit(ActionFulfilDataRequest())
    assert outcome.responses == ["utter_identity_wait"]
    assert outcome.messages[0]["wait"] == "1 minute"


def test_cancelling_asks_for_the_postcode_then_the_yes_and_then_cancels() -> None:
    conversation = FormConversation("cancel_order_form", ValidateCancelOrderForm(), sender_id="knows-the-order")
    conversation.start("cancel_order", order_id="104501")

    assert conversation.answer(ADA_EMAIL).requested == "step_up_postcode"
    assert conversation.answer(ADA_POSTCODE).requested == "cancel_confirmed"
    assert conversation.answer(True).requested is None
    assert conversation.submit(ActionCancelOrder()).responses == ["utter_order_cancelled"]
    assert stored(104501).status is OrderStatus.CANCELLED


def test_a_wrong_postcode_for_a_cancellation_keeps_the_order() -> None:
    conversation = in_form(signed_in(), "cancel_order_form", ValidateCancelOrderForm())
    conversation.start("cancel_order", order_id="104501", email=ADA_EMAIL)
    while conversation.active:
        conversation.answer(WRONG)

    outcome = conversation.submit(ActionCancelOrder())

    assert outcome.responses in (["utter_step_up_exhausted"], ["utter_identity_wait"])
    assert stored(104501).status is OrderStatus.PLACED


def test_a_dispatched_order_is_explained_without_asking_for_the_postcode() -> None:
    conversation = FormConversation("cancel_order_form", ValidateCancelOrderForm())
    conversation.start("cancel_order", order_id="104502")

    assert conversation.answer(ADA_EMAIL).requested is None
    assert conversation.submit(ActionCancelOrder()).responses == ["utter_order_cannot_be_cancelled"]


def test_a_new_address_is_asked_for_then_the_postcode_then_the_yes() -> None:
    conversation = FormConversation("address_change_form", ValidateAddressChangeForm())
    conversation.start("change_shipping_address", order_id="104513")

    assert conversation.answer("eilidh.macrae@example.org").requested == "shipping_address"
    assert conversation.answer(NEW_ADDRESS).requested == "step_up_postcode"
    assert conversation.answer("HV1 6JS").requested == "address_confirmed"
    assert conversation.answer(True).requested is None
    assert conversation.submit(ActionChangeShippingAddress()).responses == ["utter_address_changed"]
    assert stored(104513).shipping_address == NEW_ADDRESS


def test_while_the_account_must_wait_no_new_address_is_asked_for() -> None:
    with open_session() as session:
        session.add(SignInFailures(subject=customer_subject(5), failures=9, last_failed_at=datetime.now(timezone.utc),
                                   retry_at=datetime.now(timezone.utc) + timedelta(minutes=30)))
    conversation = FormConversation("address_change_form", ValidateAddressChangeForm())
    conversation.start("change_shipping_address", order_id="104513")

    assert conversation.answer("eilidh.macrae@example.org").requested is None
    outcome = conversation.submit(ActionChangeShippingAddress())
    assert outcome.responses == ["utter_identity_wait"] and outcome.messages[0]["wait"] == "30 minutes"


def test_the_question_names_the_order_when_there_is_one() -> None:
    for_order = run(ActionAskStepUpPostcode(), make_tracker({"order_id": "104501"}, active_loop="cancel_order_form"))
    for_data = run(ActionAskStepUpPostcode(), make_tracker({"order_id": "104501"}, active_loop="data_request_form"))

    assert for_order.responses == ["utter_ask_step_up_postcode_for_order"]
    assert for_order.messages[0]["order_id"] == "104501"
    assert for_data.responses == ["utter_ask_step_up_postcode"]


def test_a_re_check_the_policy_does_not_ask_for_is_not_asked(monkeypatch) -> None:
    rules = current_policy().identity.copy(update={"step_up": ["erase"]})
    monkeypatch.setattr("actions.step_up.identity_rules", lambda: rules)
    conversation = signed_in()

    assert conversation.start("export_my_data", data_request="export").requested is None
    assert conversation.submit(ActionFulfilDataRequest()).responses == ["utter_data_export"]

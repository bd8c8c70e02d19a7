"""Each data right is one message away in chat, and says plainly what it changed."""

from __future__ import annotations

from datetime import datetime, timezone

from bot.privacy.consent import ConsentState, Where, consent_state, record_decision
from bot.privacy.history import ORDER_HISTORY
from bot.store.database import open_session
from bot.store.shop_records import Customer
from actions.data_rights import ERASE_CONVERSATION_SLOT, ActionFulfilDataRequest
from tests.actions.conftest import make_tracker, rechecked_in, run

SIGNED_IN = {"customer_id": "1"}


def fulfil(request: str, **slots):
    """The action at the end of a data request in which the signed-in customer gave their postcode again."""
    tracker = make_tracker(
        slots={**SIGNED_IN, "data_request": request, **slots}, events=rechecked_in("data_request_form"), sender_id="chat-1"
    )
    return run(ActionFulfilDataRequest(), tracker)


def grant() -> None:
    with open_session() as session:
        record_decision(session, 1, ORDER_HISTORY, True, datetime.now(timezone.utc), Where("rest", "chat-1"))


def test_signing_in_is_confirmed_with_the_customer_number():
    outcome = fulfil("identify")
    assert outcome.responses == ["utter_identified"]
    assert outcome.messages[0]["customer_number"] == "C10001"


def test_stop_using_my_history_withdraws_at_once():
    grant()
    outcome = fulfil("withdraw", order_id="104502")

    assert outcome.responses == ["utter_consent_withdrawn"]
    assert outcome.slot("history_consent") is None
    assert outcome.slot("order_id") is None  # it may have been picked from the history
    with open_session() as session:
        assert consent_state(session, 1, ORDER_HISTORY, datetime.now(timezone.utc)) is ConsentState.WITHDRAWN


def test_withdrawing_when_nothing_was_agreed_says_so():
    assert fulfil("withdraw").responses == ["utter_consent_not_in_force"]


def test_what_do_you_know_about_me_gets_a_summary():
    outcome = fulfil("show")
    assert outcome.responses == ["utter_data_summary"]
    assert "customer C10001" in outcome.messages[0]["summary"]


def test_send_me_my_data_attaches_a_json_export():
    outcome = fulfil("export")

    assert outcome.responses == ["utter_data_export"]
    attachment = outcome.messages[0]["custom"]
    assert attachment["type"] == "data_export" and attachment["media_type"] == "application/json"
    assert attachment["data"]["profile"]["customer_number"] == "C10001"


def test_delete_my_data_after_a_yes_erases_and_clears_the_conversation():
    outcome = fulfil("erase", erase_confirmed=True)

    assert outcome.responses == ["utter_erased"]
    assert outcome.messages[0]["reference"].startswith("ER-")
    assert {"event": "reset_slots"} in outcome.events
    assert outcome.slot(ERASE_CONVERSATION_SLOT) is True
    with open_session() as session:
        assert session.get(Customer, 1).email.endswith("@erased.invalid")


def test_delete_my_data_after_a_no_changes_nothing():
    outcome = fulfil("erase", erase_confirmed=False)

    assert outcome.responses == ["utter_erase_cancelled"]
    with open_session() as session:
        assert session.get(Customer, 1).email == "ada.thornbury@example.com"


def test_a_customer_who_could_not_prove_who_they_are_is_told_so_and_offered_a_person():
    outcome = run(ActionFulfilDataRequest(), make_tracker(slots={"data_request": "show", "identity_failures": 3}))
    assert outcome.responses == ["utter_identity_attempts_exhausted"]

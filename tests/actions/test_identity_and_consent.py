"""Signing in to the chat, and consent asked before an identified customer's orders are used."""

from __future__ import annotations

import asyncio
import hashlib
from datetime import datetime, timezone

from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions.consent import ActionAskHistoryConsent, ActionAskOrderId
from actions.identity import ValidateDataRequestForm
from actions.orders import ValidateTrackOrderForm
from bot.policy import current_policy
from bot.privacy.consent import Where, record_decision
from bot.privacy.history import ORDER_HISTORY
from bot.store.consent import ConsentDecision, ConsentRecord
from bot.store.database import open_session
from bot.store.privacy import CustomerConversation
from tests.actions.conftest import DOMAIN, make_tracker, run

ADA_ID = "1"
ATTEMPTS = current_policy().identity.attempts_per_request


def check_postcode(postcode: str, claim: str = "C10001", failures: float = 0) -> tuple[dict, list]:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(
        slots={"identity_claim": claim, "identity_failures": failures}, active_loop="data_request_form", sender_id="chat-7"
    )
    result = ValidateDataRequestForm().validate_identity_postcode(postcode, dispatcher, tracker, DOMAIN)
    return result, [m.get("response") for m in dispatcher.messages]


def required(slots: dict, form=ValidateDataRequestForm, active_loop="data_request_form") -> list:
    tracker = make_tracker(slots=slots, active_loop=active_loop)
    domain_slots = DOMAIN["forms"][active_loop]["required_slots"]
    return asyncio.run(form().required_slots(list(domain_slots), CollectingDispatcher(), tracker, DOMAIN))


def test_a_customer_number_and_the_accounts_postcode_sign_the_customer_in():
    result, said = check_postcode(" ac1 4rt ")

    assert result["customer_id"] == ADA_ID
    assert result["email"] == "ada.thornbury@example.com"  # so order forms need not ask for it
    assert result["identity_claim"] is None and result["identity_postcode"] is None
    assert said == []
    with open_session() as session:
        links = session.execute(select(CustomerConversation.conversation_id)).scalars().all()
    assert links == ["chat-7"]


def test_an_email_works_as_well_as_a_customer_number():
    result, _ = check_postcode("AC1 4RT", claim="ada.thornbury@example.com")
    assert result["customer_id"] == ADA_ID


def test_a_wrong_postcode_and_an_unknown_customer_get_the_same_answer():
    wrong_postcode = check_postcode("FB2 7LN")
    unknown_customer = check_postcode("AC1 4RT", claim="C99999")

    assert wrong_postcode == unknown_customer
    assert wrong_postcode[0] == {"identity_claim": None, "identity_postcode": None, "identity_failures": 1}
    assert wrong_postcode[1] == ["utter_identity_not_matched"]


def test_after_too_many_wrong_tries_in_one_request_the_form_stops_asking():
    result, said = check_postcode("FB2 7LN", failures=ATTEMPTS - 1)

    assert result["identity_failures"] == ATTEMPTS
    assert said == []  # the submit action explains, and offers a person
    assert required({"identity_failures": ATTEMPTS}) == []


def test_a_claim_must_look_like_an_email_or_a_customer_number():
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(active_loop="data_request_form")
    form = ValidateDataRequestForm()

    assert form.validate_identity_claim("c10001", dispatcher, tracker, DOMAIN) == {"identity_claim": "C10001"}
    assert form.validate_identity_claim("bob", dispatcher, tracker, DOMAIN) == {"identity_claim": None}
    assert [m["response"] for m in dispatcher.messages] == ["utter_identity_claim_invalid"]


def test_a_signed_in_customer_is_asked_again_only_before_export_and_erasure():
    assert required({}) == ["identity_claim", "identity_postcode"]
    assert required({"customer_id": ADA_ID, "data_request": "show"}) == []
    assert required({"customer_id": ADA_ID, "data_request": "withdraw"}) == []
    assert required({"customer_id": ADA_ID, "data_request": "export"}) == ["step_up_postcode"]
    assert required({"customer_id": ADA_ID, "data_request": "erase"}) == ["step_up_postcode", "erase_confirmed"]


def test_consent_is_asked_when_an_identified_customer_has_not_decided():
    assert required({"customer_id": ADA_ID}, ValidateTrackOrderForm, "track_order_form") == ["history_consent", "order_id", "email"]


def test_consent_is_not_asked_of_anonymous_customers_or_when_the_order_number_is_known():
    assert required({}, ValidateTrackOrderForm, "track_order_form") == ["order_id", "email"]
    assert required({"customer_id": ADA_ID, "order_id": "104502"}, ValidateTrackOrderForm, "track_order_form") == ["order_id", "email"]


def test_a_no_is_not_asked_again():
    with open_session() as session:
        record_decision(session, 1, ORDER_HISTORY, False, datetime.now(timezone.utc), Where("rest", "c"))
    assert required({"customer_id": ADA_ID}, ValidateTrackOrderForm, "track_order_form") == ["order_id", "email"]


def test_the_question_is_the_policys_own_words_on_its_own():
    outcome = run(ActionAskHistoryConsent(), make_tracker(slots={"customer_id": ADA_ID}))

    assert len(outcome.messages) == 1
    assert outcome.worded()["text"] == current_policy().privacy.consent.request_text(ORDER_HISTORY)
    assert [b["payload"] for b in outcome.worded()["buttons"]] == ["/affirm", "/deny"]


def test_the_answer_goes_into_the_ledger_with_the_hash_of_those_words():
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(slots={"customer_id": ADA_ID}, active_loop="track_order_form", sender_id="chat-9")
    result = ValidateTrackOrderForm().validate_history_consent(True, dispatcher, tracker, DOMAIN)

    assert result == {"history_consent": True}
    assert [m["response"] for m in dispatcher.messages] == ["utter_consent_granted"]
    with open_session() as session:
        record = session.execute(select(ConsentRecord)).scalar_one()
    shown = current_policy().privacy.consent.request_text(ORDER_HISTORY)
    assert record.decision is ConsentDecision.GRANTED and record.conversation_id == "chat-9"
    assert record.wording_sha256 == hashlib.sha256(shown.encode()).hexdigest()


def test_with_consent_the_customer_picks_from_their_recent_orders():
    with open_session() as session:
        record_decision(session, 1, ORDER_HISTORY, True, datetime.now(timezone.utc), Where("rest", "c"))
    outcome = run(ActionAskOrderId(), make_tracker(slots={"customer_id": ADA_ID}, active_loop="track_order_form"))

    assert outcome.responses == ["utter_order_choice"]
    payloads = [button["payload"] for button in outcome.messages[0]["buttons"]]
    assert 1 <= len(payloads) <= 3 and all(p.startswith('/inform{"order_id": "1045') for p in payloads)


def test_without_consent_the_customer_is_asked_for_the_number():
    for slots in ({"customer_id": ADA_ID}, {}):
        outcome = run(ActionAskOrderId(), make_tracker(slots=slots, active_loop="track_order_form"))
        assert outcome.responses == ["utter_ask_order_id"]
        assert not outcome.messages[0].get("buttons")


def test_a_new_consent_version_in_the_policy_means_asking_again():
    older = current_policy().privacy.consent.copy(update={"version": "2025-01-01"})
    with open_session() as session:
        record_decision(session, 1, ORDER_HISTORY, True, datetime.now(timezone.utc), Where("rest", "c"), older)
    assert required({"customer_id": ADA_ID}, ValidateTrackOrderForm, "track_order_form")[0] == "history_consent"
    outcome = run(ActionAskOrderId(), make_tracker(slots={"customer_id": ADA_ID}, active_loop="track_order_form"))
    assert outcome.responses == ["utter_ask_order_id"]  # the old yes no longer opens the history

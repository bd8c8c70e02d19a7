"""An order is acted on only when its number and the email it was placed with belong together."""

from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher

from actions.orders import ValidateCancelOrderForm
from actions.verification import normalise_email
from tests.actions.conftest import DOMAIN, make_tracker

ADA = "ada.thornbury@example.com"


def validate(slot: str, value: str, slots: dict, just_set: tuple = ()) -> tuple[dict, list]:
    form = ValidateCancelOrderForm()
    dispatcher = CollectingDispatcher()
    events = [{"event": "user", "text": value, "parse_data": {}}]
    events += [{"event": "slot", "name": name, "value": slots.get(name)} for name in just_set]
    tracker = make_tracker(slots=slots, events=events, active_loop="cancel_order_form")
    result = getattr(form, f"validate_{slot}")(value, dispatcher, tracker, DOMAIN)
    return result, [m.get("response") for m in dispatcher.messages]


def test_an_order_number_must_have_six_digits() -> None:
    result, said = validate("order_id", "12345", {})

    assert result == {"order_id": None}
    assert said == ["utter_order_id_invalid"]


def test_a_hash_before_the_order_number_is_fine() -> None:
    result, said = validate("order_id", "#104501", {})

    assert result == {"order_id": "104501"}
    assert said == []


def test_the_matching_email_is_accepted_in_lower_case() -> None:
    result, said = validate("email", " Ada.Thornbury@Example.com ", {"order_id": "104501"})

    assert result == {"order_id": "104501", "email": ADA}
    assert said == []


def test_a_wrong_email_forgets_both_and_reveals_nothing() -> None:
    someone_elses, said_someone = validate("email", "bilal.okafor@example.com", {"order_id": "104501"})
    made_up, said_made_up = validate("email", ADA, {"order_id": "999999"})

    assert someone_elses == made_up == {"order_id": None, "email": None}
    assert said_someone == said_made_up == ["utter_order_not_matched"]


def test_number_and_email_given_together_are_checked_once() -> None:
    slots = {"order_id": "104501", "email": "bilal.okafor@example.com"}
    for_number, said_for_number = validate("order_id", "104501", slots, just_set=("order_id", "email"))
    for_email, said_for_email = validate("email", slots["email"], slots, just_set=("order_id", "email"))

    assert for_number == {"order_id": "104501"}
    assert said_for_number == []
    assert for_email == {"order_id": None, "email": None}
    assert said_for_email == ["utter_order_not_matched"]


def test_something_that_is_not_an_email_is_asked_for_again() -> None:
    result, said = validate("email", "ada at example dot com", {"order_id": "104501"})

    assert result == {"email": None}
    assert said == ["utter_email_invalid"]


def test_normalise_email_rejects_text_that_is_not_an_address() -> None:
    assert normalise_email("a@b.co") == "a@b.co"
    assert normalise_email("not an email") is None
    assert normalise_email("two@at@signs.com") is None

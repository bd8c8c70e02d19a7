"""The explain, describe and feedback actions: true to the record, from the policy, never a dead end."""

from __future__ import annotations

from actions.explain import ActionDescribeAssistant, ActionExplainDecision, ActionTakeFeedback
from bot.policy import current_policy
from tests.actions.conftest import make_tracker, run
from tests.explain.events import action, asks_why, bot, listen, session_start, user


def test_why_is_answered_in_words_and_as_data_for_the_widget() -> None:
    events = [*session_start(), user("greet", 0.98, [("greet", 0.98)]), action("utter_greet"), bot("utter_greet"), listen(), *asks_why()]

    outcome = run(ActionExplainDecision(), make_tracker(intent="ask_why", events=events))

    [_] = outcome.messages
    message = outcome.worded()
    assert "I understood that you were saying hello." in message["text"]
    assert message["custom"]["explanation"]["intent"] == "greet"
    assert message["custom"]["explanation"]["confidence"] == 0.98
    assert [button["payload"] for button in message["buttons"]] == ["/report_wrong_answer", "/contact_human_agent"]


def _greeted_then_asked_about_delivery() -> list:
    return [
        *session_start(),
        user("greet", 0.98, message_id="hello"),
        action("utter_greet"),
        bot("utter_greet"),
        listen(),
        user("delivery_options", 0.81, message_id="delivery"),
        action("utter_delivery_options"),
        bot("utter_delivery_options"),
        listen(),
    ]


def test_why_on_an_older_answer_explains_that_answer_not_the_latest() -> None:
    events = [*_greeted_then_asked_about_delivery(), *asks_why(about="hello")]

    outcome = run(ActionExplainDecision(), make_tracker(intent="ask_why", events=events))

    assert outcome.messages[0]["custom"]["explanation"]["intent"] == "greet"


def test_why_naming_a_message_that_is_not_in_the_conversation_explains_the_latest_answer() -> None:
    events = [*_greeted_then_asked_about_delivery(), *asks_why(about="someone-elses-message")]

    outcome = run(ActionExplainDecision(), make_tracker(intent="ask_why", events=events))

    assert outcome.messages[0]["custom"]["explanation"]["intent"] == "delivery_options"


def test_that_is_wrong_on_an_older_answer_flags_that_answer() -> None:
    events = [
        *_greeted_then_asked_about_delivery(),
        user("report_wrong_answer", 0.95, message_id="wrong", metadata={"about": {"message_id": "hello"}}),
    ]
    outcome = run(ActionTakeFeedback(), make_tracker(intent="report_wrong_answer", events=events))
    assert outcome.messages[0]["review"] == {"flagged_message_id": "hello"}


def test_why_before_any_answer_says_there_is_nothing_to_explain() -> None:
    outcome = run(ActionExplainDecision(), make_tracker(intent="ask_why", events=asks_why()))
    assert outcome.responses == ["utter_nothing_to_explain"]


def test_what_it_can_do_comes_from_the_policy_file() -> None:
    policy = current_policy()
    outcome = run(ActionDescribeAssistant(), make_tracker(intent="ask_capabilities"))
    text = outcome.worded()["text"]
    assert policy.assistant.purpose in text and policy.assistant.can[0] in text
    assert 'write "person"' in text


def test_what_it_cannot_do_lists_the_limits_and_the_way_to_a_person() -> None:
    outcome = run(ActionDescribeAssistant(), make_tracker(intent="ask_limits"))
    text = outcome.worded()["text"]
    assert all(limit in text for limit in current_policy().assistant.cannot)
    assert current_policy().handoff.hours.describe() in text


def test_how_it_works_says_it_is_automated_and_how_data_is_kept() -> None:
    outcome = run(ActionDescribeAssistant(), make_tracker(intent="ask_how_it_works"))
    text = outcome.worded()["text"]
    assert "not a person" in text
    assert f"{current_policy().privacy.retention.conversations_days} days" in text
    assert current_policy().assistant.how_it_works[-1] in text


def test_that_is_wrong_apologises_offers_a_person_and_names_the_turn_to_review() -> None:
    events = [
        *session_start(),
        user("delivery_options", 0.64, message_id="asked-about-returns"),
        action("utter_delivery_options"),
        bot("utter_delivery_options"),
        listen(),
        user("report_wrong_answer", 0.95, message_id="says-wrong"),
    ]
    outcome = run(ActionTakeFeedback(), make_tracker(intent="report_wrong_answer", events=events))
    [message] = outcome.messages
    assert message["response"] == "utter_wrong_answer_noted"
    assert message["review"] == {"flagged_message_id": "asked-about-returns"}


def test_that_is_wrong_after_an_explanation_still_flags_the_answer_explained() -> None:
    events = [
        *session_start(),
        user("delivery_options", 0.64, message_id="the-answer"),
        action("utter_delivery_options"),
        bot("utter_delivery_options"),
        listen(),
        *asks_why(),
        action("action_explain_decision", policy="policy_1_AnytimePolicy"),
        bot(),
        listen(),
        user("report_wrong_answer", 1.0, message_id="button"),
    ]
    outcome = run(ActionTakeFeedback(), make_tracker(intent="report_wrong_answer", events=events))
    assert outcome.messages[0]["review"] == {"flagged_message_id": "the-answer"}


def test_inside_a_form_feedback_lets_the_form_carry_on() -> None:
    outcome = run(ActionTakeFeedback(), make_tracker(intent="report_wrong_answer", active_loop="track_order_form"))
    assert outcome.responses == ["utter_wrong_answer_noted_in_form"]
    assert outcome.events == []

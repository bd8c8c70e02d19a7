"""HumanHandoffPolicy: a person on the first ask from any state, and no automation while waiting."""

from __future__ import annotations

from typing import Optional

import pytest
from rasa.core.policies.ensemble import DefaultPolicyPredictionEnsemble
from rasa.core.policies.policy import PolicyPrediction
from rasa.shared.core.events import ActionExecuted, ActiveLoop, Event, SlotSet
from rasa.shared.core.trackers import DialogueStateTracker

from bot.components.handoff_policy import HumanHandoffPolicy
from tests.unit.dialogue import DOMAIN, create_policy, predicted, tracker, user


@pytest.fixture
def policy(tmp_path) -> HumanHandoffPolicy:
    return create_policy(HumanHandoffPolicy, tmp_path)


def test_a_request_for_a_person_is_answered_by_the_handoff_action(policy: HumanHandoffPolicy) -> None:
    assert predicted(policy, tracker(user("contact_human_agent"))) == "action_request_human"


def test_a_request_for_a_person_wins_inside_a_form(policy: HumanHandoffPolicy) -> None:
    in_form = tracker(
        user("cancel_order"), ActionExecuted("cancel_order_form"), ActiveLoop("cancel_order_form"),
        SlotSet("requested_slot", "order_id"), ActionExecuted("action_listen"), user("contact_human_agent"),
    )
    form_continues = PolicyPrediction.for_action_name(DOMAIN, "cancel_order_form", "RulePolicy")
    form_continues.is_no_user_prediction = True  # how RulePolicy keeps a form running
    form_continues.policy_priority = 6
    ours = policy.predict_action_probabilities(in_form, DOMAIN)

    best = DefaultPolicyPredictionEnsemble._pick_best_policy([form_continues, ours])

    assert DOMAIN.action_names_or_texts[best.max_confidence_index] == "action_request_human"


def test_while_waiting_for_a_person_every_message_goes_to_the_waiting_action(policy: HumanHandoffPolicy) -> None:
    for intent in ("track_order", "greet", "nlu_fallback", "contact_human_agent", "stop"):
        waiting = tracker(user(intent), slots={"handoff_status": "waiting"})
        assert predicted(policy, waiting) == "action_handoff_waiting", intent


def test_after_its_own_actions_the_assistant_listens(policy: HumanHandoffPolicy) -> None:
    after_request = tracker(user("contact_human_agent"), ActionExecuted("action_request_human"))
    after_waiting = tracker(user("greet"), ActionExecuted("action_handoff_waiting"), slots={"handoff_status": "waiting"})

    assert predicted(policy, after_request) == "action_listen"
    assert predicted(policy, after_waiting) == "action_listen"


@pytest.mark.parametrize(
    "intent, action",
    [("distress", "action_respond_to_distress"), ("self_harm_check", "action_ask_about_self_harm")],
    ids=["distress is answered with care", "a possible self-harm signal is asked about"],
)
def test_the_detectors_intents_are_answered_from_any_state_even_in_the_queue(
    policy: HumanHandoffPolicy, intent: str, action: str
) -> None:
    in_form = tracker(
        user("cancel_order"), ActionExecuted("cancel_order_form"), ActiveLoop("cancel_order_form"),
        SlotSet("requested_slot", "order_id"), ActionExecuted("action_listen"), user(intent),
    )
    waiting = tracker(user(intent), slots={"handoff_status": "waiting"})

    assert predicted(policy, tracker(user(intent))) == action
    assert predicted(policy, in_form) == action
    assert predicted(policy, waiting) == action


def test_after_answering_distress_the_assistant_listens(policy: HumanHandoffPolicy) -> None:
    assert predicted(policy, tracker(user("distress"), ActionExecuted("action_respond_to_distress"))) == "action_listen"


def test_other_messages_are_left_to_the_other_policies(policy: HumanHandoffPolicy) -> None:
    assert predicted(policy, tracker(user("track_order"))) is None
    assert predicted(policy, tracker(user("greet"), ActionExecuted("utter_greet"))) is None


def test_its_priority_is_above_every_rule(policy: HumanHandoffPolicy) -> None:
    assert policy.priority > 6  # RulePolicy's


def after_the_self_harm_question(*then: Event, slots: Optional[dict] = None) -> DialogueStateTracker:
    """A possible self-harm signal was asked about directly; then `then`."""
    return tracker(
        user("self_harm_check"), ActionExecuted("action_ask_about_self_harm"), ActionExecuted("action_listen"), *then,
        slots=slots,
    )


def test_after_asking_about_self_harm_the_assistant_listens(policy: HumanHandoffPolicy) -> None:
    asked = tracker(user("self_harm_check"), ActionExecuted("action_ask_about_self_harm"))

    assert predicted(policy, asked) == "action_listen"


@pytest.mark.parametrize("answer", ["affirm", "deny"])
def test_a_yes_or_no_to_the_self_harm_question_is_answered_from_any_state(policy: HumanHandoffPolicy, answer: str) -> None:
    assert predicted(policy, after_the_self_harm_question(user(answer))) == "action_answer_self_harm_check"
    # A "yes" from someone already waiting for a person still gets crisis resources, not the queue's reply.
    waiting = after_the_self_harm_question(user(answer), slots={"handoff_status": "waiting"})
    assert predicted(policy, waiting) == "action_answer_self_harm_check"


def test_yes_and_no_mean_the_self_harm_question_only_right_after_it(policy: HumanHandoffPolicy) -> None:
    later = after_the_self_harm_question(user("greet"), ActionExecuted("utter_greet"), ActionExecuted("action_listen"), user("affirm"))

    assert predicted(policy, later) is None
    assert predicted(policy, tracker(user("affirm"))) is None


def test_talk_to_a_person_after_the_self_harm_question_gets_a_person(policy: HumanHandoffPolicy) -> None:
    assert predicted(policy, after_the_self_harm_question(user("contact_human_agent"))) == "action_request_human"


def test_after_the_answer_a_resumed_form_asks_again_otherwise_the_assistant_listens(policy: HumanHandoffPolicy) -> None:
    answered = after_the_self_harm_question(user("deny"), ActionExecuted("action_answer_self_harm_check"))
    resumed = after_the_self_harm_question(
        user("deny"), ActionExecuted("action_answer_self_harm_check"), ActiveLoop("cancel_order_form")
    )

    assert predicted(policy, answered) == "action_listen"
    assert predicted(policy, resumed) is None  # RulePolicy carries the form on: it asks its question again


def test_a_yes_after_asking_why_still_answers_the_self_harm_question(policy: HumanHandoffPolicy) -> None:
    asked_why_first = after_the_self_harm_question(
        user("ask_why"), ActionExecuted("action_explain_decision"), ActionExecuted("action_listen"), user("affirm")
    )

    assert predicted(policy, asked_why_first) == "action_answer_self_harm_check"

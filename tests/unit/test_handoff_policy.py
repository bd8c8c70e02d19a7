"""HumanHandoffPolicy: a person on the first ask from any state, and no automation while waiting."""

from __future__ import annotations

import pytest
from rasa.core.policies.ensemble import DefaultPolicyPredictionEnsemble
from rasa.core.policies.policy import PolicyPrediction
from rasa.shared.core.events import ActionExecuted, ActiveLoop, SlotSet

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


def test_distress_is_answered_by_the_distress_action_from_any_state(policy: HumanHandoffPolicy) -> None:
    in_form = tracker(
        user("cancel_order"), ActionExecuted("cancel_order_form"), ActiveLoop("cancel_order_form"),
        SlotSet("requested_slot", "order_id"), ActionExecuted("action_listen"), user("distress"),
    )
    waiting = tracker(user("distress"), slots={"handoff_status": "waiting"})

    assert predicted(policy, tracker(user("distress"))) == "action_respond_to_distress"
    assert predicted(policy, in_form) == "action_respond_to_distress"
    assert predicted(policy, waiting) == "action_respond_to_distress"  # care first, even in the queue


def test_after_answering_distress_the_assistant_listens(policy: HumanHandoffPolicy) -> None:
    assert predicted(policy, tracker(user("distress"), ActionExecuted("action_respond_to_distress"))) == "action_listen"


def test_other_messages_are_left_to_the_other_policies(policy: HumanHandoffPolicy) -> None:
    assert predicted(policy, tracker(user("track_order"))) is None
    assert predicted(policy, tracker(user("greet"), ActionExecuted("utter_greet"))) is None


def test_its_priority_is_above_every_rule(policy: HumanHandoffPolicy) -> None:
    assert policy.priority > 6  # RulePolicy's

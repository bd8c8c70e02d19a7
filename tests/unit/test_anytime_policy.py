"""AnytimePolicy: "why?" and "that's wrong" are answered at any moment, and a form then carries on."""

from __future__ import annotations

import pytest
from rasa.core.policies.ensemble import DefaultPolicyPredictionEnsemble
from rasa.core.policies.policy import PolicyPrediction
from rasa.shared.core.events import ActionExecuted, ActiveLoop, Event, SlotSet
from rasa.shared.core.trackers import DialogueStateTracker

from bot.components.anytime_policy import AnytimePolicy
from bot.components.handoff_policy import HumanHandoffPolicy
from tests.unit.dialogue import DOMAIN, create_policy, predicted, tracker, user


@pytest.fixture
def policy(tmp_path) -> AnytimePolicy:
    return create_policy(AnytimePolicy, tmp_path)


def in_a_form(*then: Event) -> DialogueStateTracker:
    return tracker(
        user("track_order"), ActionExecuted("track_order_form"), ActiveLoop("track_order_form"),
        SlotSet("requested_slot", "order_id"), ActionExecuted("action_listen"), *then,
    )


def test_why_is_explained_and_wrong_is_taken_seriously(policy: AnytimePolicy) -> None:
    assert predicted(policy, tracker(user("ask_why"))) == "action_explain_decision"
    assert predicted(policy, tracker(user("report_wrong_answer"))) == "action_take_feedback"


def test_why_wins_over_a_running_form(policy: AnytimePolicy) -> None:
    form_continues = PolicyPrediction.for_action_name(DOMAIN, "track_order_form", "RulePolicy")
    form_continues.is_no_user_prediction = True  # how RulePolicy keeps a form running
    form_continues.policy_priority = 6
    ours = policy.predict_action_probabilities(in_a_form(user("ask_why")), DOMAIN)

    best = DefaultPolicyPredictionEnsemble._pick_best_policy([form_continues, ours])

    assert DOMAIN.action_names_or_texts[best.max_confidence_index] == "action_explain_decision"


def test_after_explaining_inside_a_form_the_form_carries_on(policy: AnytimePolicy) -> None:
    assert predicted(policy, in_a_form(user("ask_why"), ActionExecuted("action_explain_decision"))) is None


def test_after_explaining_outside_a_form_the_assistant_listens(policy: AnytimePolicy) -> None:
    assert predicted(policy, tracker(user("ask_why"), ActionExecuted("action_explain_decision"))) == "action_listen"
    assert predicted(policy, tracker(user("report_wrong_answer"), ActionExecuted("action_take_feedback"))) == "action_listen"


def test_a_customer_waiting_for_a_person_still_gets_the_waiting_action(policy: AnytimePolicy, tmp_path) -> None:
    handoff = create_policy(HumanHandoffPolicy, tmp_path / "handoff")
    waiting = tracker(user("ask_why"), slots={"handoff_status": "waiting"})
    predictions = [handoff.predict_action_probabilities(waiting, DOMAIN), policy.predict_action_probabilities(waiting, DOMAIN)]

    best = DefaultPolicyPredictionEnsemble._pick_best_policy(predictions)

    assert DOMAIN.action_names_or_texts[best.max_confidence_index] == "action_handoff_waiting"


def test_other_messages_are_left_to_the_other_policies(policy: AnytimePolicy) -> None:
    assert predicted(policy, tracker(user("track_order"))) is None
    assert predicted(policy, tracker(user("greet"), ActionExecuted("utter_greet"))) is None

""""Why?" is answered from what the conversation recorded, in plain words, and never guessed."""

from __future__ import annotations

import pytest
from rasa.shared.core.domain import Domain

from bot.explain.descriptions import vocabulary
from bot.explain.explanation import explain_previous_turn
from bot.settings import PROJECT_ROOT
from tests.explain.events import action, asks_why, bot, explanation_text, listen, loop, session_start, slot, user


def explain(events):
    explanation = explain_previous_turn(events, vocabulary())
    return explanation, explanation_text(explanation) if explanation.recorded else None


def test_a_confident_intent_is_explained_with_its_confidence_and_the_rule_that_answered():
    events = [
        *session_start(),
        user("bot_challenge", 0.93, [("bot_challenge", 0.93), ("greet", 0.04)]),
        action("utter_iamabot"),
        bot("utter_iamabot"),
        listen("policy_2_RulePolicy"),
        *asks_why(),
    ]
    explanation, text = explain(events)
    assert explanation.intent == "bot_challenge" and explanation.confidence == 0.93
    assert explanation.runner_up is None  # 4% is not a close second
    assert "I understood that you were asking whether I'm a person." in text
    assert "very sure about that: 93%" in text
    assert '"always say truthfully that the assistant is not a person"' in text
    assert explanation.as_dict()["choices"][0]["policy"] == "RulePolicy"


def test_a_close_runner_up_is_mentioned():
    events = [
        *session_start(),
        user("delivery_period", 0.55, [("delivery_period", 0.55), ("track_order", 0.40)]),
        action("utter_delivery_period", policy="policy_4_TEDPolicy", confidence=0.81),
        bot("utter_delivery_period"),
        listen(),
        *asks_why(),
    ]
    explanation, text = explain(events)
    assert explanation.runner_up["intent"] == "track_order"
    assert "My next guess was that you were asking where an order is, at 40%." in text
    assert "a model that learned from example conversations. It was 81% sure." in text


def test_a_low_confidence_fallback_says_what_the_best_guess_was_and_why_it_was_not_used():
    events = [
        *session_start(),
        user("nlu_fallback", 0.5, [("nlu_fallback", 0.5), ("get_invoice", 0.31), ("check_invoice", 0.22)]),
        action("action_handle_fallback"),
        bot("utter_please_rephrase"),
        listen(),
        *asks_why(),
    ]
    explanation, text = explain(events)
    assert explanation.fallback["best_guess"]["intent"] == "get_invoice"
    assert "My best guess was that you were asking for an invoice, but I was only 31% sure, and I need 50%." in text
    assert "instead of guessing" in text


def test_a_detector_override_says_a_safety_check_changed_course():
    events = [
        *session_start(),
        user("distress", 0.82, [("distress", 0.82), ("cancel_order", 0.74), ("complaint", 0.1)], distress={"category": "bereavement", "score": 0.82}),
        action("action_respond_to_distress", policy="policy_0_HumanHandoffPolicy"),
        bot("utter_distress_bereavement"),
        listen(),
        *asks_why(),
    ]
    explanation, text = explain(events)
    assert explanation.safety_check["category"] == "bereavement"
    assert explanation.safety_check["set_aside"]["intent"] == "cancel_order"
    assert "A safety check noticed words that can mean you've lost someone." in text
    assert "set aside my usual reading (that you were asking to cancel an order)" in text
    assert "a rule that always comes first" in text


def test_a_consent_gated_reply_names_the_consent_it_relied_on():
    grounds = {"purpose": "order_history", "consent_version": "2026-11-27", "granted_on": "2026-11-20"}
    events = [
        *session_start(),
        user("track_order", 0.96, [("track_order", 0.96), ("track_refund", 0.02)]),
        action("track_order_form"),
        loop("track_order_form"),
        slot("requested_slot", "order_id"),
        action("action_ask_order_id", policy="policy_2_RulePolicy"),
        bot("utter_order_choice", history_used=grounds),
        listen(),
        *asks_why(),
    ]
    explanation, text = explain(events)
    assert explanation.history_used == grounds
    assert "because you agreed on 20 November 2026 (consent version 2026-11-27)" in text
    assert "I asked for your order number because I need it to find the right order." in text


def test_without_history_the_explanation_says_it_was_not_used():
    events = [*session_start(), user("greet", 0.99, [("greet", 0.99)]), action("utter_greet"), bot("utter_greet"), listen(), *asks_why()]
    _, text = explain(events)
    assert "I didn't use your past orders." in text


def test_a_button_press_is_a_choice_not_a_guess():
    events = [*session_start(), user("contact_human_agent", 1.0), action("action_request_human", policy="policy_0_HumanHandoffPolicy"),
              bot("utter_handoff_requested", handoff={"reason": "customer_request", "priority": 3}), slot("handoff_status", "waiting"), listen(), *asks_why()]
    explanation, text = explain(events)
    assert explanation.chosen_by_button
    assert "You pressed a button for asking for a person, so I didn't have to guess" in text
    assert "I asked for a person because you asked for one." in text


def test_the_disclosure_is_explained_by_the_notice_and_its_version():
    explanation, text = explain([*session_start("2026-11-27"), *asks_why()])
    assert explanation.session_start and explanation.notices == [{"notice": "ai_disclosure", "version": "2026-11-27"}]
    assert "every conversation starts by telling you that I'm an automated assistant" in text
    assert "version 2026-11-27" in text


def test_asking_why_twice_explains_the_answer_not_the_explanation():
    events = [*session_start(), user("greet", 0.99), action("utter_greet"), bot("utter_greet"), listen(),
              *asks_why("w1"), action("action_explain_decision", policy="policy_1_AnytimePolicy"), bot(), listen(), *asks_why("w2")]
    explanation, _ = explain(events)
    assert explanation.intent == "greet"


def test_nothing_recorded_means_nothing_is_made_up():
    explanation = explain_previous_turn(asks_why(), vocabulary())
    assert not explanation.recorded


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(PROJECT_ROOT / "bot" / "domain"))


def test_every_intent_has_plain_words(domain: Domain):
    missing = sorted(set(domain.intents) - set(vocabulary().intents))
    assert not missing, f"add these intents to bot/explain/descriptions.yml: {missing}"


def test_every_question_a_form_asks_has_a_reason(domain: Domain):
    asked = {slot for form in domain.forms.values() for slot in form.get("required_slots", [])}
    missing = sorted(asked - set(vocabulary().slots))
    assert not missing, f"add these slots to bot/explain/descriptions.yml: {missing}"
    assert set(domain.form_names) <= set(vocabulary().forms)


def test_every_policy_in_the_config_can_be_named():
    import yaml

    config = yaml.safe_load((PROJECT_ROOT / "bot" / "config.yml").read_text())
    names = {policy["name"].split(".")[-1] for policy in config["policies"]}
    assert names <= set(vocabulary().policies)


def flagged(intent: str, verdict: dict, text: str = "<DISTRESS_MESSAGE>") -> dict:
    """A message the distress detector took over, as the conversation stored it."""
    said = user(intent, verdict["score"], [(intent, verdict["score"]), ("track_order", 0.81)], distress=verdict)
    said["text"] = text
    return said


def test_a_possible_sign_of_self_harm_says_the_check_was_not_sure_and_asked():
    possible = {"category": "self_harm", "score": 0.27, "tier": 2}
    events = [
        *session_start(),
        flagged("self_harm_check", possible),
        action("action_ask_about_self_harm", policy="policy_0_HumanHandoffPolicy"),
        bot("utter_self_harm_check"),
        listen(),
        *asks_why(),
    ]
    explanation, text = explain(events)
    assert explanation.safety_check["tier"] == 2
    assert "A safety check noticed words that can mean you might be thinking of harming yourself." in text
    assert "It wasn't sure, so I asked you directly instead of guessing." in text
    assert "set aside my usual reading (that you were asking where an order is)" in text
    assert "I didn't keep the words of that message, only that the check noticed them." in text


def test_a_clear_sign_of_self_harm_says_so():
    clear = {"category": "self_harm", "score": 0.93, "tier": 1}
    events = [
        *session_start(),
        flagged("distress", clear),
        action("action_respond_to_distress", policy="policy_0_HumanHandoffPolicy"),
        bot("utter_distress_self_harm"),
        bot("utter_handoff_requested", handoff={"reason": "distress_self_harm", "priority": 1}),
        listen(),
        *asks_why(),
    ]
    explanation, text = explain(events)
    assert explanation.safety_check["tier"] == 1
    assert "It was a clear sign, so I didn't wait to ask." in text
    assert "I asked for a person because you might be at risk" in text


def test_a_message_the_conversation_kept_is_not_said_to_be_forgotten():
    kept = flagged("distress", {"category": "bereavement", "score": 0.8, "tier": 1}, text="my mum died last week")
    events = [*session_start(), kept, action("action_respond_to_distress"), bot("utter_distress_bereavement"), listen(), *asks_why()]

    explanation, text = explain(events)
    assert explanation.safety_check["text_stored"] is True
    assert "didn't keep" not in text


def test_safety_explanations_are_plain():
    from accessibility.plain_language import check
    from tests.accessibility.test_plain_language import avoided_if_present

    for intent, verdict in [("self_harm_check", {"category": "self_harm", "score": 0.27, "tier": 2}),
                            ("distress", {"category": "self_harm", "score": 0.93, "tier": 1})]:
        events = [*session_start(), flagged(intent, verdict), action("action_ask_about_self_harm"), listen(), *asks_why()]
        text = explanation_text(explain_previous_turn(events, vocabulary()))
        assert check(text, avoided_if_present()).problems == [], text

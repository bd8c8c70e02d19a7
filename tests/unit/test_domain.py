"""The domain is honest by construction: no human name, no claim to be human, no dead ends."""

from __future__ import annotations

import re

from rasa.shared.core.domain import Domain
from rasa.shared.importers.importer import TrainingDataImporter

from bot.model import CONFIG, DOMAIN as DOMAIN_DIR, TRAINING_DATA
from bot.policy import load_policy

DOMAIN = Domain.load(str(DOMAIN_DIR))
IMPORTER = TrainingDataImporter.load_from_config(str(CONFIG), str(DOMAIN_DIR), [str(p) for p in TRAINING_DATA])

CUSTOMER_INTENTS = """cancel_order change_order change_shipping_address check_cancellation_fee check_invoice
check_payment_methods check_refund_policy complaint contact_customer_service contact_human_agent create_account
delete_account delivery_options delivery_period edit_account get_invoice get_refund newsletter_subscription
payment_issue place_order recover_password registration_problems review set_up_shipping_address switch_account
track_order track_refund""".split()
CONVERSATIONAL_INTENTS = "greet goodbye affirm deny thank bot_challenge out_of_scope ask_capabilities".split()
CLAIMS_TO_BE_HUMAN = re.compile(
    r"\bI(?:'m| am) (?:a |an )?(?:real |actual )?(?:human|person|man|woman|agent)\b"
    r"|\bmy name is\b|\byou(?:'re| are) (?:talking|speaking|chatting) (?:to|with) (?:a )?(?:real )?(?:person|human)\b",
    re.IGNORECASE,
)


def all_texts() -> list[str]:
    texts = [variant.get("text") or "" for variants in DOMAIN.responses.values() for variant in variants]
    return texts + [load_policy().notices.ai_disclosure.text]


def test_every_intent_named_in_the_design_exists() -> None:
    assert set(CUSTOMER_INTENTS + CONVERSATIONAL_INTENTS) <= set(DOMAIN.intents)


def test_no_message_claims_to_be_human_or_gives_a_human_name() -> None:
    offenders = [text for text in all_texts() if CLAIMS_TO_BE_HUMAN.search(text)]

    assert offenders == []


def test_the_claim_check_would_catch_a_human_claim() -> None:
    assert CLAIMS_TO_BE_HUMAN.search("Hi, I'm a real person from the team")
    assert CLAIMS_TO_BE_HUMAN.search("My name is Sarah")
    assert not CLAIMS_TO_BE_HUMAN.search("No, I'm not a person.")


def test_every_intent_has_a_rule_or_story_that_answers_it() -> None:
    stories = IMPORTER.get_stories()
    used = {event.intent_name for step in stories.story_steps for event in step.events if getattr(event, "intent_name", None)}

    rasa_default_intents = {"restart", "back", "session_start", "nlu_fallback"}
    assert set(DOMAIN.intents) - rasa_default_intents <= used
    assert "nlu_fallback" in used


def test_every_offer_of_a_person_can_be_accepted_and_declined() -> None:
    texts = " ".join(str(step.events) for step in IMPORTER.get_stories().story_steps)

    assert "utter_offer_human" in texts
    buttons = DOMAIN.responses["utter_offer_human"][0]["buttons"]
    assert [button["payload"] for button in buttons] == ["/contact_human_agent", "/deny"]


def test_every_form_slot_can_be_asked_for() -> None:
    askable = set(DOMAIN.responses) | set(DOMAIN.user_actions)
    for form, definition in DOMAIN.forms.items():
        for slot in definition["required_slots"]:
            assert f"utter_ask_{slot}" in askable or f"action_ask_{slot}" in askable, (form, slot)


def test_every_custom_action_in_the_domain_is_served_by_the_action_server() -> None:
    from rasa_sdk.executor import ActionExecutor

    executor = ActionExecutor()
    executor.register_package("actions")
    custom = {name for name in DOMAIN.user_actions if not name.startswith("utter_")} - set(DOMAIN.forms)
    assert custom and sorted(custom - set(executor.actions)) == []


def test_the_consent_question_and_the_disclosure_come_from_the_policy_file() -> None:
    policy = load_policy()
    assert "{" not in policy.privacy.consent.request_text("order_history")
    assert "stop using my history" in policy.privacy.consent.request_text("order_history")


def test_what_a_customer_may_say_at_any_moment_never_fills_a_form_slot() -> None:
    import yaml

    config = yaml.safe_load(CONFIG.read_text())
    anytime = next(policy for policy in config["policies"] if policy["name"].endswith("AnytimePolicy"))
    always = {"contact_human_agent", *anytime["actions_for_intents"]}
    for slot in DOMAIN.slots:
        for mapping in slot.mappings:
            if mapping.get("type") == "from_text":
                excluded = set(mapping.get("not_intent") or [])
                assert always <= excluded, f"slot {slot.name}: add {sorted(always - excluded)} to its from_text not_intent"

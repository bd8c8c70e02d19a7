"""Every answer has a plain-language version: grade 6 at most, 5 on average, no don't-say words."""

from __future__ import annotations

import pytest

from accessibility.lint import average_plain_grade, lint_domain
from accessibility.plain_language import MAX_AVERAGE_GRADE, MAX_GRADE, Avoided, avoided_words, check, dont_say_found
from bot.explain.descriptions import vocabulary
from bot.explain.explanation import explain_previous_turn
from bot.model import DOMAIN
from bot.policy import current_policy
from bot.settings import plain_words_file
from tests.explain.events import action, asks_why, bot, description_text, explanation_text, listen, loop, session_start, slot, user

LINTS = lint_domain(sorted(DOMAIN.glob("*.yml")))


def avoided():
    """The don't-say words, for the tests that check them; those tests skip, saying why, without the list."""
    if not plain_words_file().is_file():
        pytest.skip(f"the plainlanguage.gov word list is not at {plain_words_file()} (set CANDOR_PLAIN_WORDS)")
    return avoided_words(plain_words_file())


def avoided_if_present():
    """The don't-say words when the list is here, else none: the grade checks run either way."""
    return avoided_words(plain_words_file()) if plain_words_file().is_file() else ()


def test_every_response_has_exactly_one_plain_variant_that_fits_it():
    structural = {lint.name: lint.problems for lint in LINTS if lint.problems}
    assert not structural, structural


def test_every_plain_variant_reads_at_grade_six_or_below():
    too_hard = {lint.name: round(lint.plain.grade, 1) for lint in LINTS if lint.plain and lint.plain.grade > MAX_GRADE}
    assert not too_hard, too_hard


def test_the_plain_variants_average_grade_five_or_below():
    assert average_plain_grade(LINTS) <= MAX_AVERAGE_GRADE


def test_no_plain_variant_uses_a_dont_say_word():
    rechecked = {lint.name: dont_say_found(lint_text, avoided()) for lint, lint_text in _plain_texts()}
    assert not {name: found for name, found in rechecked.items() if found}


def test_the_policy_notices_have_plain_versions_that_read_plainly():
    policy = current_policy()
    texts = {
        "ai_disclosure": policy.notices.ai_disclosure.plain_text,
        "consent request": policy.privacy.consent.request_text("order_history", plain=True),
    }
    for topic in ("ask_capabilities", "ask_how_it_works", "ask_limits"):
        texts[topic] = description_text(topic, policy)
    findings = {name: check(text, avoided_if_present()) for name, text in texts.items()}
    assert {name: finding.problems for name, finding in findings.items() if finding.problems} == {}


def test_explanations_are_plain_for_everyone():
    grounds = {"purpose": "order_history", "consent_version": "2026-11-27", "granted_on": "2026-11-20"}
    conversations = [
        [*session_start(), user("track_order", 0.96, [("track_order", 0.96), ("track_refund", 0.8)]), action("track_order_form"),
         loop("track_order_form"), slot("requested_slot", "order_id"), action("action_ask_order_id"),
         bot("utter_order_choice", history_used=grounds), listen(), *asks_why()],
        [*session_start(), user("nlu_fallback", 0.5, [("nlu_fallback", 0.5), ("get_invoice", 0.31)]), action("action_handle_fallback"),
         bot("utter_please_rephrase"), listen(), *asks_why()],
        [*session_start(), user("distress", 0.8, [("distress", 0.8), ("cancel_order", 0.7)], distress={"category": "bereavement", "score": 0.8}),
         action("action_respond_to_distress", policy="policy_0_HumanHandoffPolicy"), bot("utter_distress_bereavement"), listen(), *asks_why()],
    ]
    for events in conversations:
        text = explanation_text(explain_previous_turn(events, vocabulary()))
        assert check(text, avoided_if_present()).problems == [], text


def test_the_linter_catches_a_hard_sentence_and_a_dont_say_word():
    hard = "Please provide the requisite documentation to facilitate the expeditious processing of your request."
    assert check(hard).grade > MAX_GRADE
    assert any('"provide"' in problem for problem in check(hard, [Avoided("provide", "give")]).problems)


def _plain_texts():
    from accessibility.lint import is_plain_variant, responses_in

    names = {lint.name: lint for lint in LINTS}
    for name, _, variants in responses_in(sorted(DOMAIN.glob("*.yml"))):
        for variant in variants:
            if is_plain_variant(variant):
                yield names[name], variant.get("text") or ""


def test_the_data_summary_an_action_builds_has_a_plain_version(shop_database):
    from datetime import datetime, timezone

    from bot.privacy.subject_access import summary
    from bot.store.database import open_session
    from bot.store.shop_records import Customer

    with open_session() as session:
        customer = session.get(Customer, 1)
        text = summary(session, customer, datetime(2026, 11, 27, tzinfo=timezone.utc), plain=True)
    assert check(text, avoided_if_present()).problems == [], text

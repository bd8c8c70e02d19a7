"""Explanations and the audit trail end to end: "why?" is true to the record, and every turn is audited."""

from __future__ import annotations

from sqlalchemy import select

from bot.audit.chain import record_body, verify_chain
from bot.audit.pseudonyms import conversation_pseudonym
from bot.store.audit import AuditRecord
from bot.store.database import open_session
from tests.running import Candor, Chat


def audit_records(candor: Candor, conversation_id: str) -> list:
    with open_session(candor.database_url) as session:
        named = conversation_pseudonym(conversation_id)
        query = select(AuditRecord).where(AuditRecord.conversation_id == named).order_by(AuditRecord.seq)
        return [(record, record_body(record)) for record in session.execute(query).scalars()]


def test_why_inside_a_form_explains_the_question_and_the_form_asks_again(chat: Chat) -> None:
    chat.say("where is my order")
    replies = chat.say("why do you need that?")

    text = "\n".join(reply.get("text", "") for reply in replies)
    assert "I asked for your order number because I need it to find the right order." in text
    assert "I understood that you were asking where an order is." in text
    explanation = next(reply["custom"]["explanation"] for reply in replies if "custom" in reply)
    assert explanation["intent"] == "track_order"
    assert explanation["asking_for"]["slot"] == "order_id"
    assert "order number" in replies[-1]["text"]  # the form carries on


def test_why_after_the_first_message_explains_the_disclosure(chat: Chat) -> None:
    text = chat.say_text("why?")
    assert "every conversation starts by telling you that I'm an automated assistant" in text


def test_the_explanation_matches_what_the_tracker_recorded(candor: Candor, chat: Chat) -> None:
    chat.say("are you a robot?")
    replies = chat.say("how did you decide that?")
    explanation = next(reply["custom"]["explanation"] for reply in replies if "custom" in reply)

    events = chat.tracker()["events"]
    answered = [event for event in events if event["event"] == "user" and event["parse_data"]["intent"]["name"] == "bot_challenge"][-1]
    assert explanation["confidence"] == answered["parse_data"]["intent"]["confidence"]
    chosen = [event for event in events if event["event"] == "action" and event["name"] == "utter_iamabot"][-1]
    assert explanation["choices"][0]["policy"] == chosen["policy"].split("_")[-1]


def test_what_it_cannot_do_is_answered_from_the_policy(chat: Chat) -> None:
    assert "I can't see or change card numbers or passwords." in chat.say_text("what can't you do?")


def test_every_turn_is_audited_without_the_customers_words_and_the_chain_holds(candor: Candor, chat: Chat) -> None:
    chat.say("hello, I'm Ada Lovelace, ada.lovelace@example.com")
    chat.say("where is my order")
    chat.say("why are you asking me this?")
    chat.say("that's wrong")

    records = audit_records(candor, chat.conversation_id)
    customer_turns = [body for _, body in records if body["understood"]]
    assert [body["understood"]["intent"] for body in customer_turns][-3:] == ["track_order", "ask_why", "report_wrong_answer"]
    assert records[0][1]["session_started"] and records[0][1]["notices"][0]["notice"] == "ai_disclosure"
    everything = " ".join(record.body for record, _ in records)
    for fragment in ("Ada", "Lovelace", "ada.lovelace", "where is my order"):
        assert fragment not in everything
    flagged = customer_turns[-1]["review_flag"]["flagged_message_id"]
    assert flagged == customer_turns[-3]["understood"]["message_id"]  # "that's wrong" names the order question
    with open_session(candor.database_url) as session:
        assert verify_chain(session).intact


def test_a_reply_built_from_history_is_explained_by_the_consent_behind_it(candor: Candor, chat: Chat) -> None:
    chat.say("I'm customer C10003")
    chat.say("LX4 1DW")
    chat.say("where is my order")
    choice = chat.say("yes")
    assert choice[-1]["buttons"], "the customer's recent orders are offered"

    text = chat.say_text("why are you showing me these?")

    assert "I used your past orders to show you a choice, because you agreed on" in text
    customer_turns = [body for _, body in audit_records(candor, chat.conversation_id) if body["understood"]]
    agreed = next(body for body in customer_turns if body["consent"].get("decision") is True)
    assert agreed["consent"]["history_used"]["purpose"] == "order_history"

"""Every turn leaves an append-only audit record, without what anyone wrote, in a verifiable chain."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any, Dict, List

import pytest
from sqlalchemy import select, update
from sqlalchemy.engine import Engine

from bot.audit.broker import AuditEventBroker
from bot.audit.chain import append, record_body, verify_chain
from bot.audit.policy_records import policy_records
from bot.audit.pseudonyms import conversation_pseudonym
from bot.policy import current_policy
from bot.store.audit import AuditRecord
from bot.store.database import create_schema, make_engine, open_session
from tests.explain.events import action, bot, listen, loop, session_start, slot, user

CUSTOMER_WROTE = "my name is Ada Lovelace and my email is ada@example.com"


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    engine = make_engine(f"sqlite:///{tmp_path / 'candor.db'}")
    create_schema(engine)
    return engine


def publish(broker: AuditEventBroker, conversation_id: str, events: List[Dict[str, Any]]) -> None:
    for event in events:
        broker.publish({"sender_id": conversation_id, **event})


def records(engine: Engine, kind: str = "turn") -> List[AuditRecord]:
    with open_session(engine) as session:
        return list(session.execute(select(AuditRecord).where(AuditRecord.kind == kind).order_by(AuditRecord.seq)).scalars())


def a_conversation() -> List[Dict[str, Any]]:
    said = user("track_order", 0.91, [("track_order", 0.91), ("track_refund", 0.05)], message_id="m1")
    said["text"] = CUSTOMER_WROTE
    return [
        *session_start(),
        said,
        action("track_order_form"),
        loop("track_order_form"),
        slot("requested_slot", "order_id"),
        slot("email", "ada@example.com"),
        bot("utter_ask_order_id"),
        listen("policy_2_RulePolicy"),
    ]


def test_each_turn_becomes_one_record_with_the_decisions_made(engine: Engine):
    broker = AuditEventBroker.for_store(engine, current_policy())
    publish(broker, "conversation-1", a_conversation())
    opening, asked = [record_body(record) for record in records(engine)]
    assert opening["session_started"] and opening["notices"] == [{"notice": "ai_disclosure", "version": "2026-11-27"}]
    assert asked["understood"]["intent"] == "track_order" and asked["understood"]["confidence"] == 0.91
    assert asked["steps"] == [{"action": "track_order_form", "policy": "RulePolicy", "confidence": 1.0}]
    assert asked["responses"] == ["utter_ask_order_id"]
    assert asked["detector"] == {"category": None, "score": 0.01, "tier": None, "changed_intent": False}
    assert records(engine)[1].policy_version == current_policy().version


def test_no_record_holds_what_the_customer_wrote_a_personal_slot_value_or_the_conversation_id(engine: Engine):
    broker = AuditEventBroker.for_store(engine, current_policy())
    publish(broker, "+44 7700 900123", a_conversation())  # a phone line's caller id, say
    stored = " ".join(f"{record.conversation_id} {record.body}" for record in records(engine))
    for fragment in ("Ada", "Lovelace", "ada@example.com", "what the assistant said", "7700"):
        assert fragment not in stored
    assert {record.conversation_id for record in records(engine)} == {conversation_pseudonym("+44 7700 900123")}
    asked = record_body(records(engine)[1])
    assert asked["slots"] == {"requested_slot": "order_id", "email": "<set>"}


def test_a_turn_is_recorded_only_once_it_is_complete(engine: Engine):
    broker = AuditEventBroker.for_store(engine, current_policy())
    conversation = a_conversation()
    publish(broker, "conversation-1", conversation[:-1])
    assert len(records(engine)) == 1  # the opening turn; the next one has not ended yet
    publish(broker, "conversation-1", conversation[-1:])
    assert len(records(engine)) == 2


def test_interleaved_conversations_keep_their_own_turns(engine: Engine):
    broker = AuditEventBroker.for_store(engine, current_policy())
    first, second = a_conversation(), a_conversation()
    for one, other in zip(first, second):
        broker.publish({"sender_id": "a", **one})
        broker.publish({"sender_id": "b", **other})
    a, b = conversation_pseudonym("a"), conversation_pseudonym("b")
    assert sorted(record.conversation_id for record in records(engine)) == sorted([a, a, b, b])


def test_the_running_policy_is_recorded_once_until_it_changes(engine: Engine):
    policy = current_policy()
    AuditEventBroker.for_store(engine, policy)
    AuditEventBroker.for_store(engine, policy)
    changed = policy.copy(deep=True)
    changed.review.confidence_below = 0.7
    AuditEventBroker.for_store(engine, changed)
    with open_session(engine) as session:
        kept = [record_body(record) for record in policy_records(session)]
    assert [body["version"] for body in kept] == [policy.version, policy.version]
    assert kept[0]["sha256"] != kept[1]["sha256"]
    assert kept[1]["policy"]["review"]["confidence_below"] == 0.7


def test_an_intact_chain_verifies(engine: Engine):
    broker = AuditEventBroker.for_store(engine, current_policy())
    publish(broker, "conversation-1", a_conversation())
    with open_session(engine) as session:
        report = verify_chain(session)
    assert report.intact and report.records == 3


def test_an_edited_record_is_detected(engine: Engine):
    broker = AuditEventBroker.for_store(engine, current_policy())
    publish(broker, "conversation-1", a_conversation())
    last = records(engine)[-1]
    body = record_body(last)
    body["understood"]["intent"] = "greet"
    with open_session(engine) as session:
        session.execute(update(AuditRecord).where(AuditRecord.seq == last.seq).values(body=json.dumps(body)))
    with open_session(engine) as session:
        report = verify_chain(session)
    assert not report.intact
    assert report.problems == [f"record {last.seq} was changed after it was written (its hash no longer matches)"]


def test_an_edit_that_also_rewrites_the_hash_breaks_the_next_link(engine: Engine):
    broker = AuditEventBroker.for_store(engine, current_policy())
    publish(broker, "conversation-1", a_conversation())
    with open_session(engine) as session:
        session.execute(update(AuditRecord).where(AuditRecord.seq == 2).values(hash="f" * 64))
    with open_session(engine) as session:
        problems = verify_chain(session).problems
    assert "record 2 was changed after it was written (its hash no longer matches)" in problems
    assert "record 3 does not follow the record before it (its previous hash differs)" in problems


def test_a_removed_record_is_detected(engine: Engine):
    broker = AuditEventBroker.for_store(engine, current_policy())
    publish(broker, "conversation-1", a_conversation())
    with open_session(engine) as session:
        session.delete(session.get(AuditRecord, 2))
    with open_session(engine) as session:
        problems = verify_chain(session).problems
    assert any("missing" in problem for problem in problems)


def write_concurrently(engine: Engine, writers: int, records_each: int) -> None:
    """Several threads appending at once, as replicas of the Rasa server would."""
    policy = current_policy()

    def write(name: str) -> None:
        for number in range(records_each):
            append(engine, "turn", {"writer": name, "n": number}, policy.version, name)

    threads = [threading.Thread(target=write, args=(f"w{index}",)) for index in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def test_concurrent_writers_never_fork_the_chain(engine: Engine):
    write_concurrently(engine, writers=3, records_each=10)
    with open_session(engine) as session:
        report = verify_chain(session)
    assert report.intact and report.records == 30


def test_a_broken_store_does_not_stop_the_conversation(tmp_path: Path, caplog: pytest.LogCaptureFixture):
    engine = make_engine(f"sqlite:///{tmp_path / 'candor.db'}")
    broker = AuditEventBroker.for_store(engine, current_policy())
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE audit_records")
    publish(broker, "conversation-1", a_conversation())  # must not raise
    assert "Could not append" in caplog.text


def test_concurrent_writers_never_fork_the_chain_on_postgresql(postgres_url: str):
    engine = make_engine(postgres_url)
    create_schema(engine)
    write_concurrently(engine, writers=4, records_each=15)
    with open_session(engine) as session:
        report = verify_chain(session)
    engine.dispose()
    assert report.intact and report.records == 60


def test_candor_audit_verify_passes_an_intact_chain_and_fails_an_edited_one(engine: Engine, monkeypatch, capsys):
    from bot.cli import main

    monkeypatch.setenv("CANDOR_DATABASE_URL", str(engine.url))
    publish(AuditEventBroker.for_store(engine, current_policy()), "conversation-1", a_conversation())
    assert main(["audit", "verify"]) == 0
    assert "intact: 3 record(s)" in capsys.readouterr().out
    with open_session(engine) as session:
        session.execute(update(AuditRecord).where(AuditRecord.seq == 3).values(policy_version=1))
    assert main(["audit", "verify"]) == 1
    assert "record 3 was changed after it was written" in capsys.readouterr().out


def test_candor_audit_show_prints_decisions_not_words(engine: Engine, monkeypatch, capsys):
    from bot.cli import main

    monkeypatch.setenv("CANDOR_DATABASE_URL", str(engine.url))
    publish(AuditEventBroker.for_store(engine, current_policy()), "conversation-1", a_conversation())
    assert main(["audit", "show", "--conversation", "conversation-1"]) == 0
    out = capsys.readouterr().out
    assert "track_order 0.91  -> track_order_form<RulePolicy>" in out and "Ada" not in out


def test_candor_audit_says_clearly_when_there_is_no_trail(tmp_path: Path, monkeypatch, capsys):
    from bot.cli import main

    monkeypatch.setenv("CANDOR_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    assert main(["audit", "verify"]) == 2
    assert "no audit trail" in capsys.readouterr().err


SHOWED_A_POSSIBLE_RISK = "I just want it all to stop, where is order 104502"
# What the tracker store keeps of a message the detector flagged, as it publishes it.
NOT_STORED = "<DISTRESS_MESSAGE>"


def a_self_harm_question(text: str) -> List[Dict[str, Any]]:
    said = user(
        "self_harm_check", 0.27, [("self_harm_check", 0.27), ("track_order", 0.81)],
        distress={"category": "self_harm", "score": 0.27, "tier": 2}, message_id="m1",
    )
    said["text"] = text
    said["parse_data"]["text"] = text
    return [
        *session_start(),
        said,
        action("action_ask_about_self_harm", policy="policy_0_HumanHandoffPolicy"),
        bot("utter_self_harm_check"),
        listen("policy_0_HumanHandoffPolicy"),
    ]


def test_the_record_of_a_self_harm_question_says_which_tier_fired_and_holds_no_message_text(engine: Engine):
    broker = AuditEventBroker.for_store(engine, current_policy())
    publish(broker, "conversation-1", a_self_harm_question(SHOWED_A_POSSIBLE_RISK))

    stored = " ".join(record.body for record in records(engine))
    for fragment in ("all to stop", "want it", "104502", "where is"):
        assert fragment not in stored
    asked = record_body(records(engine)[1])
    assert asked["detector"] == {"category": "self_harm", "score": 0.27, "tier": 2, "changed_intent": True, "text_stored": True}
    assert asked["responses"] == ["utter_self_harm_check"]


def test_the_record_says_when_the_stored_conversation_kept_none_of_the_message(engine: Engine):
    broker = AuditEventBroker.for_store(engine, current_policy())
    publish(broker, "conversation-1", a_self_harm_question(NOT_STORED))

    assert record_body(records(engine)[1])["detector"]["text_stored"] is False

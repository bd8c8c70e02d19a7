"""Retention: conversations and consent records go when the policy says, and not before."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import select

from bot.policy import current_policy
from bot.privacy.consent import ConsentState, Where, consent_state, record_decision, withdraw_all
from bot.privacy.conversations import conversation_events
from bot.privacy.history import ORDER_HISTORY
from bot.privacy.retention import PurgeSchedule, purge
from bot.store.consent import ConsentRecord
from bot.store.conversation_keys import ConversationKey, claim
from bot.store.customers import link_conversation
from bot.store.database import cached_engine, open_session
from bot.store.distress import DistressDetection
from bot.store.privacy import CustomerConversation
from bot.store.shop_records import Customer
from bot.store.sign_ins import SignInFailures, customer_subject, record_failure

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=timezone.utc)
RETENTION = current_policy().privacy.retention
HERE = Where("rest", "c")


def conversation(url: str, conversation_id: str, last_message: datetime) -> None:
    store = SQLTrackerStore(domain=Domain.empty(), host=url)
    events = [
        ActionExecuted("action_listen", timestamp=last_message.timestamp() - 60),
        UserUttered("hello", {"name": "greet"}, timestamp=last_message.timestamp()),
    ]
    asyncio.run(store.save(DialogueStateTracker.from_events(conversation_id, events)))
    store.engine.dispose()


def test_conversations_go_after_their_retention_period_and_recent_ones_stay(shop_database):
    old = NOW - timedelta(days=RETENTION.conversations_days, minutes=1)
    recent = NOW - timedelta(days=RETENTION.conversations_days) + timedelta(minutes=1)
    conversation(shop_database, "old", old)
    conversation(shop_database, "recent", recent)
    with open_session() as session:
        link_conversation(session, session.get(Customer, 1), "old", old)
        session.add(DistressDetection(conversation_id="old", category="health", score=0.8, response="offered_person", detected_at=old))

    result = purge(NOW)

    assert result.conversations == 1
    events = conversation_events(cached_engine(shop_database), ["old", "recent"])
    assert events["old"] == [] and len(events["recent"]) == 2
    with open_session() as session:
        assert session.execute(select(CustomerConversation)).first() is None
        assert session.execute(select(DistressDetection)).first() is None


def test_the_lock_of_a_conversation_goes_with_it_and_so_does_one_never_used(shop_database):
    old = NOW - timedelta(days=RETENTION.conversations_days, minutes=1)
    recent = NOW - timedelta(days=RETENTION.conversations_days) + timedelta(minutes=1)
    conversation(shop_database, "old", old)
    conversation(shop_database, "recent", recent)
    with open_session() as session:
        for conversation_id, created in [("old", old), ("recent", old), ("never-used", old), ("just-opened", NOW)]:
            claim(session, conversation_id, "rest", "0" * 64, created)

    purge(NOW)

    with open_session() as session:
        assert sorted(session.execute(select(ConversationKey.conversation_id)).scalars()) == ["just-opened", "recent"]


def test_counts_of_failed_postcode_checks_are_forgotten_when_the_policy_says(shop_database):
    rules = current_policy().identity
    with open_session() as session:
        record_failure(session, customer_subject(1), NOW - rules.forget_failures_after - timedelta(minutes=1), rules)
        record_failure(session, customer_subject(2), NOW - rules.forget_failures_after + timedelta(minutes=1), rules)

    purge(NOW)

    with open_session() as session:
        assert list(session.execute(select(SignInFailures.subject)).scalars()) == [customer_subject(2)]


def test_old_consent_records_go_but_the_proof_of_a_yes_in_force_stays(shop_database):
    long_ago = NOW - timedelta(days=RETENTION.consent_records_days + 1)
    with open_session() as session:
        record_decision(session, 1, ORDER_HISTORY, False, long_ago, HERE)  # Ada: an old no, superseded below
        record_decision(session, 1, ORDER_HISTORY, True, NOW - timedelta(days=1), HERE)
        record_decision(session, 2, ORDER_HISTORY, True, long_ago, HERE)  # Bilal: an old yes, withdrawn
        withdraw_all(session, 2, long_ago + timedelta(minutes=1), HERE)

    result = purge(NOW)

    assert result.consent_records == 3
    with open_session() as session:
        remaining = session.execute(select(ConsentRecord.customer_id, ConsentRecord.decision)).all()
        assert [(customer, decision.value) for customer, decision in remaining] == [(1, "granted")]
        assert consent_state(session, 1, ORDER_HISTORY, NOW) is ConsentState.GRANTED


def test_purging_an_empty_database_deletes_nothing_and_does_not_fail(shop_database):
    assert purge(NOW).describe() == "deleted 0 conversation(s) and 0 consent record(s)"


def test_the_server_schedule_runs_a_purge_as_soon_as_it_starts(shop_database):
    conversation(shop_database, "ancient", NOW - timedelta(days=400))

    async def start_and_stop():
        schedule = PurgeSchedule(RETENTION)
        schedule.start()
        for _ in range(100):
            await asyncio.sleep(0.05)
            if schedule.last_run:
                break
        status = schedule.status()
        await schedule.stop()
        return status, schedule.status()

    running, stopped = asyncio.run(start_and_stop())
    assert running["running"] and running["last_result"].startswith("deleted 1 conversation")
    assert running["last_error"] is None
    assert stopped["running"] is False

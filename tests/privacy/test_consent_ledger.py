"""The consent ledger: every decision is kept, the latest one counts, under the policy in force."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from bot.policy import current_policy
from bot.policy_sections import PolicyError
from bot.privacy.consent import ConsentState, Where, consent_state, record_decision, withdraw_all, wording_sha256
from bot.store.consent import ConsentDecision, ConsentRecord
from bot.store.database import open_session

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=timezone.utc)
HERE = Where(channel="rest", conversation_id="conversation-1")
ADA = 1


def state(now: datetime = NOW, consent=None) -> ConsentState:
    with open_session() as session:
        return consent_state(session, ADA, "order_history", now, consent)


def decide(granted: bool, when: datetime = NOW, consent=None) -> ConsentRecord:
    with open_session() as session:
        return record_decision(session, ADA, "order_history", granted, when, HERE, consent)


def test_nobody_has_been_asked_at_first(shop_database):
    assert state() is ConsentState.NOT_ASKED
    assert state().should_ask


def test_a_yes_is_recorded_with_everything_needed_to_prove_it(shop_database):
    record = decide(True)
    consent = current_policy().privacy.consent
    assert state() is ConsentState.GRANTED
    assert (record.customer_id, record.purpose, record.decision) == (ADA, "order_history", ConsentDecision.GRANTED)
    assert record.consent_version == consent.version
    assert (record.channel, record.conversation_id, record.decided_at) == ("rest", "conversation-1", NOW)
    shown = consent.request_text("order_history")
    assert record.wording_sha256 == hashlib.sha256(shown.encode()).hexdigest() == wording_sha256(shown)


def test_a_no_is_respected_and_not_asked_again(shop_database):
    decide(False)
    assert state() is ConsentState.REFUSED
    assert not state().should_ask


def test_withdrawing_ends_a_yes_and_keeps_the_earlier_record(shop_database):
    decide(True)
    with open_session() as session:
        assert withdraw_all(session, ADA, NOW + timedelta(minutes=5), HERE) == ["order_history"]
        assert session.execute(select(func.count()).select_from(ConsentRecord)).scalar_one() == 2
    assert state(NOW + timedelta(minutes=6)) is ConsentState.WITHDRAWN
    assert not state(NOW + timedelta(minutes=6)).should_ask


def test_withdrawing_without_a_yes_changes_nothing(shop_database):
    decide(False)
    with open_session() as session:
        assert withdraw_all(session, ADA, NOW, HERE) == []
    assert state() is ConsentState.REFUSED


def test_a_new_consent_version_means_asking_again(shop_database):
    decide(True)
    newer = current_policy().privacy.consent.copy(update={"version": "2027-01-01"})
    assert state(consent=newer) is ConsentState.OUTDATED
    assert state(consent=newer).should_ask
    decide(True, NOW + timedelta(minutes=1), consent=newer)
    assert state(NOW + timedelta(minutes=2), consent=newer) is ConsentState.GRANTED


def test_a_yes_lasts_only_as_long_as_the_policy_says(shop_database):
    decide(True)
    valid_days = current_policy().privacy.consent.valid_days
    assert state(NOW + timedelta(days=valid_days) - timedelta(seconds=1)) is ConsentState.GRANTED
    assert state(NOW + timedelta(days=valid_days, seconds=1)) is ConsentState.EXPIRED


def test_an_unknown_purpose_is_an_error_not_a_silent_no(shop_database):
    with open_session() as session, pytest.raises(PolicyError, match="no consent purpose 'marketing'"):
        consent_state(session, ADA, "marketing", NOW)

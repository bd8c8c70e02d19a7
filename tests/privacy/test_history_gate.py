"""History is read only through the gate, and the gate opens only while consent is in force."""

from __future__ import annotations

import ast
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete

from bot.policy import current_policy
from bot.privacy.consent import ConsentState, Where, record_decision, withdraw_all
from bot.privacy.history import ORDER_HISTORY, ConsentRequired, CustomerHistory, history_if_allowed, open_history
from bot.settings import PROJECT_ROOT
from bot.store.consent import ConsentRecord
from bot.store.database import open_session

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=timezone.utc)
HERE = Where(channel="rest", conversation_id="c")
ADA = 1


def test_the_gate_opens_for_a_customer_who_said_yes(shop_database):
    with open_session() as session:
        record_decision(session, ADA, ORDER_HISTORY, True, NOW, HERE)
        orders = open_history(session, ADA, ORDER_HISTORY, NOW).recent_orders(limit=10)
    assert orders and all(order.customer_id == ADA for order in orders)
    assert [order.placed_at for order in orders] == sorted((order.placed_at for order in orders), reverse=True)


@pytest.mark.parametrize("granted, withdrawn", [(None, False), (False, False), (True, True)])
def test_the_gate_stays_shut_without_a_yes_in_force(shop_database, granted, withdrawn):
    with open_session() as session:
        if granted is not None:
            record_decision(session, ADA, ORDER_HISTORY, granted, NOW, HERE)
        if withdrawn:
            withdraw_all(session, ADA, NOW + timedelta(seconds=1), HERE)
        with pytest.raises(ConsentRequired):
            open_history(session, ADA, ORDER_HISTORY, NOW + timedelta(seconds=2))
        assert history_if_allowed(session, ADA, ORDER_HISTORY, NOW + timedelta(seconds=2)) is None


def test_history_cannot_be_had_around_the_gate(shop_database):
    with open_session() as session, pytest.raises(ConsentRequired):
        CustomerHistory(session, ADA, ORDER_HISTORY, NOW, gate_key=object())


def test_an_anonymous_conversation_has_no_history(shop_database):
    with open_session() as session:
        assert history_if_allowed(session, None, ORDER_HISTORY, NOW) is None


# A model of the ledger, independent of the code: after a sequence of decisions, version changes
# and waiting, is a yes in force?
steps = st.lists(
    st.one_of(
        st.tuples(st.just("decide"), st.booleans()),
        st.tuples(st.just("withdraw"), st.none()),
        st.tuples(st.just("new_version"), st.none()),
        st.tuples(st.just("wait_days"), st.integers(min_value=0, max_value=120)),
    ),
    max_size=8,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=steps)
def test_the_gate_agrees_with_the_ledger_after_any_sequence_of_decisions(shop_database, monkeypatch, steps):
    consent = current_policy().privacy.consent
    now, version, expected = NOW, 0, None  # expected: (granted?, version, decided_at) of the latest decision
    with open_session() as session:
        session.execute(delete(ConsentRecord))
    for step, value in steps:
        policy_now = consent.copy(update={"version": f"v{version}"})
        monkeypatch.setattr("bot.privacy.consent.current_policy", lambda: _policy_with(policy_now))
        with open_session() as session:
            if step == "decide":
                record_decision(session, ADA, ORDER_HISTORY, value, now, HERE)
                expected = (value, version, now)
            elif step == "withdraw":
                if withdraw_all(session, ADA, now, HERE):
                    expected = (False, expected[1], now)
            elif step == "new_version":
                version += 1
            else:
                now += timedelta(days=value)
        now += timedelta(seconds=1)
    policy_now = consent.copy(update={"version": f"v{version}"})
    monkeypatch.setattr("bot.privacy.consent.current_policy", lambda: _policy_with(policy_now))
    in_force = (
        expected is not None
        and expected[0]
        and expected[1] == version
        and now - expected[2] <= timedelta(days=consent.valid_days)
    )
    with open_session() as session:
        opened = history_if_allowed(session, ADA, ORDER_HISTORY, now)
    assert (opened is not None) == in_force


def _policy_with(consent):
    policy = current_policy()
    return policy.copy(update={"privacy": policy.privacy.copy(update={"consent": consent})})


# Code that reads a customer's orders by customer must be the gate. These are the only places
# allowed to: the gate itself, the customer's own access and erasure rights, and the data model.
ALLOWED = {
    "bot/privacy/history.py",
    "bot/privacy/subject_access.py",
    "bot/privacy/erasure.py",
    "bot/store/shop_records.py",
    "bot/store/seed.py",
    "bot/store/seed_files.py",
}


def _reads_of_history(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            if node.attr == "orders" or (
                node.attr == "customer_id" and isinstance(node.value, ast.Name) and node.value.id == "Order"
            ):
                yield node.lineno


def test_no_code_reads_a_customers_orders_except_through_the_gate():
    offenders = [
        f"{path.relative_to(PROJECT_ROOT)}:{line}"
        for folder in ("actions", "bot")
        for path in sorted((PROJECT_ROOT / folder).rglob("*.py"))
        if str(path.relative_to(PROJECT_ROOT)) not in ALLOWED
        for line in _reads_of_history(path)
    ]
    assert offenders == []

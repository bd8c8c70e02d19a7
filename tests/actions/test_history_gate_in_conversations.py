"""Whatever state a conversation is in, no action reads a customer's history without consent.

Hypothesis builds random conversation states (who the customer is, which form is open, what
they just said, what the ledger holds) and runs every action the action server has. Each time
history is opened, the ledger must say yes for that customer at that moment.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from rasa_sdk.executor import ActionExecutor, CollectingDispatcher
from rasa_sdk.utils import call_potential_coroutine
from sqlalchemy import delete

from bot.privacy import history
from bot.privacy.consent import ConsentState, Where, consent_state, record_decision, withdraw_all
from bot.store.consent import ConsentRecord
from bot.store.database import open_session
from tests.actions.conftest import DOMAIN, make_tracker

EXECUTOR = ActionExecutor()
EXECUTOR.register_package("actions")
ACTIONS = sorted(name for name in EXECUTOR.actions if name != "action_fulfil_data_request")
FORMS = [None, *sorted(DOMAIN["forms"])]
CUSTOMERS = [None, "1", "2", "3", "not-a-number"]

ledger_states = st.sampled_from(["none", "granted", "refused", "withdrawn", "old_granted"])
slot_values = st.fixed_dictionaries(
    {
        "customer_id": st.sampled_from(CUSTOMERS),
        "order_id": st.sampled_from([None, "104501", "104502", "999999", "abc"]),
        "email": st.sampled_from([None, "ada.thornbury@example.com", "nobody@example.com"]),
        "history_consent": st.sampled_from([None, True, False]),
        "data_request": st.sampled_from([None, "identify", "withdraw", "show", "export"]),
    }
)


def _set_ledger(customer: str | None, state: str, now: datetime) -> None:
    with open_session() as session:
        session.execute(delete(ConsentRecord))
        if customer is None or not customer.isdigit() or state == "none":
            return
        where = Where("rest", "c")
        when = now - timedelta(days=400) if state == "old_granted" else now - timedelta(minutes=1)
        record_decision(session, int(customer), history.ORDER_HISTORY, state != "refused", when, where)
        if state == "withdrawn":
            withdraw_all(session, int(customer), now - timedelta(seconds=30), where)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    # Half the time the action that offers past orders, the one place history is used today.
    action=st.one_of(st.just("action_ask_order_id"), st.sampled_from(ACTIONS)),
    form=st.sampled_from(FORMS),
    intent=st.sampled_from(["inform", "affirm", "deny", "track_order", "show_my_data"]),
    slots=slot_values,
    ledger=ledger_states,
)
def test_no_action_opens_history_without_consent_in_force(monkeypatch, action, form, intent, slots, ledger):
    now = datetime.now(timezone.utc)
    _set_ledger(slots["customer_id"], ledger, now)
    opened = []
    real_init = history.CustomerHistory.__init__

    def watched_init(self, session, customer_id, purpose, opened_at, gate_key):
        granted = consent_state(session, customer_id, purpose, opened_at) is ConsentState.GRANTED
        opened.append((customer_id, granted))
        real_init(self, session, customer_id, purpose, opened_at, gate_key)

    monkeypatch.setattr(history.CustomerHistory, "__init__", watched_init)
    slot_events = [{"event": "slot", "name": name, "value": value} for name, value in slots.items() if value is not None]
    tracker = make_tracker(
        slots={**slots, "requested_slot": "order_id" if form else None},
        intent=intent,
        active_loop=form,
        events=[{"event": "user", "text": "", "parse_data": {"intent": {"name": intent}}}, *slot_events],
    )
    asyncio.run(call_potential_coroutine(EXECUTOR.actions[action](CollectingDispatcher(), tracker, DOMAIN)))
    event(f"history opened: {bool(opened)}")
    assert all(granted for _customer, granted in opened), opened

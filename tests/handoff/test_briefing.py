"""What an agent reads before taking over: the reason, the wait, the customer, and what was said."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Dict, List

from bot.handoff import briefing, queue
from bot.privacy.consent import Where, record_decision
from bot.privacy.history import ORDER_HISTORY
from bot.store.database import open_session

EVENTS: List[Dict[str, Any]] = [
    {"event": "user", "text": "where is my order", "timestamp": 1.0},
    {"event": "bot", "text": "Which order?", "timestamp": 2.0},
    {"event": "slot", "name": "customer_id", "value": "1", "timestamp": 3.0},
    {"event": "user", "text": "person please", "timestamp": 4.0},
    {"event": "bot", "text": "Hello, I'm Sam.", "metadata": {"agent": "Sam"}, "timestamp": 5.0},
]


def test_the_transcript_says_who_spoke_the_customer_the_assistant_or_which_agent() -> None:
    assert [(line["from"], line["text"]) for line in briefing.transcript(EVENTS)] == [
        ("customer", "where is my order"), ("assistant", "Which order?"), ("customer", "person please"), ("agent Sam", "Hello, I'm Sam."),
    ]


def test_the_summary_gives_the_reason_and_the_wait_first(now: datetime) -> None:
    queue.request("chat-1", "complaint", now - timedelta(minutes=12), channel="web")

    summary = briefing.summary("chat-1", EVENTS, now)

    assert summary["handoff"] == {"reason": "complaint", "priority": 3, "status": "waiting", "channel": "web", "waiting_minutes": 12}
    assert (summary["customer"], summary["messages"]) == ("C10001", 4)


def test_past_orders_are_shown_only_where_the_customer_agreed(now: datetime) -> None:
    assert briefing.summary("chat-1", EVENTS, now)["recent_orders"] is None

    with open_session() as session:
        record_decision(session, 1, ORDER_HISTORY, True, now, Where("rest", "chat-1"))

    assert briefing.summary("chat-1", EVENTS, now)["recent_orders"]


def test_a_conversation_nobody_asked_a_person_for_has_no_handoff_in_its_summary(now: datetime) -> None:
    assert briefing.summary("chat-quiet", EVENTS[:2], now)["handoff"] is None

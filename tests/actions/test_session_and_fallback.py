"""Sessions open with the versioned AI disclosure; misunderstandings lead to the offer of a person."""

from __future__ import annotations

from actions.fallback import ActionHandleFallback, misunderstandings_in_a_row
from actions.session import ActionSessionStart
from bot.policy import current_policy
from tests.actions.conftest import make_tracker, run


def fallback(text: str = "??") -> dict:
    return {"event": "user", "text": text, "parse_data": {"intent": {"name": "nlu_fallback"}}}


def understood(intent: str) -> dict:
    return {"event": "user", "text": "", "parse_data": {"intent": {"name": intent}}}


def test_a_session_starts_with_the_disclosure_and_records_its_version() -> None:
    notice = current_policy().notices.ai_disclosure

    outcome = run(ActionSessionStart(), make_tracker(events=[]))

    kinds = [event["event"] for event in outcome.events]
    assert kinds == ["session_started", "slot", "bot", "action"]
    assert outcome.events[2]["text"] == notice.text
    assert outcome.slot("ai_notice_version") == notice.version


def test_misunderstandings_are_counted_only_while_they_run_on() -> None:
    assert misunderstandings_in_a_row(make_tracker(events=[fallback(), understood("greet"), fallback()])) == 1
    assert misunderstandings_in_a_row(make_tracker(events=[understood("greet"), fallback(), fallback()])) == 2
    assert misunderstandings_in_a_row(make_tracker(events=[fallback(), {"event": "session_started"}, fallback()])) == 1


def test_the_first_misunderstanding_asks_to_rephrase() -> None:
    outcome = run(ActionHandleFallback(), make_tracker(events=[understood("greet"), fallback()]))

    assert outcome.responses == ["utter_please_rephrase"]
    assert outcome.events == []


def test_the_second_in_a_row_offers_a_person() -> None:
    outcome = run(ActionHandleFallback(), make_tracker(events=[fallback(), fallback()]))

    assert outcome.responses == ["utter_still_not_understood"]
    assert outcome.events == [{"event": "followup", "name": "utter_offer_human"}]

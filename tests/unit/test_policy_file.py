"""bot/policy.yml is read strictly: a promise the code cannot keep is refused with a clear reason."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest
import yaml

from bot.policy import load_policy
from bot.policy_sections import PolicyError
from bot.settings import POLICY_FILE


def write_policy(tmp_path: Path, change) -> Path:
    data = yaml.safe_load(POLICY_FILE.read_text())
    change(data)
    path = tmp_path / "policy.yml"
    path.write_text(yaml.safe_dump(data))
    return path


def test_the_shipped_policy_file_is_valid() -> None:
    policy = load_policy()

    assert policy.notices.ai_disclosure.version
    assert policy.handoff.offer_after_misunderstandings >= 1


def test_the_disclosure_says_it_is_automated_and_not_a_person() -> None:
    text = load_policy().notices.ai_disclosure.text.lower()

    assert "automated assistant" in text and "not a person" in text


def test_a_missing_disclosure_is_refused(tmp_path: Path) -> None:
    path = write_policy(tmp_path, lambda data: data["notices"].pop("ai_disclosure"))

    with pytest.raises(PolicyError, match="notices.ai_disclosure"):
        load_policy(path)


def test_an_empty_disclosure_text_is_refused(tmp_path: Path) -> None:
    path = write_policy(tmp_path, lambda data: data["notices"]["ai_disclosure"].update(text=""))

    with pytest.raises(PolicyError, match="text"):
        load_policy(path)


def test_opening_hours_must_open_before_they_close(tmp_path: Path) -> None:
    path = write_policy(tmp_path, lambda data: data["handoff"]["hours"]["weekly"].update(monday=["18:00", "09:00"]))

    with pytest.raises(PolicyError, match="monday"):
        load_policy(path)


def test_an_unknown_time_zone_is_refused(tmp_path: Path) -> None:
    path = write_policy(tmp_path, lambda data: data["handoff"]["hours"].update(timezone="Mars/Olympus"))

    with pytest.raises(PolicyError, match="time zone"):
        load_policy(path)


def test_a_missing_file_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="cannot read"):
        load_policy(tmp_path / "nowhere.yml")


def test_opening_hours_follow_the_team_time_zone() -> None:
    hours = load_policy().handoff.hours

    assert hours.is_open(datetime(2026, 11, 27, 10, 0, tzinfo=timezone.utc))  # Friday 10:00 London
    assert not hours.is_open(datetime(2026, 11, 29, 10, 0, tzinfo=timezone.utc))  # Sunday
    assert not hours.is_open(datetime(2026, 7, 3, 17, 30, tzinfo=timezone.utc))  # Friday 18:30 London (BST)


def test_every_handoff_reason_the_assistant_uses_has_a_priority() -> None:
    from bot.handoff.reasons import DEFAULT_REASON, REASON_BY_OFFERING_ACTION

    policy = load_policy().handoff
    for reason in {DEFAULT_REASON, *REASON_BY_OFFERING_ACTION.values()}:
        assert policy.priority_for(reason) >= 1

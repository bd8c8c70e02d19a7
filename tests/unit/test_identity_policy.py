"""The policy's `identity` section: which operations re-check identity, and how guessing is slowed."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
import yaml

from bot.policy import load_policy
from bot.policy_sections import STEP_UP_OPERATIONS, PolicyError
from bot.settings import POLICY_FILE


def policy_with(tmp_path: Path, **identity) -> Path:
    data = yaml.safe_load(POLICY_FILE.read_text())
    data["identity"].update(identity)
    path = tmp_path / "policy.yml"
    path.write_text(yaml.safe_dump(data))
    return path


def test_the_shipped_policy_re_checks_identity_before_everything_irreversible() -> None:
    assert set(load_policy().identity.step_up) == set(STEP_UP_OPERATIONS)


def test_the_wait_starts_after_the_free_failures_doubles_and_stops_at_the_cap(tmp_path: Path) -> None:
    rules = load_policy(policy_with(tmp_path, free_failures=2, first_delay_seconds=30, max_delay_seconds=100)).identity

    assert [rules.delay_after(failures) for failures in range(1, 6)] == [
        None,
        timedelta(seconds=30),
        timedelta(seconds=60),
        timedelta(seconds=100),
        timedelta(seconds=100),
    ]
    assert rules.delay_after(10_000) == timedelta(seconds=100)


def test_an_operation_the_assistant_cannot_re_check_is_refused(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="'refund' is not an operation"):
        load_policy(policy_with(tmp_path, step_up=["export", "refund"]))


def test_a_cap_below_the_first_wait_is_refused(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="max_delay_seconds"):
        load_policy(policy_with(tmp_path, first_delay_seconds=600, max_delay_seconds=60))


def test_failures_may_not_be_forgotten_before_the_longest_wait_is_over(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="forget_failures_after_hours"):
        load_policy(policy_with(tmp_path, max_delay_seconds=7200, forget_failures_after_hours=1))


def test_a_policy_without_the_identity_section_is_refused(tmp_path: Path) -> None:
    data = yaml.safe_load(POLICY_FILE.read_text())
    data.pop("identity")
    path = tmp_path / "policy.yml"
    path.write_text(yaml.safe_dump(data))

    with pytest.raises(PolicyError, match="identity"):
        load_policy(path)

"""Fixtures for the privacy tests: the process's redactor, and a redacting tracker store of the test's own."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Iterator

import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from bot.privacy.live_values import LiveValues  # noqa: E402
from bot.privacy.redaction import Redactor, default_redactor  # noqa: E402

TTL = timedelta(minutes=30)


class FakeClock:
    """Monotonic seconds that move only when a test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta.total_seconds()


@pytest.fixture(scope="session")
def redactor() -> Redactor:
    """Built once for the whole run, as in a server process."""
    return default_redactor()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def live_values(clock: FakeClock) -> LiveValues:
    return LiveValues(TTL, clock=clock)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> Iterator[str]:
    yield f"sqlite:///{tmp_path / 'conversations.db'}"


@pytest.fixture(autouse=True)
def locked_conversations(conversation_keys: str) -> None:
    """Erasing a conversation also unlocks it (`bot.ownership`): in a database of the test's own."""

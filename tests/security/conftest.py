"""Fixtures for the security tests that run in process (the end-to-end ones use `tests.running`)."""

from __future__ import annotations

import pytest

# `conversation_keys` (a database of the test's own for conversation locks) is in tests/conftest.py.


@pytest.fixture(autouse=True)
def many_apps_in_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """Sanic's test mode, as in `tests/channels`: several apps may start in one process."""
    from sanic import Sanic

    monkeypatch.setattr(Sanic, "test_mode", True)

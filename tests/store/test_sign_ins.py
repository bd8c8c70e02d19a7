"""Failed postcode checks are counted per subject across conversations: free at first, then slower and slower."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.policy_sections import Identity
from bot.store.database import open_session
from bot.store.sign_ins import (
    SignInFailures,
    claim_subject,
    customer_subject,
    record_failure,
    record_success,
    retry_at,
)

RULES = Identity(
    step_up=["export"],
    attempts_per_request=3,
    free_failures=2,
    first_delay_seconds=10,
    max_delay_seconds=60,
    notice_after_failures=4,
    forget_failures_after_hours=1,
)
ADA = customer_subject(1)


def fail(session: Session, now: datetime, times: int = 1, subject: str = ADA):
    for _ in range(times):
        failure = record_failure(session, subject, now, RULES)
    return failure


def test_the_first_failures_are_free(session: Session, now: datetime) -> None:
    failure = fail(session, now, RULES.free_failures - 1)

    assert failure.failures == 1 and failure.retry_at is None
    assert retry_at(session, ADA, now) is None


def test_past_the_free_failures_each_try_waits_twice_as_long_up_to_the_cap(session: Session, now: datetime) -> None:
    waits = [(fail(session, now).retry_at or now) - now for _ in range(7)]

    assert [wait.total_seconds() for wait in waits] == [0, 10, 20, 40, 60, 60, 60]


def test_the_wait_is_over_when_its_time_comes(session: Session, now: datetime) -> None:
    until = fail(session, now, RULES.free_failures).retry_at

    assert retry_at(session, ADA, now + timedelta(seconds=9)) == until
    assert retry_at(session, ADA, until) is None


def test_a_success_starts_the_count_again(session: Session, now: datetime) -> None:
    fail(session, now, RULES.free_failures + 1)

    record_success(session, [ADA])

    assert retry_at(session, ADA, now) is None
    assert fail(session, now).failures == 1


def test_failures_older_than_the_window_are_forgotten(session: Session, now: datetime) -> None:
    fail(session, now, RULES.free_failures + 1)
    later = now + RULES.forget_failures_after + timedelta(seconds=1)

    assert fail(session, later).failures == 1
    assert fail(session, later, subject=claim_subject("C10002")).failures == 1
    assert set(session.execute(select(SignInFailures.subject)).scalars()) == {ADA, claim_subject("C10002")}


def test_each_subject_is_counted_on_its_own(session: Session, now: datetime) -> None:
    fail(session, now, RULES.free_failures)

    assert retry_at(session, ADA, now) is not None
    assert retry_at(session, customer_subject(2), now) is None
    assert retry_at(session, claim_subject("C10001"), now) is None


def test_a_claim_is_stored_only_as_a_keyed_hash(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CANDOR_SECRET_KEY", "k" * 32)
    subject = claim_subject("ada.thornbury@example.com")

    assert subject.startswith("claim:") and "ada" not in subject and len(subject) == len("claim:") + 64
    assert claim_subject("ada.thornbury@example.com") == subject
    monkeypatch.setenv("CANDOR_SECRET_KEY", "o" * 32)
    assert claim_subject("ada.thornbury@example.com") != subject, "without the key, a hash cannot be matched to an email"


@pytest.mark.postgres
def test_failures_at_the_same_moment_all_count_on_postgresql(postgres_engine: Engine, now: datetime) -> None:
    errors: list = []

    def at_once(count: int) -> None:
        barrier = threading.Barrier(count)

        def one_failure() -> None:
            try:
                with open_session(postgres_engine) as session:
                    barrier.wait(timeout=30)
                    record_failure(session, ADA, now, RULES)
            except Exception as error:  # noqa: BLE001  (the assertion below reports it)
                errors.append(error)

        threads = [threading.Thread(target=one_failure) for _ in range(count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)

    at_once(2)  # both create the row
    at_once(4)  # all update it

    assert errors == []
    with open_session(postgres_engine) as session:
        assert session.get(SignInFailures, ADA).failures == 6

"""Signing in gets slower after a few wrong postcodes, in any conversation, and the wait gives nothing away."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select, update

from actions.data_rights import ActionFulfilDataRequest
from actions.identity import ValidateDataRequestForm
from actions.postcode_check import wait_in_words
from bot.policy import current_policy
from bot.store.database import open_session
from bot.store.sign_ins import SignInFailures, customer_subject
from tests.actions.forms import FormConversation, sign_in

RULES = current_policy().identity


def fail(claim: str, times: int) -> None:
    for attempt in range(times):
        sign_in(claim, "ZZ1 1ZZ", f"guess-{attempt}")


def let_the_wait_pass() -> None:
    with open_session() as session:
        session.execute(update(SignInFailures).values(retry_at=datetime.now(timezone.utc) - timedelta(seconds=1)))


def customer_failures(customer_id: int) -> int:
    with open_session() as session:
        row = session.get(SignInFailures, customer_subject(customer_id))
        return row.failures if row else 0


def test_the_wait_says_how_long_and_offers_a_person() -> None:
    fail("C10001", RULES.free_failures)

    outcome = sign_in("C10001", "AC1 4RT").submit(ActionFulfilDataRequest())

    assert outcome.responses == ["utter_identity_wait"]
    assert outcome.messages[0]["wait"] == wait_in_words(datetime.now(timezone.utc) + timedelta(seconds=RULES.first_delay_seconds), datetime.now(timezone.utc))


def test_once_the_wait_is_over_the_right_postcode_signs_in() -> None:
    fail("C10001", RULES.free_failures)
    let_the_wait_pass()

    assert sign_in("C10001", "AC1 4RT").slots["customer_id"] == "1"


def test_a_sign_in_resets_the_count() -> None:
    fail("C10001", RULES.free_failures - 1)
    sign_in("C10001", "AC1 4RT")
    fail("C10001", RULES.free_failures - 1)

    assert sign_in("C10001", "AC1 4RT").slots["customer_id"] == "1"


def test_the_wait_is_kept_per_claim_so_it_does_not_tell_which_email_goes_with_which_number() -> None:
    fail("C10001", RULES.free_failures)

    # Ada's email is not slowed down by guesses at her customer number, just as an unknown email isn't.
    by_email = sign_in("ada.thornbury@example.com", "AC1 4RT")
    assert by_email.slots["customer_id"] == "1"


def test_every_failure_counts_towards_the_customer_whichever_way_they_were_named() -> None:
    fail("C10001", 2)
    fail("ada.thornbury@example.com", 1)

    assert customer_failures(1) == 3
    with open_session() as session:
        subjects = session.execute(select(SignInFailures.subject)).scalars().all()
    # Whole claims only: a keyed hash in hex may hold "ada" or "c1000" by chance.
    assert not any("C10001" in subject or "ada.thornbury" in subject for subject in subjects)


def test_a_claim_that_matches_nobody_is_counted_under_a_hash_and_nobody_is_told(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    for _ in range(RULES.notice_after_failures + 1):
        fail("nobody@example.com", 1)
        let_the_wait_pass()

    with open_session() as session:
        [row] = session.execute(select(SignInFailures)).scalars().all()
    assert row.subject.startswith("claim:") and row.failures == RULES.notice_after_failures + 1
    assert [record for record in caplog.records if "notice" in record.name] == []


def test_wrong_postcodes_before_an_export_count_towards_the_same_customer() -> None:
    conversation = sign_in("C10001", "AC1 4RT")
    conversation.start("export_my_data", data_request="export")
    conversation.answer("ZZ1 1ZZ")

    assert customer_failures(1) == 1


def test_a_wait_reads_in_whole_minutes_or_hours_rounded_up() -> None:
    now = datetime(2026, 3, 11, 10, 0, tzinfo=timezone.utc)

    assert [wait_in_words(now + timedelta(seconds=s), now) for s in (1, 60, 61, 3540, 3600, 3601, 7200)] == [
        "1 minute", "1 minute", "2 minutes", "59 minutes", "1 hour", "2 hours", "2 hours",
    ]

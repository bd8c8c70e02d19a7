"""Checking the postcode on an account, the one proof of identity in chat, so that it can't be guessed.

Every check, at sign-in (`actions.identity`) or just before something irreversible
(`actions.step_up`), goes through `check_postcode`. It does not look at the postcode at all while
a wait is running; it counts each failure in the database (`bot.store.sign_ins`), across every
conversation, so a new conversation or `/restart` starts nothing afresh; and it tells the customer
by email when failures for their account reach the policy's threshold. This demo has no mail
server: the notice is one line on the `candor.notices.sign_in` logger, naming only the internal
customer id.

A conversation also counts its own failures (`identity_failures`), per request: after
`identity.attempts_per_request` wrong answers the form stops asking and offers a person.
"""

from __future__ import annotations

import enum
import logging
import math
from dataclasses import dataclass
from datetime import datetime
from typing import List, Optional, Sequence

from rasa_sdk import Tracker
from sqlalchemy.orm import Session

from bot.policy import current_policy
from bot.policy_sections import Identity
from bot.store.customers import normalise_postcode
from bot.store.database import open_session
from bot.store.shop_records import Customer
from bot.store.sign_ins import Failure, claim_subject, customer_subject, record_failure, record_success, retry_at

FAILURES_SLOT = "identity_failures"
NOTICES = logging.getLogger("candor.notices.sign_in")


class Verdict(str, enum.Enum):
    PROVEN = "proven"
    WRONG = "wrong"
    # Not checked: the subject must wait before it is tried again.
    WAIT = "wait"


@dataclass(frozen=True)
class Check:
    """What came of one postcode check, and when the subject may next be tried if it must wait."""

    verdict: Verdict
    retry_at: Optional[datetime] = None


def identity_rules() -> Identity:
    return current_policy().identity


def attempts_exhausted(tracker: Tracker) -> bool:
    """Whether this request has had as many wrong answers as the policy allows."""
    return failures_so_far(tracker) >= identity_rules().attempts_per_request


def failures_so_far(tracker: Tracker) -> int:
    return int(tracker.get_slot(FAILURES_SLOT) or 0)


def waiting_until(subject: str, now: datetime) -> Optional[datetime]:
    """When `subject` may be tried again, if it must wait; None if it may be tried now."""
    with open_session() as session:
        return retry_at(session, subject, now)


def everything_about(customer: Customer) -> List[str]:
    """Every subject a proven customer's success resets: the account, and both ways of naming it."""
    return [customer_subject(customer.id), claim_subject(customer.customer_number), claim_subject(customer.email)]


def check_postcode(
    session: Session,
    customer: Optional[Customer],
    postcode: str,
    lock: str,
    counted: Sequence[str],
    now: datetime,
) -> Check:
    """Compare `postcode` with the account's, unless `lock` must wait; count a failure on `counted`.

    `customer` is None for a claim that matches no one: that fails like a wrong postcode, and
    is counted and slowed down the same way.
    """
    until = retry_at(session, lock, now)
    if until is not None:
        return Check(Verdict.WAIT, until)
    if customer is not None and normalise_postcode(customer.postcode) == normalise_postcode(str(postcode)):
        record_success(session, everything_about(customer))
        return Check(Verdict.PROVEN)
    rules = identity_rules()
    failures = [record_failure(session, subject, now, rules) for subject in counted]
    if customer is not None:
        _notify_when_due(customer.id, failures, rules)
    locked = next((failure.retry_at for failure in failures if failure.subject == lock), None)
    return Check(Verdict.WRONG, locked)


def _notify_when_due(customer_id: int, failures: Sequence[Failure], rules: Identity) -> None:
    """Tell the customer once, when the failures for their account reach the threshold."""
    account = customer_subject(customer_id)
    for failure in failures:
        if failure.subject == account and failure.failures == rules.notice_after_failures:
            NOTICES.warning(
                "notice to the email address of customer %d: %d wrong postcodes in a row for their account; "
                "the next try waits until %s (logged, not sent: no mail server is configured)",
                customer_id,
                failure.failures,
                failure.retry_at.isoformat() if failure.retry_at else "now",
            )


def wait_in_words(until: datetime, now: datetime) -> str:
    """`1 minute`, `4 minutes`, `1 hour`: how long until `until`, rounded up, to fill `{wait}`."""
    minutes = max(1, math.ceil((until - now).total_seconds() / 60))
    if minutes < 60:
        return "1 minute" if minutes == 1 else f"{minutes} minutes"
    hours = math.ceil(minutes / 60)
    return "1 hour" if hours == 1 else f"{hours} hours"

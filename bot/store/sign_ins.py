"""Failed postcode checks, counted across every conversation, so that guessing a postcode gets slower.

A conversation's own count ended with the conversation: a new conversation id, or `/restart`,
gave three fresh guesses. These rows outlive conversations. Each counts the failures of one
*subject* in a row:

- a customer (`customer:<id>`): every failed sign-in or re-check for their account, wherever it
  was tried. A re-check (step-up) waits on this count, and the customer is told when it grows.
- a claim (`claim:<keyed hash>`): what was typed at sign-in, an email address or a customer
  number, normalised. Sign-in waits on this count, known customer or not, so "please wait" says
  nothing about whether an account exists, nor which email and customer number go together.
  The claim itself is never stored: only an HMAC under the server's secret key.

A success deletes the subject's row; failures older than the policy's window are forgotten.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Iterable, Optional

from sqlalchemy import Column, Integer, String, delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session

from bot.settings import secret_key
from bot.store.base import Base, UTCDateTime

if TYPE_CHECKING:
    from bot.policy_sections import Identity


class SignInFailures(Base):
    """Failed postcode checks in a row for one subject (a customer, or a hashed claim)."""

    __tablename__ = "sign_in_failures"

    subject: Mapped[str] = Column(String(80), primary_key=True)
    failures: Mapped[int] = Column(Integer, nullable=False)
    last_failed_at: Mapped[datetime] = Column(UTCDateTime, nullable=False, index=True)
    # No postcode is checked for this subject before this moment.
    retry_at: Mapped[Optional[datetime]] = Column(UTCDateTime)


def customer_subject(customer_id: int) -> str:
    return f"customer:{customer_id}"


def claim_subject(claim: str) -> str:
    """The subject for a normalised claim (`C10001`, `ada@example.com`): a keyed hash, never the claim."""
    digest = hmac.new(secret_key(), b"sign-in claim\x00" + claim.encode("utf-8"), hashlib.sha256).hexdigest()
    return f"claim:{digest}"


@dataclass(frozen=True)
class Failure:
    """A subject's count after one more failure, and when it may next be tried (None: at once)."""

    subject: str
    failures: int
    retry_at: Optional[datetime]


def retry_at(session: Session, subject: str, now: datetime) -> Optional[datetime]:
    """When `subject` may next be tried, if that is still to come; None if it may be tried now."""
    row = session.get(SignInFailures, subject)
    if row is None or row.retry_at is None or row.retry_at <= now:
        return None
    return row.retry_at


def record_failure(session: Session, subject: str, now: datetime, rules: "Identity") -> Failure:
    """Count one more failure for `subject` and set when it may next be tried."""
    forget_old_failures(session, now - rules.forget_failures_after)
    row = _locked_row(session, subject)
    if row is None:
        row = _new_row(session, subject, now)
    row.failures += 1
    row.last_failed_at = now
    delay = rules.delay_after(row.failures)
    row.retry_at = now + delay if delay is not None else None
    session.flush()
    return Failure(subject, row.failures, row.retry_at)


def record_success(session: Session, subjects: Iterable[str]) -> None:
    """The postcode matched: these subjects start again from nothing."""
    names = list(subjects)
    if names:
        session.execute(delete(SignInFailures).where(SignInFailures.subject.in_(names)).execution_options(synchronize_session=False))


def forget_old_failures(session: Session, before: datetime) -> int:
    """Delete counts whose last failure was before `before`; how many."""
    result = session.execute(
        delete(SignInFailures).where(SignInFailures.last_failed_at < before).execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)


def _locked_row(session: Session, subject: str) -> Optional[SignInFailures]:
    """The row, locked until the transaction ends, so two failures at once both count (PostgreSQL).

    SQLite needs no row lock: Candor's sessions take the database's write lock when they begin.
    """
    return session.get(SignInFailures, subject, with_for_update=True, populate_existing=True)


def _new_row(session: Session, subject: str, now: datetime) -> SignInFailures:
    """A row with no failures yet; if another server created it a moment ago, that one, locked."""
    try:
        with session.begin_nested():
            row = SignInFailures(subject=subject, failures=0, last_failed_at=now)
            session.add(row)
        return row
    except IntegrityError:
        existing = _locked_row(session, subject)
        if existing is None:  # created and deleted again in between: vanishingly rare, and harmless to say so
            raise
        return existing

"""The consent ledger: what each customer agreed to, when, and exactly what they were shown.

Decisions are appended, never edited; the latest one for a customer and purpose is in force.
Whether it still counts depends on the policy in force *now*: a new consent version, or a "yes"
older than `valid_days`, means the customer has to be asked again.
"""

from __future__ import annotations

import enum
import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import List, Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.policy import current_policy
from bot.policy_sections import Consent
from bot.store.consent import ConsentDecision, ConsentRecord


class ConsentState(str, enum.Enum):
    """Where a customer stands for one purpose under the current policy."""

    GRANTED = "granted"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"
    NOT_ASKED = "not_asked"
    EXPIRED = "expired"  # said yes, longer ago than the policy's valid_days
    OUTDATED = "outdated"  # decided under an older consent version

    @property
    def should_ask(self) -> bool:
        """Ask only when there is no decision under the current wording: a "no" is never nagged."""
        return self in (ConsentState.NOT_ASKED, ConsentState.EXPIRED, ConsentState.OUTDATED)


@dataclass(frozen=True)
class Where:
    """The channel and conversation a decision was made in, recorded with it as evidence."""

    channel: Optional[str]
    conversation_id: Optional[str]


def wording_sha256(text: str) -> str:
    """Fingerprint of the exact words shown, so the record proves what was agreed to."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def latest_decision(session: Session, customer_id: int, purpose: str) -> Optional[ConsentRecord]:
    query = (
        select(ConsentRecord)
        .where(ConsentRecord.customer_id == customer_id, ConsentRecord.purpose == purpose)
        .order_by(ConsentRecord.decided_at.desc(), ConsentRecord.id.desc())
        .limit(1)
    )
    return session.execute(query).scalar_one_or_none()


def consent_state(
    session: Session, customer_id: int, purpose: str, now: datetime, consent: Optional[Consent] = None
) -> ConsentState:
    """The customer's standing for `purpose` under the policy in force."""
    consent = consent or current_policy().privacy.consent
    consent.purpose(purpose)  # an unknown purpose is an error, not a silent "not asked"
    record = latest_decision(session, customer_id, purpose)
    if record is None:
        return ConsentState.NOT_ASKED
    if record.consent_version != consent.version:
        return ConsentState.OUTDATED
    if record.decision is ConsentDecision.GRANTED:
        if now - record.decided_at > timedelta(days=consent.valid_days):
            return ConsentState.EXPIRED
        return ConsentState.GRANTED
    return ConsentState(record.decision.value)


def record_decision(
    session: Session,
    customer_id: int,
    purpose: str,
    granted: bool,
    now: datetime,
    where: Where,
    consent: Optional[Consent] = None,
    plain: bool = False,
) -> ConsentRecord:
    """Append the customer's answer to the consent request for `purpose`, with its wording's hash.

    `plain` says the customer was asked in plain language, so the hash is of those words.
    """
    consent = consent or current_policy().privacy.consent
    record = ConsentRecord(
        customer_id=customer_id,
        purpose=purpose,
        consent_version=consent.version,
        decision=ConsentDecision.GRANTED if granted else ConsentDecision.REFUSED,
        decided_at=now,
        channel=where.channel,
        conversation_id=where.conversation_id,
        wording_sha256=wording_sha256(consent.request_text(purpose, plain=plain)),
    )
    session.add(record)
    session.flush()
    return record


def withdraw_all(
    session: Session, customer_id: int, now: datetime, where: Where, consent: Optional[Consent] = None
) -> List[str]:
    """Withdraw every purpose currently granted; returns the purposes withdrawn (maybe none)."""
    consent = consent or current_policy().privacy.consent
    withdrawn = []
    for purpose in consent.purposes:
        if consent_state(session, customer_id, purpose, now, consent) is ConsentState.GRANTED:
            record = latest_decision(session, customer_id, purpose)
            session.add(
                ConsentRecord(
                    customer_id=customer_id,
                    purpose=purpose,
                    consent_version=record.consent_version if record else consent.version,
                    decision=ConsentDecision.WITHDRAWN,
                    decided_at=now,
                    channel=where.channel,
                    conversation_id=where.conversation_id,
                )
            )
            withdrawn.append(purpose)
    session.flush()
    return withdrawn


def consent_expires_at(record: ConsentRecord, consent: Optional[Consent] = None) -> datetime:
    consent = consent or current_policy().privacy.consent
    return record.decided_at + timedelta(days=consent.valid_days)

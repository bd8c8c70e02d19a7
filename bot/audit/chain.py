"""The hash chain: appending records and proving nobody has edited, removed or reordered them.

Each record's hash covers its own fields and the previous record's hash, so changing any record
changes every hash after it. `verify_chain` recomputes them all. A record's position (`seq`) is
unique, so two processes appending at once can never both take the same place; on PostgreSQL
appends also queue on a transaction-scoped advisory lock (SQLite's BEGIN IMMEDIATE already
serialises writers), so they do not have to retry.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Dict, Iterator, List, Optional

from sqlalchemy import select, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.store.audit import AuditRecord
from bot.store.database import open_session

GENESIS_HASH = "0" * 64
APPEND_ATTEMPTS = 5
# Any constant works; it names "the end of Candor's audit chain" among the database's advisory locks.
ADVISORY_LOCK_KEY = 0x43616E646F72  # "Candor"


def canonical_json(body: Dict[str, Any]) -> str:
    """One spelling for one body: sorted keys, no spaces, so the hash does not depend on layout."""
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def record_hash(
    prev_hash: str, seq: int, kind: str, conversation_id: Optional[str], recorded_at: datetime, policy_version: int, body: str
) -> str:
    """SHA-256 over every field of a record and the hash of the record before it."""
    fields = [prev_hash, seq, kind, conversation_id, _utc_iso(recorded_at), policy_version, body]
    return hashlib.sha256(canonical_json({"fields": fields}).encode("utf-8")).hexdigest()


def append_record(
    session: Session,
    kind: str,
    body: Dict[str, Any],
    policy_version: int,
    conversation_id: Optional[str] = None,
    recorded_at: Optional[datetime] = None,
) -> AuditRecord:
    """Add a record at the end of the chain, within the caller's unit of work."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK_KEY})
    last = session.execute(select(AuditRecord).order_by(AuditRecord.seq.desc()).limit(1)).scalar_one_or_none()
    seq = last.seq + 1 if last else 1
    prev_hash = last.hash if last else GENESIS_HASH
    recorded_at = (recorded_at or datetime.now(timezone.utc)).astimezone(timezone.utc)
    serialised = canonical_json(body)
    record = AuditRecord(
        seq=seq,
        kind=kind,
        conversation_id=conversation_id,
        recorded_at=recorded_at,
        policy_version=policy_version,
        body=serialised,
        prev_hash=prev_hash,
        hash=record_hash(prev_hash, seq, kind, conversation_id, recorded_at, policy_version, serialised),
    )
    session.add(record)
    session.flush()
    return record


def append(engine: Engine, kind: str, body: Dict[str, Any], policy_version: int, conversation_id: Optional[str] = None) -> AuditRecord:
    """Append in a unit of work of its own, retrying when another process took the same place."""
    for attempt in range(APPEND_ATTEMPTS):
        try:
            with open_session(engine) as session:
                return append_record(session, kind, body, policy_version, conversation_id)
        except IntegrityError:
            if attempt == APPEND_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


@dataclass
class ChainReport:
    """What `verify_chain` found: how many records it checked and every break in the chain."""

    records: int = 0
    problems: List[str] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.problems


def verify_chain(session: Session) -> ChainReport:
    """Recompute every hash and link; name each record that was edited, removed or reordered."""
    report = ChainReport()
    expected_seq, prev_hash = 1, GENESIS_HASH
    for record in _in_order(session):
        report.records += 1
        if record.seq != expected_seq:
            report.problems.append(f"record {expected_seq} to {record.seq - 1} missing: the chain jumps from {expected_seq - 1} to {record.seq}")
        if record.prev_hash != prev_hash:
            report.problems.append(f"record {record.seq} does not follow the record before it (its previous hash differs)")
        recomputed = record_hash(
            record.prev_hash, record.seq, record.kind, record.conversation_id, record.recorded_at, record.policy_version, record.body
        )
        if recomputed != record.hash:
            report.problems.append(f"record {record.seq} was changed after it was written (its hash no longer matches)")
        expected_seq, prev_hash = record.seq + 1, record.hash
    return report


def record_body(record: AuditRecord) -> Dict[str, Any]:
    """A record's body as data."""
    return json.loads(record.body)


def _in_order(session: Session) -> Iterator[AuditRecord]:
    return session.execute(select(AuditRecord).order_by(AuditRecord.seq).execution_options(yield_per=500)).scalars()


def _utc_iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="microseconds")

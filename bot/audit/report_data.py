"""The accountability report's figures as data: the period, the records read, and each number's evidence.

Kept apart from the counting (`bot.audit.report_counts`) and the rendering (`bot.audit.report_html`),
so both read one set of plain, frozen values: every count is a list of record positions (`seq`),
never a bare integer, and the rendering can add nothing the counting did not find.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any, List, Mapping, Optional, Sequence, Tuple

from bot.audit.chain import ChainReport
from bot.store.audit import AuditRecord

TURN_KIND = "turn"


@dataclass(frozen=True)
class Period:
    """Whole days in UTC, both ends included: what a manager means by "from the 1st to the 30th"."""

    since: date
    until: date

    def __post_init__(self) -> None:
        if self.until < self.since:
            raise ValueError(
                f"the period ends on {self.until} before it starts on {self.since}: "
                "give an end date on or after the start date"
            )

    @property
    def start(self) -> datetime:
        return datetime(self.since.year, self.since.month, self.since.day, tzinfo=timezone.utc)

    @property
    def end(self) -> datetime:
        """The first moment after the period (exclusive)."""
        return datetime(self.until.year, self.until.month, self.until.day, tzinfo=timezone.utc) + timedelta(days=1)

    @property
    def days(self) -> List[date]:
        return [self.since + timedelta(days=offset) for offset in range((self.until - self.since).days + 1)]

    def contains(self, moment: datetime) -> bool:
        return self.start <= moment < self.end


@dataclass(frozen=True)
class AuditEntry:
    """One audit record as data: what the report reads, detached from the database session."""

    seq: int
    kind: str
    conversation_id: Optional[str]
    recorded_at: datetime
    policy_version: int
    hash: str
    body: Mapping[str, Any]

    @classmethod
    def from_record(cls, record: AuditRecord) -> "AuditEntry":
        return cls(
            seq=record.seq,
            kind=record.kind,
            conversation_id=record.conversation_id,
            recorded_at=record.recorded_at,
            policy_version=record.policy_version,
            hash=record.hash,
            body=_parsed(record.body),
        )

    @property
    def is_turn(self) -> bool:
        return self.kind == TURN_KIND

    @property
    def understood(self) -> Optional[Mapping[str, Any]]:
        """What the NLU made of the customer's message; None when no customer wrote in this turn."""
        understood = self.body.get("understood") if self.is_turn else None
        return understood if isinstance(understood, dict) else None

    @property
    def is_customer_turn(self) -> bool:
        return self.understood is not None

    @property
    def intent(self) -> Optional[str]:
        return self.understood.get("intent") if self.understood else None

    @property
    def confidence(self) -> Optional[float]:
        return self.understood.get("confidence") if self.understood else None

    @property
    def actions(self) -> List[str]:
        return [step.get("action") or "" for step in self.body.get("steps") or [] if isinstance(step, dict)]

    @property
    def started_at(self) -> datetime:
        """When the turn began (its first event); the record's own time for records without one."""
        started = self.body.get("started_at")
        if isinstance(started, (int, float)) and not isinstance(started, bool):
            return datetime.fromtimestamp(started, tz=timezone.utc)
        return self.recorded_at

    def section(self, name: str) -> Mapping[str, Any]:
        """A dict-valued part of the body (`consent`, `handoff`, `detector`), empty when absent."""
        value = self.body.get(name)
        return value if isinstance(value, dict) else {}


@dataclass(frozen=True)
class Evidence:
    """A number in the report and the audit records it was counted from."""

    anchor: str  # the id of the evidence section: "evidence-<anchor>"
    title: str
    rule: str  # which records were counted, in words a manager can check against the appendix
    seqs: Tuple[int, ...]
    # The value this evidence was grouped by (a handoff reason, a distress category), if any.
    group: Optional[str] = None

    @property
    def count(self) -> int:
        return len(self.seqs)

    @property
    def href(self) -> str:
        return f"#evidence-{self.anchor}"


@dataclass(frozen=True)
class HandoffTiming:
    """How long one conversation ran before it asked for a person."""

    conversation_id: str
    first_seq: int
    handoff_seq: int
    seconds: float


@dataclass(frozen=True)
class PolicyInForce:
    """A policy record that governed some of the period."""

    version: int
    sha256: Optional[str]
    seq: int
    recorded_at: datetime
    before_period: bool  # recorded before the period began, and still in force when it did


@dataclass(frozen=True)
class DayCount:
    day: date
    conversations: int
    turns: int

    @property
    def anchor(self) -> str:
        """The appendix heading row of this day's records."""
        return f"day-{self.day.isoformat()}"


@dataclass(frozen=True)
class ReportData:
    """Every number in the report, with the records behind it; rendering adds nothing new."""

    period: Period
    generated_at: datetime
    chain: ChainReport
    # The appendix: every record in the period, and the policy record in force when it began.
    entries: Tuple[AuditEntry, ...]
    conversations: Evidence
    turns: Evidence
    customer_turns: Evidence
    handoff_conversations: Evidence
    handoff_requests: Evidence
    handoff_reasons: Tuple[Evidence, ...]
    handoff_timings: Tuple[HandoffTiming, ...]
    fallbacks: Evidence
    distress: Tuple[Evidence, ...]
    distress_total: Evidence
    consent_granted: Evidence
    consent_refused: Evidence
    consent_withdrawn: Evidence
    explanations: Evidence
    feedback: Evidence
    notices: Tuple[Evidence, ...]
    policy_turns: Tuple[Evidence, ...]
    policies: Tuple[PolicyInForce, ...]
    per_day: Tuple[DayCount, ...]

    @property
    def is_empty(self) -> bool:
        """No record at all was written in the period."""
        return not any(self.period.contains(entry.recorded_at) for entry in self.entries)

    @property
    def handoff_rate(self) -> Optional[float]:
        return _share(self.handoff_conversations.count, self.conversations.count)

    @property
    def fallback_rate(self) -> Optional[float]:
        return _share(self.fallbacks.count, self.customer_turns.count)

    @property
    def median_seconds_to_handoff(self) -> Optional[float]:
        return percentile([timing.seconds for timing in self.handoff_timings], 0.5)

    @property
    def p90_seconds_to_handoff(self) -> Optional[float]:
        return percentile([timing.seconds for timing in self.handoff_timings], 0.9)

    @property
    def all_evidence(self) -> List[Evidence]:
        """Every evidence section, in the order the report lists them."""
        return [
            self.conversations,
            self.turns,
            self.customer_turns,
            self.handoff_conversations,
            self.handoff_requests,
            *self.handoff_reasons,
            self.fallbacks,
            self.distress_total,
            *self.distress,
            self.consent_granted,
            self.consent_refused,
            self.consent_withdrawn,
            self.explanations,
            self.feedback,
            *self.notices,
            *self.policy_turns,
        ]


def percentile(values: Sequence[float], fraction: float) -> Optional[float]:
    """The value below which `fraction` of `values` lie, interpolating between neighbours; None if empty."""
    ordered = sorted(values)
    if not ordered:
        return None
    position = (len(ordered) - 1) * fraction
    lower = math.floor(position)
    upper = min(lower + 1, len(ordered) - 1)
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (position - lower)


def _parsed(body: str) -> Mapping[str, Any]:
    """A record's body; an edited body that is no longer JSON counts as empty rather than stopping
    the report, whose chain verification then names the record."""
    try:
        parsed = json.loads(body)
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}


def _share(part: int, whole: int) -> Optional[float]:
    return part / whole if whole else None

"""The accountability report's numbers, each counted from the audit records behind it.

A manager must be able to check any number by reading the records behind it, so every count here
is a list of record positions (`seq`), never a bare integer. Reading the trail (`gather`) is kept
apart from counting (`summarise`), which is pure and works on plain `AuditEntry` values, so the
rules for what counts as a handoff or a fallback can be tested without a database.

Everything is read from the audit trail alone, not from the shop's own tables (handoffs, consent
records): the trail is the hash-chained record, so a number checked against it is checked against
something nobody could have edited quietly.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date, datetime
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Tuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.audit.chain import ChainReport, verify_chain
from bot.audit.policy_records import POLICY_KIND
from bot.audit.report_data import (
    AuditEntry,
    DayCount,
    Evidence,
    HandoffTiming,
    Period,
    PolicyInForce,
    ReportData,
)
from bot.conversation.names import (
    ASK_WHY_INTENT,
    EXPLAIN_DECISION_ACTION,
    REPORT_WRONG_ANSWER_INTENT,
    TAKE_FEEDBACK_ACTION,
)
from bot.store.audit import AuditRecord

# What a customer turn tells us, by the intent understood or the action the assistant ran.
WITHDRAW_CONSENT_INTENT = "withdraw_consent"


def gather(session: Session, period: Period, generated_at: datetime) -> ReportData:
    """Read the period's records and the policy in force from the trail, verify it, and count."""
    in_period = select(AuditRecord).where(
        AuditRecord.recorded_at >= period.start, AuditRecord.recorded_at < period.end
    ).order_by(AuditRecord.seq)
    entries = [AuditEntry.from_record(record) for record in session.execute(in_period).scalars()]
    policy_before = session.execute(
        select(AuditRecord)
        .where(AuditRecord.kind == POLICY_KIND, AuditRecord.recorded_at < period.start)
        .order_by(AuditRecord.seq.desc())
        .limit(1)
    ).scalar_one_or_none()
    earlier = [AuditEntry.from_record(policy_before)] if policy_before is not None else []
    return summarise(earlier + entries, period, verify_chain(session), generated_at)


def summarise(entries: Iterable[AuditEntry], period: Period, chain: ChainReport, generated_at: datetime) -> ReportData:
    """Count everything the report shows from the given records (those outside the period are only
    used as the policy in force when it began)."""
    entries = sorted(entries, key=lambda entry: entry.seq)
    turns = [entry for entry in entries if entry.is_turn and period.contains(entry.recorded_at)]
    customer_turns = [entry for entry in turns if entry.is_customer_turn]
    first_turns = _first_turn_of_each_conversation(turns)
    handoff_turns = [entry for entry in turns if _handoff_request(entry)]
    first_handoffs = _first_turn_of_each_conversation(handoff_turns)
    distress_turns = [entry for entry in turns if entry.section("detector").get("changed_intent")]
    return ReportData(
        period=period,
        generated_at=generated_at,
        chain=chain,
        entries=tuple(_appendix(entries, period)),
        conversations=_evidence(
            "conversations", "Conversations", first_turns,
            "The first turn recorded in the period for each conversation (by conversation id). "
            "A conversation that began before the period is counted from its first turn inside it.",
        ),
        turns=_evidence("turns", "Turns", turns, "Every turn record in the period."),
        customer_turns=_evidence(
            "customer-turns", "Customer turns", customer_turns,
            "Turns in which the customer wrote something (the record says what was understood).",
        ),
        handoff_conversations=_evidence(
            "handoff-conversations", "Conversations handed to a person", first_handoffs,
            "For each conversation that asked for a person, its first turn that requested a handoff.",
        ),
        handoff_requests=_evidence(
            "handoff-requests", "Handoff requests", handoff_turns,
            "Every turn whose record holds a handoff request. A conversation may ask again, "
            "for example when a more urgent reason raises its priority.",
        ),
        handoff_reasons=_grouped(
            "handoff-reason", "Handoffs for reason", handoff_turns,
            lambda entry: (_handoff_request(entry) or {}).get("reason") or "unknown",
            "Turns that requested a handoff for the reason",
        ),
        handoff_timings=tuple(_handoff_timings(first_turns, first_handoffs)),
        fallbacks=_evidence(
            "fallbacks", "Fallback turns", [entry for entry in customer_turns if entry.body.get("fallback")],
            "Customer turns the assistant did not understand well enough to act on (marked as fallback: "
            "the intent was nlu_fallback).",
        ),
        distress_total=_evidence(
            "distress", "Distress detections", distress_turns,
            "Turns in which the distress detector changed the intent, and so what the assistant did.",
        ),
        distress=_grouped(
            "distress", "Distress detections of category", distress_turns,
            lambda entry: entry.section("detector").get("category") or "unknown",
            "Turns in which the distress detector changed the intent, for the category",
        ),
        consent_granted=_evidence(
            "consent-granted", "Consent granted",
            [entry for entry in turns if entry.section("consent").get("decision") is True],
            "Turns in which the customer answered yes to the assistant using their history.",
        ),
        consent_refused=_evidence(
            "consent-refused", "Consent refused",
            [entry for entry in turns if entry.section("consent").get("decision") is False],
            "Turns in which the customer answered no to the assistant using their history.",
        ),
        consent_withdrawn=_evidence(
            "consent-withdrawn", "Consent withdrawn",
            [entry for entry in customer_turns if entry.intent == WITHDRAW_CONSENT_INTENT],
            f"Turns in which the customer asked to stop using their history (intent {WITHDRAW_CONSENT_INTENT}).",
        ),
        explanations=_evidence(
            "explanations", "Explanations asked",
            [entry for entry in turns if entry.intent == ASK_WHY_INTENT or EXPLAIN_DECISION_ACTION in entry.actions],
            f"Turns in which the customer asked why (intent {ASK_WHY_INTENT}) or the assistant explained "
            f"a decision ({EXPLAIN_DECISION_ACTION}).",
        ),
        feedback=_evidence(
            "feedback", "Answers flagged as wrong",
            [entry for entry in turns if entry.intent == REPORT_WRONG_ANSWER_INTENT or TAKE_FEEDBACK_ACTION in entry.actions],
            f"Turns in which the customer said an answer was wrong (intent {REPORT_WRONG_ANSWER_INTENT}) or the assistant "
            f"took their feedback ({TAKE_FEEDBACK_ACTION}).",
        ),
        notices=_notices(turns),
        policy_turns=_grouped(
            "policy-version", "Turns under policy version", turns, lambda entry: str(entry.policy_version),
            "Turn records whose policy version is",
        ),
        policies=tuple(_policies_in_force(entries, period)),
        per_day=tuple(_per_day(period, turns, first_turns)),
    )


def slug(text: str) -> str:
    """A fragment-safe spelling of a label, for anchors."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "none"


def _handoff_request(entry: AuditEntry) -> Optional[Mapping[str, Any]]:
    """The handoff a turn requested ({reason, priority}), if it requested one."""
    requested = entry.section("handoff").get("requested")
    return requested if isinstance(requested, dict) else None


def _evidence(
    anchor: str, title: str, entries: Iterable[AuditEntry], rule: str, group: Optional[str] = None
) -> Evidence:
    return Evidence(anchor=anchor, title=title, rule=rule, seqs=tuple(entry.seq for entry in entries), group=group)


def _grouped(
    anchor: str, title: str, entries: Iterable[AuditEntry], key: Callable[[AuditEntry], str], rule: str
) -> Tuple[Evidence, ...]:
    """One evidence per value of `key`, largest first."""
    groups: Dict[str, List[AuditEntry]] = defaultdict(list)
    for entry in entries:
        groups[str(key(entry))].append(entry)
    ordered = sorted(groups.items(), key=lambda item: (-len(item[1]), item[0]))
    anchors = _unique([f"{anchor}-{slug(value)}" for value, _ in ordered])
    return tuple(
        _evidence(unique_anchor, f"{title} {value}", members, f"{rule} {value}.", group=value)
        for unique_anchor, (value, members) in zip(anchors, ordered)
    )


def _unique(anchors: List[str]) -> List[str]:
    """Anchors made distinct, for values that differ only in spelling ("self harm", "self_harm")."""
    seen: Dict[str, int] = defaultdict(int)
    unique = []
    for anchor in anchors:
        seen[anchor] += 1
        unique.append(anchor if seen[anchor] == 1 else f"{anchor}-{seen[anchor]}")
    return unique


def _first_turn_of_each_conversation(turns: Iterable[AuditEntry]) -> List[AuditEntry]:
    first: Dict[str, AuditEntry] = {}
    for entry in turns:
        if entry.conversation_id is not None and entry.conversation_id not in first:
            first[entry.conversation_id] = entry
    return list(first.values())


def _handoff_timings(first_turns: List[AuditEntry], first_handoffs: List[AuditEntry]) -> List[HandoffTiming]:
    started = {entry.conversation_id: entry for entry in first_turns}
    return [
        HandoffTiming(
            conversation_id=handoff.conversation_id or "",
            first_seq=started[handoff.conversation_id].seq,
            handoff_seq=handoff.seq,
            seconds=max(0.0, (handoff.started_at - started[handoff.conversation_id].started_at).total_seconds()),
        )
        for handoff in first_handoffs
    ]


def _notices(turns: Iterable[AuditEntry]) -> Tuple[Evidence, ...]:
    """One evidence per notice and version shown to customers in the period."""
    shown: Dict[Tuple[str, str], List[AuditEntry]] = defaultdict(list)
    for entry in turns:
        for notice in entry.body.get("notices") or []:
            if isinstance(notice, dict) and notice.get("notice"):
                key = (str(notice["notice"]), str(notice.get("version") or "unversioned"))
                if not shown[key] or shown[key][-1].seq != entry.seq:
                    shown[key].append(entry)
    ordered = sorted(shown.items())
    anchors = _unique([f"notice-{slug(name)}-{slug(version)}" for (name, version), _ in ordered])
    return tuple(
        _evidence(
            anchor, f"Notice {name}, version {version}", members,
            f"Turns in which the assistant showed the notice {name} at version {version}.",
            group=f"{name} {version}",
        )
        for anchor, ((name, version), members) in zip(anchors, ordered)
    )


def _policies_in_force(entries: Iterable[AuditEntry], period: Period) -> List[PolicyInForce]:
    return [
        PolicyInForce(
            version=int(entry.body.get("version", entry.policy_version)),
            sha256=entry.body.get("sha256"),
            seq=entry.seq,
            recorded_at=entry.recorded_at,
            before_period=entry.recorded_at < period.start,
        )
        for entry in entries
        if entry.kind == POLICY_KIND
    ]


def _appendix(entries: Iterable[AuditEntry], period: Period) -> List[AuditEntry]:
    """The records in the period, and the policy records before it that the report cites."""
    return [entry for entry in entries if period.contains(entry.recorded_at) or entry.kind == POLICY_KIND]


def _per_day(period: Period, turns: List[AuditEntry], first_turns: List[AuditEntry]) -> List[DayCount]:
    turns_on: Dict[date, int] = defaultdict(int)
    started_on: Dict[date, int] = defaultdict(int)
    for entry in turns:
        turns_on[entry.recorded_at.date()] += 1
    for entry in first_turns:
        started_on[entry.recorded_at.date()] += 1
    return [DayCount(day, started_on[day], turns_on[day]) for day in period.days]

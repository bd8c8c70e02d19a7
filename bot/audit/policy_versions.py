"""Policy versions as the audit trail and the policy files know them: what `candor policy` compares.

A version number should name one policy. The trail keeps every policy that actually ran, so when
a number names several (the file was edited without a bump) it can say so, and which records hold
them, instead of silently picking one.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Sequence

from sqlalchemy.orm import Session

from bot import settings
from bot.audit.chain import canonical_json, record_body
from bot.audit.policy_diff import PolicySnapshot, changelog_entry
from bot.audit.policy_records import policy_body, policy_records
from bot.policy import load_policy
from bot.store.audit import AuditRecord

CURRENT = "current"


class VersionSpecError(ValueError):
    """A version spec that names no policy; the message says what would."""


def recorded_policies(session: Session) -> List[PolicySnapshot]:
    """Every policy the audit trail recorded, oldest first."""
    return [snapshot_of_record(record) for record in policy_records(session)]


def snapshot_of_record(record: AuditRecord) -> PolicySnapshot:
    # Recorded documents are kept as they were: an older Candor may have recorded other fields.
    body = record_body(record)
    document = body.get("policy") if isinstance(body.get("policy"), Mapping) else {}
    return PolicySnapshot(
        version=int(body.get("version", record.policy_version)),
        sha256=str(body.get("sha256") or hashlib.sha256(canonical_json(document).encode("utf-8")).hexdigest()),
        document=document,
        source=f"audit trail record {record.seq}, {format_time(record.recorded_at)}",
        seq=record.seq,
        recorded_at=record.recorded_at,
    )


def snapshot_of_file(path: Path, source: Optional[str] = None) -> PolicySnapshot:
    """A policy file, validated as the assistant would load it (raises `PolicyError`)."""
    body = policy_body(load_policy(path))
    return PolicySnapshot(body["version"], body["sha256"], body["policy"], source or f"file {path}")


def current_snapshot() -> PolicySnapshot:
    """The policy file the assistant loads (`CANDOR_POLICY_FILE`, by default bot/policy.yml)."""
    return snapshot_of_file(settings.POLICY_FILE, f"current {display_path(settings.POLICY_FILE)}")


def is_version_number(spec: str) -> bool:
    return spec.isdigit()


def resolve(spec: str, recorded: Sequence[PolicySnapshot]) -> PolicySnapshot:
    """The policy a spec names: a version number in the trail, `current`, or a policy file.

    A number recorded with several contents means the latest of them, with a warning naming
    every record of that number.
    """
    if spec == CURRENT:
        return current_snapshot()
    if is_version_number(spec):
        version = int(spec)
        matching = [snapshot for snapshot in recorded if snapshot.version == version]
        if not matching:
            seen = ", ".join(str(number) for number in sorted({snapshot.version for snapshot in recorded})) or "none yet"
            raise VersionSpecError(
                f"version {version} was never recorded in the audit trail (recorded versions: {seen}); "
                "give a path to a policy file to compare with it instead"
            )
        return with_reuse_warning(matching[-1], recorded)
    path = Path(spec).expanduser()
    if not path.is_file():
        raise VersionSpecError(
            f"{spec!r} is not a version number, `current`, or a policy file that exists: "
            "give a version the audit trail recorded (see `candor policy history`) or the path of a policy YAML file"
        )
    return snapshot_of_file(path)


def default_old(new: PolicySnapshot, recorded: Sequence[PolicySnapshot]) -> Optional[PolicySnapshot]:
    """The newest recorded policy, before `new` if `new` is itself a record, that differs from it."""
    candidates = [
        snapshot for snapshot in recorded if snapshot.sha256 != new.sha256 and (new.seq is None or snapshot.seq < new.seq)  # type: ignore[operator]
    ]
    return with_reuse_warning(candidates[-1], recorded) if candidates else None


def with_reuse_warning(snapshot: PolicySnapshot, recorded: Sequence[PolicySnapshot]) -> PolicySnapshot:
    """`snapshot`, warning if the trail holds other contents under the same version number."""
    same_number = [other for other in recorded if other.version == snapshot.version]
    if len({other.sha256 for other in same_number}) < 2:
        return snapshot
    seqs = ", ".join(str(other.seq) for other in same_number)
    warning = (
        f"version {snapshot.version} was changed without a version bump: the audit trail holds "
        f"{len({other.sha256 for other in same_number})} different contents for it (records {seqs}); "
        f"this is record {snapshot.seq}"
    )
    return replace(snapshot, warnings=(*snapshot.warnings, warning))


@dataclass(frozen=True)
class HistoryEntry:
    """One policy content the trail has seen, and where it first appeared."""

    version: int
    sha256: str
    first_recorded_at: datetime
    seq: int
    seqs: List[int]
    changelog: Optional[Mapping[str, Any]]
    edited_without_bump: bool

    def as_dict(self) -> Dict[str, Any]:
        return {
            "version": self.version,
            "sha256": self.sha256,
            "first_recorded_at": self.first_recorded_at.isoformat(),
            "seq": self.seq,
            "records": self.seqs,
            "changelog": dict(self.changelog) if self.changelog is not None else None,
            "edited_without_bump": self.edited_without_bump,
        }


def history(recorded: Sequence[PolicySnapshot]) -> List[HistoryEntry]:
    """Each distinct policy in the trail once, in the order it first ran.

    A policy that ran, was replaced, and ran again is one entry with all its record numbers.
    """
    first: Dict[str, PolicySnapshot] = {}
    seqs: Dict[str, List[int]] = {}
    for snapshot in recorded:
        first.setdefault(snapshot.sha256, snapshot)
        seqs.setdefault(snapshot.sha256, []).append(snapshot.seq)  # type: ignore[arg-type]
    contents_per_version: Dict[int, int] = {}
    for snapshot in first.values():
        contents_per_version[snapshot.version] = contents_per_version.get(snapshot.version, 0) + 1
    return [
        HistoryEntry(
            version=snapshot.version,
            sha256=sha256,
            first_recorded_at=snapshot.recorded_at,  # type: ignore[arg-type]
            seq=snapshot.seq,  # type: ignore[arg-type]
            seqs=seqs[sha256],
            changelog=changelog_entry(snapshot.changelog, snapshot.version),
            edited_without_bump=contents_per_version[snapshot.version] > 1,
        )
        for sha256, snapshot in first.items()
    ]


@dataclass(frozen=True)
class CheckResult:
    passed: bool
    message: str


def check_against_trail(current: PolicySnapshot, recorded: Sequence[PolicySnapshot], file_name: str) -> CheckResult:
    """Whether `current` can run without muddying the trail: one number, one content; numbers go up."""
    name = f"{file_name} (version {current.version})"
    if not recorded:
        return CheckResult(True, f"{name} is valid; the audit trail has no policy recorded yet, so there is nothing to compare it with.")
    latest = recorded[-1]
    same_number = [snapshot for snapshot in recorded if snapshot.version == current.version]
    next_version = max(current.version, *(snapshot.version for snapshot in recorded)) + 1
    fix = f"bump `version` to {next_version} and add a changelog entry saying what changed"
    if same_number and same_number[-1].sha256 != current.sha256:
        return CheckResult(
            False,
            f"{name} was changed without a version bump: its contents differ from version {current.version} "
            f"in the audit trail (record {same_number[-1].seq}); {fix}",
        )
    if current.sha256 == latest.sha256:
        return CheckResult(True, f"{name} is valid and is the policy the audit trail recorded last (record {latest.seq}).")
    if current.version > latest.version:
        return CheckResult(True, f"{name} is valid and new: the audit trail recorded version {latest.version} last (record {latest.seq}).")
    if same_number:
        return CheckResult(
            True,
            f"{name} is valid and goes back to the policy of record {same_number[-1].seq}; "
            f"the audit trail recorded version {latest.version} last (record {latest.seq}).",
        )
    return CheckResult(
        False,
        f"{name} is numbered below version {latest.version}, which the audit trail recorded last (record {latest.seq}), "
        f"and matches no recorded policy; {fix}",
    )


def format_time(moment: datetime) -> str:
    return f"{moment.astimezone(timezone.utc):%Y-%m-%d %H:%M} UTC"


def display_path(path: Path) -> str:
    """A path relative to the project when it is inside it, as people type it."""
    try:
        return str(Path(path).resolve().relative_to(settings.PROJECT_ROOT))
    except ValueError:
        return str(path)

"""What changed between two policy documents, said so a reviewer can hold each change to account.

A policy change is a change to the promises the assistant makes, so `candor policy diff` must show
every one of them, name where it is (`privacy.retention.conversations_days`), show the changelog
that claims to explain them, and call out the two ways a change escapes accountability: an edit
that keeps the old version number, and a new version the changelog does not mention.

Everything here is pure: documents in, findings out. Where the documents come from (the audit
trail, a file) is `bot.audit.policy_versions`'s concern.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from difflib import SequenceMatcher
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

ADDED, REMOVED, CHANGED = "added", "removed", "changed"
# Shown in the header and the changelog section, so they are not repeated as changes.
NOT_COMPARED = ("version", "changelog")
# A rendered value longer than this goes on lines of its own, so long wording stays readable.
INLINE_WIDTH = 60


@dataclass(frozen=True)
class Change:
    """One difference: `old` is unset for an addition, `new` for a removal."""

    path: str
    kind: str
    old: Any = None
    new: Any = None

    def as_dict(self) -> Dict[str, Any]:
        data: Dict[str, Any] = {"path": self.path, "kind": self.kind}
        if self.kind != ADDED:
            data["old"] = self.old
        if self.kind != REMOVED:
            data["new"] = self.new
        return data


def diff_documents(old: Any, new: Any, path: str = "") -> List[Change]:
    """Every difference between two JSON-like documents, in path order.

    Mappings are compared key by key, in sorted order so the output does not depend on where a
    document came from (the audit trail stores keys sorted). Lists are aligned like lines of
    text, so an entity or a crisis resource inserted mid-list is one addition, not a shifted
    list; where items differ, mappings are compared by position, field by field. Indices in
    paths are the new list's, except for removals (the old list's).
    """
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        return _diff_mappings(old, new, path)
    if isinstance(old, list) and isinstance(new, list):
        return _diff_lists(old, new, path, pair_uneven=not all(_is_scalar(item) for item in [*old, *new]))
    if _same(old, new):
        return []
    return [Change(path, CHANGED, old, new)]


def changelog_entry(changelog: Sequence[Mapping[str, Any]], version: int) -> Optional[Mapping[str, Any]]:
    """The changelog's entry for `version`, if it has one."""
    return next((entry for entry in changelog if entry.get("version") == version), None)


def changelog_between(changelog: Sequence[Mapping[str, Any]], after: int, up_to: int) -> List[Mapping[str, Any]]:
    """The entries for versions after `after` up to and including `up_to`, newest first."""
    entries = [entry for entry in changelog if isinstance(entry.get("version"), int) and after < entry["version"] <= up_to]
    return sorted(entries, key=lambda entry: entry["version"], reverse=True)


@dataclass(frozen=True)
class PolicySnapshot:
    """One policy document and where it came from; `warnings` travel with it into any diff.

    `seq` and `recorded_at` are set when the document is an audit-trail record.
    """

    version: int
    sha256: str
    document: Mapping[str, Any]
    source: str
    warnings: Tuple[str, ...] = ()
    seq: Optional[int] = None
    recorded_at: Optional[datetime] = None

    @property
    def changelog(self) -> List[Mapping[str, Any]]:
        # Recorded documents are not re-validated, so a malformed changelog must not break a diff.
        entries = self.document.get("changelog")
        return [entry for entry in entries if isinstance(entry, Mapping)] if isinstance(entries, list) else []

    def describe(self) -> str:
        return f"version {self.version} ({self.source})"


@dataclass(frozen=True)
class PolicyComparison:
    """A diff of two policies with the changelog that should explain it.

    `findings` are failures of accountability (the command exits 1); `warnings` are worth
    knowing but do not make this change wrong.
    """

    old: PolicySnapshot
    new: PolicySnapshot
    changes: List[Change]
    changelog: List[Mapping[str, Any]]
    going_back: bool
    findings: List[str] = field(default_factory=list)
    warnings: List[str] = field(default_factory=list)

    @property
    def identical(self) -> bool:
        return self.old.sha256 == self.new.sha256


def compare(old: PolicySnapshot, new: PolicySnapshot) -> PolicyComparison:
    """Diff two policies and judge whether the change was accounted for."""
    changes = diff_documents(_compared_part(old.document), _compared_part(new.document))
    going_back = new.version < old.version
    if going_back:
        changelog = changelog_between(old.changelog, new.version, old.version)
    else:
        changelog = changelog_between(new.changelog, old.version, new.version)
    findings: List[str] = []
    warnings = [*old.warnings, *(warning for warning in new.warnings if warning not in old.warnings)]
    if old.sha256 != new.sha256:
        if old.version == new.version:
            findings.append(
                f"the policy was edited without bumping its version: both are version {new.version}, but their contents "
                f"differ (sha256 {old.sha256[:12]} and {new.sha256[:12]}); bump `version` to {new.version + 1} and add a "
                "changelog entry saying what changed"
            )
        if changelog_entry(new.changelog, new.version) is None:
            findings.append(
                f"the changelog does not mention version {new.version}: add an entry for it saying what changed, and why"
            )
        findings.extend(_unbumped_sections(new.document, changes))
        warnings.extend(_rewritten_entries(old.changelog, new.changelog))
    return PolicyComparison(old, new, changes, changelog, going_back, findings, warnings)


def render_comparison(comparison: PolicyComparison) -> str:
    """The comparison as plain text: header, warnings, changelog, changes, findings."""
    lines = [f"Policy {comparison.old.describe()} → {comparison.new.describe()}"]
    lines.extend(f"WARNING: {warning}" for warning in comparison.warnings)
    if comparison.identical:
        lines.append("")
        lines.append("No changes: the two policies are identical.")
        return "\n".join(lines)
    lines.append("")
    if comparison.going_back:
        lines.append(f"Going back from version {comparison.old.version} undoes:")
    else:
        lines.append("Changelog:")
    if comparison.changelog:
        for entry in comparison.changelog:
            lines.append(f"  version {entry.get('version')}, {entry.get('date', 'undated')}")
            lines.extend(f"    - {' '.join(str(change).split())}" for change in entry.get("changes") or [])
    elif comparison.old.version == comparison.new.version:
        lines.append(f"  (none: both are version {comparison.new.version})")
    else:
        lines.append("  (no entries)")
    lines.append("")
    lines.append(f"Changes ({len(comparison.changes)}):")
    lines.extend(render_change(change) for change in comparison.changes)
    if not comparison.changes:
        lines.append("  (none outside the changelog)")
    for finding in comparison.findings:
        lines.append("")
        lines.append(f"FINDING: {finding}")
    return "\n".join(lines)


def render_change(change: Change) -> str:
    """One change on one line, or with its values on lines of their own when they are long."""
    head = f"  {change.kind:<8} {change.path}"
    if change.kind == ADDED:
        labelled = [("new:", render_value(change.new))]
    elif change.kind == REMOVED:
        labelled = [("was:", render_value(change.old))]
    else:
        labelled = [("was:", render_value(change.old)), ("now:", render_value(change.new))]
    if any(len(text) > INLINE_WIDTH for _label, text in labelled):
        return "\n".join([head, *(f"             {label} {text}" for label, text in labelled)])
    if change.kind == ADDED:
        return f"{head}: {labelled[0][1]}"
    if change.kind == REMOVED:
        return f"{head} (was {labelled[0][1]})"
    return f"{head}: {labelled[0][1]} → {labelled[1][1]}"


def render_value(value: Any) -> str:
    """A value as compact JSON, so strings are quoted and `0.4` cannot be mistaken for `"0.4"`.

    Keys are sorted: the audit trail stores them sorted, and a value must read the same whichever
    side it came from.
    """
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(", ", ": "))


def comparison_as_dict(comparison: PolicyComparison) -> Dict[str, Any]:
    """The comparison as JSON-ready data for `--json`."""

    def side(snapshot: PolicySnapshot) -> Dict[str, Any]:
        return {"version": snapshot.version, "sha256": snapshot.sha256, "source": snapshot.source, "record": snapshot.seq}

    return {
        "old": side(comparison.old),
        "new": side(comparison.new),
        "identical": comparison.identical,
        "going_back": comparison.going_back,
        "changelog": [dict(entry) for entry in comparison.changelog],
        "changes": [change.as_dict() for change in comparison.changes],
        "findings": comparison.findings,
        "warnings": comparison.warnings,
    }


def _compared_part(document: Mapping[str, Any]) -> Dict[str, Any]:
    return {key: value for key, value in document.items() if key not in NOT_COMPARED}


def _unbumped_sections(document: Mapping[str, Any], changes: Sequence[Change]) -> List[str]:
    """Sections with a `version` of their own (a notice, the consent request) edited without bumping it.

    Those versions are recorded in each conversation as what the customer was shown or agreed
    to, so new wording under an old version would misstate what a customer saw.
    """
    findings = []
    for section, version in _versioned_sections(document):
        edited = sorted({change.path[len(section) + 1:].split(".")[0].split("[")[0] for change in changes if change.path.startswith(f"{section}.")})
        if edited and "version" not in edited:
            findings.append(
                f"{section} changed ({', '.join(edited)}) but its own version stayed {render_value(version)}: "
                f"bump {section}.version too, so conversations record which wording the customer saw"
            )
    return findings


def _versioned_sections(document: Any, path: str = "") -> List[Tuple[str, Any]]:
    found: List[Tuple[str, Any]] = []
    if isinstance(document, Mapping):
        if path and "version" in document:
            found.append((path, document["version"]))
        for key, value in document.items():
            found.extend(_versioned_sections(value, _key_path(path, str(key))))
    return found


def _rewritten_entries(old: Sequence[Mapping[str, Any]], new: Sequence[Mapping[str, Any]]) -> List[str]:
    """Changelog entries both documents have but word differently: history should not change."""
    rewritten = []
    for entry in new:
        before = changelog_entry(old, entry.get("version"))  # type: ignore[arg-type]
        if before is not None and dict(before) != dict(entry):
            rewritten.append(f"the changelog entry for version {entry.get('version')} was rewritten")
    return rewritten


def _diff_mappings(old: Mapping[str, Any], new: Mapping[str, Any], path: str) -> List[Change]:
    changes: List[Change] = []
    for key in sorted({*old, *new}, key=str):
        where = _key_path(path, str(key))
        if key not in new:
            changes.append(Change(where, REMOVED, old=old[key]))
        elif key not in old:
            changes.append(Change(where, ADDED, new=new[key]))
        else:
            changes.extend(diff_documents(old[key], new[key], where))
    return changes


def _diff_lists(old: List[Any], new: List[Any], path: str, pair_uneven: bool) -> List[Change]:
    # Aligned on their JSON spelling (so True and 1, equal in Python, stay different), so an item
    # inserted mid-list is one addition rather than every later item "changed".
    matcher = SequenceMatcher(None, [render_value(item) for item in old], [render_value(item) for item in new], autojunk=False)
    changes: List[Change] = []
    for operation, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        if operation == "equal":
            continue
        # Within a stretch that differs, items are compared by position: an edited crisis
        # resource shows which field changed. Scalars are only paired when nothing was added or
        # removed there, so a dropped entity is not reported as renamed to its neighbour.
        paired = 0
        if operation == "replace" and (pair_uneven or old_end - old_start == new_end - new_start):
            paired = min(old_end - old_start, new_end - new_start)
        for offset in range(paired):
            changes.extend(diff_documents(old[old_start + offset], new[new_start + offset], f"{path}[{new_start + offset}]"))
        changes.extend(Change(f"{path}[{index}]", REMOVED, old=old[index]) for index in range(old_start + paired, old_end))
        changes.extend(Change(f"{path}[{index}]", ADDED, new=new[index]) for index in range(new_start + paired, new_end))
    return changes


def _key_path(path: str, key: str) -> str:
    # A key that would read as part of a path (a dot, a bracket, a space) is quoted.
    part = key if key and not any(character in key for character in ".[] ") else f"[{json.dumps(key)}]"
    if part.startswith("["):
        return f"{path}{part}"
    return f"{path}.{part}" if path else part


def _is_scalar(value: Any) -> bool:
    return not isinstance(value, (Mapping, list))


def _same(old: Any, new: Any) -> bool:
    # 30 and 30.0 are the same number; True and 1, or 30 and "30", are not the same setting.
    return (type(old) is type(new) or (_is_number(old) and _is_number(new))) and old == new


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)

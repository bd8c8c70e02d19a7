"""The fairness figures: what `candor eval-fairness` measured, as it writes them and the report reads them.

One document holds the per-group figures of the three audits (intent accuracy by way of writing;
redaction and distress flagging by the origin of a customer's name), the model they describe, the
gaps the policy allowed when they were measured, and so whether the gate passed. The command
writes it with `--json`; `candor report` shows the newest one it finds under `var/`, because
measuring needs the trained model and a minute or two, and a report must not quietly re-measure
with whatever model happens to be on the machine that builds it.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

KIND = "candor-fairness-audit"
# Larger JSON files under var/ are not fairness documents (those are a few hundred kB at most).
MAX_DOCUMENT_BYTES = 5_000_000
# Shares closer than this are the same share: 5 points is a gap of 5 points, not one of 5.000000001.
_POINTS_TOLERANCE = 1e-9


class FairnessFileError(ValueError):
    """A fairness document that cannot be read; the message names the file and what is wrong."""


@dataclass(frozen=True)
class WritingGroup:
    """One way of writing English: how many of its requests were understood."""

    group: str
    requests: int
    understood: int
    not_understood: int  # the assistant said it did not understand (nlu_fallback)

    @property
    def accuracy(self) -> Optional[float]:
        return self.understood / self.requests if self.requests else None


@dataclass(frozen=True)
class NameGroup:
    """Names of one origin: how often they were fully redacted, and distress flagged beside them."""

    group: str
    names: int
    messages: int  # every message template filled with every name
    fully_redacted: int
    distress_messages: int  # the templates that tell of distress, filled with every name
    flagged: int  # given any distress verdict
    right_category: int  # given the category the message tells of

    @property
    def redaction_recall(self) -> Optional[float]:
        return self.fully_redacted / self.messages if self.messages else None

    @property
    def flag_rate(self) -> Optional[float]:
        return self.flagged / self.distress_messages if self.distress_messages else None

    @property
    def category_rate(self) -> Optional[float]:
        return self.right_category / self.distress_messages if self.distress_messages else None


@dataclass(frozen=True)
class Limits:
    """The largest gaps allowed, in percentage points (`fairness` in bot/policy.yml)."""

    max_intent_accuracy_gap_points: float
    max_redaction_recall_gap_points: float
    max_distress_flag_rate_gap_points: float


@dataclass(frozen=True)
class FairnessFigures:
    """Every per-group figure of one `candor eval-fairness` run, and what they were measured on."""

    measured_at: datetime
    model: str  # the model archive's name, which carries its fingerprint
    policy_version: int
    data: Mapping[str, str]  # each data file and the first 16 hex digits of its SHA-256
    limits: Limits
    writing: Tuple[WritingGroup, ...]
    names: Tuple[NameGroup, ...]

    @property
    def intent_accuracy_gap_points(self) -> Optional[float]:
        return spread_points([group.accuracy for group in self.writing])

    @property
    def redaction_recall_gap_points(self) -> Optional[float]:
        return spread_points([group.redaction_recall for group in self.names])

    @property
    def distress_flag_rate_gap_points(self) -> Optional[float]:
        return spread_points([group.flag_rate for group in self.names])

    @property
    def best_redaction_recall(self) -> Optional[float]:
        return max((group.redaction_recall for group in self.names if group.redaction_recall is not None), default=None)

    def redaction_gap_to_best_points(self, group: NameGroup) -> Optional[float]:
        best, recall = self.best_redaction_recall, group.redaction_recall
        return None if best is None or recall is None else 100 * (best - recall)

    def gate_failures(self) -> List[str]:
        """Each gap past its limit, in words that name the groups at either end; empty when the gate passes."""
        failures = []
        checks = (
            ("intent accuracy", self.writing, lambda group: group.accuracy, self.limits.max_intent_accuracy_gap_points),
            ("redaction recall", self.names, lambda group: group.redaction_recall, self.limits.max_redaction_recall_gap_points),
            ("distress flag rate", self.names, lambda group: group.flag_rate, self.limits.max_distress_flag_rate_gap_points),
        )
        for measure, groups, share_of, limit in checks:
            shares = [(share_of(group), group.group) for group in groups if share_of(group) is not None]
            if len(shares) < 2:
                continue
            # Ties go to the group listed first, so the message is the same on every run.
            (low, worst), (high, best) = min(shares, key=_share), max(shares, key=_share)
            gap = 100 * (high - low)
            if gap > limit + _POINTS_TOLERANCE:
                failures.append(
                    f"{measure}: {worst} {low:.3f} is {gap:.1f} points below {best} {high:.3f} (allowed: {limit:g})"
                )
        return failures

    @property
    def passed(self) -> bool:
        return not self.gate_failures()

    def to_json(self) -> Dict[str, Any]:
        """The document `--json` writes; the per-group shares are included for readers other than Candor."""
        return {
            "kind": KIND,
            "measured_at": self.measured_at.isoformat(),
            "model": self.model,
            "policy_version": self.policy_version,
            "data": dict(self.data),
            "limits": asdict(self.limits),
            "writing": [{**asdict(group), "accuracy": group.accuracy} for group in self.writing],
            "names": [
                {**asdict(group), "redaction_recall": group.redaction_recall, "flag_rate": group.flag_rate,
                 "category_rate": group.category_rate}
                for group in self.names
            ],
            "gaps_points": {
                "intent_accuracy": self.intent_accuracy_gap_points,
                "redaction_recall": self.redaction_recall_gap_points,
                "distress_flag_rate": self.distress_flag_rate_gap_points,
            },
            "gate": {"passed": self.passed, "failures": self.gate_failures()},
        }

    @classmethod
    def from_json(cls, document: Any, source: Path) -> FairnessFigures:
        """The figures in a document `to_json` wrote; anything else is refused, naming `source`."""
        if not isinstance(document, dict) or document.get("kind") != KIND:
            raise FairnessFileError(f"{source} is not a fairness audit (write one with `candor eval-fairness --json`)")
        try:
            return cls(
                measured_at=datetime.fromisoformat(document["measured_at"]),
                model=str(document["model"]),
                policy_version=int(document["policy_version"]),
                data={str(name): str(digest) for name, digest in document["data"].items()},
                limits=Limits(**document["limits"]),
                writing=tuple(WritingGroup(**_fields(row, WritingGroup)) for row in document["writing"]),
                names=tuple(NameGroup(**_fields(row, NameGroup)) for row in document["names"]),
            )
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise FairnessFileError(
                f"{source} is a fairness audit Candor cannot read ({error.__class__.__name__}: {error}); "
                "write it again with `candor eval-fairness --json`"
            ) from None


def spread_points(shares: Sequence[Optional[float]]) -> Optional[float]:
    """The best share minus the worst, in percentage points; None with fewer than two shares."""
    known = [share for share in shares if share is not None]
    return 100 * (max(known) - min(known)) if len(known) >= 2 else None


def read_figures(path: Path) -> FairnessFigures:
    """The figures in a fairness document, with a one-line reason when it cannot be read."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise FairnessFileError(f"cannot read {path}: {error.strerror or error}") from None
    except (UnicodeDecodeError, ValueError):
        raise FairnessFileError(f"{path} is not JSON (write it with `candor eval-fairness --json`)") from None
    return FairnessFigures.from_json(document, path)


def latest_document(folder: Path) -> Optional[Path]:
    """The fairness document under `folder` measured last, or None when there is none.

    Found by what it says (its `kind`), not its name, so whatever `--json` path was given counts.
    """
    newest: Optional[Tuple[str, Path]] = None
    for path in sorted(folder.rglob("*.json")) if folder.is_dir() else []:
        try:
            if path.stat().st_size > MAX_DOCUMENT_BYTES:
                continue
            document = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError):
            continue
        if isinstance(document, dict) and document.get("kind") == KIND:
            measured = str(document.get("measured_at", ""))
            if newest is None or measured > newest[0]:
                newest = (measured, path)
    return newest[1] if newest else None


@dataclass(frozen=True)
class FairnessSection:
    """What the report's fairness section shows: the figures, or why there are none."""

    source: Optional[Path]  # the document read; None when none was found
    figures: Optional[FairnessFigures] = None
    problem: Optional[str] = None  # why a document that was found could not be read
    current_model: Optional[str] = None  # the model for the training data as it is now

    @property
    def shown_source(self) -> str:
        """The document's path, from the project root when it is inside it."""
        from bot.settings import PROJECT_ROOT

        if self.source is None:
            return ""
        try:
            return str(self.source.resolve().relative_to(PROJECT_ROOT))
        except ValueError:
            return str(self.source)

    @property
    def describes_current_model(self) -> Optional[bool]:
        if self.figures is None or self.current_model is None:
            return None
        return self.figures.model == self.current_model


def _share(pair: Tuple[float, str]) -> float:
    return pair[0]


def _fields(row: Mapping[str, Any], kind: type) -> Dict[str, Any]:
    """The row's group and counts for `kind`; the shares written beside them are derived, so left out."""
    names = kind.__dataclass_fields__  # type: ignore[attr-defined]
    missing = sorted(set(names) - set(row))
    if missing:
        raise KeyError(", ".join(missing))
    values = {name: row[name] for name in names}
    counts = {name: value for name, value in values.items() if name != "group"}
    wrong = sorted(name for name, value in counts.items() if type(value) is not int or value < 0)
    if not isinstance(values["group"], str) or wrong:
        raise ValueError(f"group {values['group']!r}: {', '.join(wrong) or 'group'} must be a count")
    return values

"""The report's "Cost of the ethical layers" section: the newest `candor bench --baseline` run under var/.

Like the fairness figures, these are read from what a command measured, not counted from the audit
trail: a manager sees what Candor's layers cost customers in time, next to the same model without
them, and when that was measured. Only load runs are shown (a `--growth` run measures one
conversation, not a day's mix); a run without a baseline is shown without ratios.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Optional, Tuple

KIND = "candor-bench"
MAX_DOCUMENT_BYTES = 5_000_000
FIGURES = ("throughput", "p50_ms", "p95_ms", "p99_ms")


@dataclass(frozen=True)
class BenchRow:
    """One kind of message (or "all"): Candor's figures, the baseline's, and Candor ÷ baseline."""

    kind: str
    candor: Dict[str, float]
    baseline: Optional[Dict[str, float]] = None
    ratio: Optional[Dict[str, Optional[float]]] = None


@dataclass(frozen=True)
class BenchSection:
    """What the section shows: a run's rows, or why there are none."""

    source: Optional[Path] = None
    started_at: str = ""
    customers: int = 0
    errors: Dict[str, int] = field(default_factory=dict)
    rows: Tuple[BenchRow, ...] = ()
    problem: Optional[str] = None


def latest_bench(folder: Path) -> Optional[Path]:
    """The newest load run under `folder`, found by what the file says (its `kind`), not its name."""
    newest: Optional[Tuple[str, Path]] = None
    for path in sorted(folder.rglob("*.json")) if folder.is_dir() else []:
        document = _document(path)
        if document is not None and document.get("kind") == KIND and document.get("workload") == "load":
            started = str(document.get("started_at", ""))
            if newest is None or started > newest[0]:
                newest = (started, path)
    return newest[1] if newest else None


def bench_section(folder: Path) -> BenchSection:
    """The newest run under `folder` as the section shows it; a broken file is named, not fatal."""
    path = latest_bench(folder)
    if path is None:
        return BenchSection()
    try:
        return read_bench(path)
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        return BenchSection(source=path, problem=f"{path.name} is not a readable `candor bench` result ({error})")


def read_bench(path: Path) -> BenchSection:
    document = _document(path)
    if document is None:
        raise ValueError("not a JSON object")
    configurations = document["configurations"]
    candor, baseline = configurations["candor"], configurations.get("baseline")
    ratios = document.get("candor_over_baseline") or {}
    rows = []
    for kind, figures in [*candor["kinds"].items(), ("all", candor["overall"])]:
        theirs = None if baseline is None else (baseline["overall"] if kind == "all" else baseline["kinds"].get(kind))
        ratio = ratios.get(kind)
        rows.append(BenchRow(
            kind, _figures(figures), _figures(theirs) if theirs else None,
            {name: ratio.get("per_second" if name == "throughput" else name.removesuffix("_ms")) for name in FIGURES} if ratio else None,
        ))
    errors = {name: int(configuration["errors"]) for name, configuration in configurations.items()}
    return BenchSection(path, str(document["started_at"]), int(document["customers"]), errors, tuple(rows))


def _figures(given: Dict[str, Any]) -> Dict[str, float]:
    return {name: float(given[name]) for name in FIGURES}


def _document(path: Path) -> Optional[Dict[str, Any]]:
    try:
        if path.stat().st_size > MAX_DOCUMENT_BYTES:
            return None
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    return document if isinstance(document, dict) else None


"""The figures `candor bench` prints and saves, from the timed messages of a run.

Latency percentiles are over the messages the assistant answered (HTTP 200 with a list of
replies): a refused or failed request is counted as an error with its reason, and its time, which
says nothing about the cost of answering, is left out. Throughput is answered messages per second
of the run's wall-clock time.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from statistics import median
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

from bot.cli.percentiles import nearest_rank_percentile

ALL = "all"
PERCENTS = (50, 95, 99)
# Turns around which `--growth` reports the median latency, and how many turns on each side count.
GROWTH_MARKS = (10, 50, 100, 300, 1000)
GROWTH_WINDOW = 4
# Error reasons printed under a table; the JSON keeps them all, counted.
SHOWN_REASONS = 3


@dataclass(frozen=True)
class Sample:
    """One message sent: its kind, how long the answer took, whether it came, and what went wrong."""

    kind: str
    seconds: float
    answered: bool = True
    error: Optional[str] = None


@dataclass(frozen=True)
class Figures:
    """Count, throughput and latency percentiles (milliseconds) of one kind of message, or of all."""

    count: int
    per_second: float
    p50: float
    p95: float
    p99: float

    def value(self, name: str) -> float:
        return float(getattr(self, name))


@dataclass
class Summary:
    """A configuration's run: figures per kind and for all messages, and its errors."""

    seconds: float
    figures: Dict[str, Figures]
    errors: int
    reasons: Dict[str, int] = field(default_factory=dict)

    def as_json(self) -> Dict[str, object]:
        return {
            "seconds": round(self.seconds, 3),
            "messages": self.figures[ALL].count,
            "throughput": round(self.figures[ALL].per_second, 3),
            "errors": self.errors,
            "error_reasons": self.reasons,
            "kinds": {kind: _figures_json(figures) for kind, figures in self.figures.items() if kind != ALL},
            "overall": _figures_json(self.figures[ALL]),
        }


def summarise(samples: Sequence[Sample], seconds: float) -> Summary:
    """Figures per kind (in alphabetical order, so two runs' tables line up) and for all answered messages."""
    if seconds <= 0:
        raise ValueError("a run lasts a positive number of seconds")
    answered: Dict[str, List[float]] = {kind: [] for kind in sorted({sample.kind for sample in samples})}
    for sample in samples:
        if sample.answered:
            answered[sample.kind].append(sample.seconds * 1000)
    answered[ALL] = [ms for kind, times in answered.items() for ms in times]
    reasons = Counter(sample.error for sample in samples if sample.error)
    return Summary(
        seconds=seconds,
        figures={kind: _figures(times, seconds) for kind, times in answered.items()},
        errors=sum(reasons.values()),
        reasons=dict(reasons.most_common()),
    )


def ratios(candor: Summary, baseline: Summary) -> Dict[str, Dict[str, Optional[float]]]:
    """Candor ÷ baseline for every figure of every kind both have; None where the baseline is 0."""
    table: Dict[str, Dict[str, Optional[float]]] = {}
    for kind, ours in candor.figures.items():
        theirs = baseline.figures.get(kind)
        if theirs is not None:
            table[kind] = {name: _ratio(ours.value(name), theirs.value(name)) for name in ("per_second", "p50", "p95", "p99")}
    return table


def growth_medians(milliseconds: Sequence[float], marks: Iterable[int] = GROWTH_MARKS) -> Dict[int, float]:
    """The median latency of the turns around each mark (turns count from 1), for marks reached."""
    medians = {}
    for mark in marks:
        if mark <= len(milliseconds):
            window = milliseconds[max(0, mark - 1 - GROWTH_WINDOW): mark + GROWTH_WINDOW]
            medians[mark] = median(window)
    return medians


def load_table(title: str, summary: Summary) -> List[str]:
    """A configuration's figures as lines of text, kinds first, then all messages, then errors."""
    lines = [
        f"{title}: {summary.figures[ALL].count} messages answered in {summary.seconds:.1f} s, "
        f"{summary.figures[ALL].per_second:.1f} msg/s, {summary.errors} errors",
        f"  {'kind':<10}{'count':>7}{'msg/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}",
    ]
    for kind, figures in _kinds_then_all(summary.figures):
        lines.append(
            f"  {kind:<10}{figures.count:>7}{figures.per_second:>8.2f}{figures.p50:>9.0f}{figures.p95:>9.0f}{figures.p99:>9.0f}"
        )
    for reason, count in list(summary.reasons.items())[:SHOWN_REASONS]:
        lines.append(f"  error x{count}: {reason}")
    return lines


def ratio_table(table: Dict[str, Dict[str, Optional[float]]]) -> List[str]:
    """Candor ÷ baseline as lines of text: above 1 is more throughput, or more latency."""
    lines = ["candor ÷ baseline", f"  {'kind':<10}{'msg/s':>8}{'p50':>8}{'p95':>8}{'p99':>8}"]
    for kind, row in _kinds_then_all(table):
        lines.append(f"  {kind:<10}" + "".join(f"{_times(row[name]):>8}" for name in ("per_second", "p50", "p95", "p99")))
    return lines


def growth_table(title: str, medians: Dict[int, float]) -> List[str]:
    lines = [f"{title}: median latency around each turn (±{GROWTH_WINDOW} turns)"]
    lines += [f"  turn {mark:>5}  {ms:>8.0f} ms" for mark, ms in medians.items()]
    return lines


def _figures(milliseconds: List[float], seconds: float) -> Figures:
    if not milliseconds:
        return Figures(0, 0.0, 0.0, 0.0, 0.0)
    p50, p95, p99 = (nearest_rank_percentile(milliseconds, percent) for percent in PERCENTS)
    return Figures(len(milliseconds), len(milliseconds) / seconds, p50, p95, p99)


def _figures_json(figures: Figures) -> Dict[str, float]:
    return {
        "count": figures.count, "throughput": round(figures.per_second, 3),
        "p50_ms": round(figures.p50, 1), "p95_ms": round(figures.p95, 1), "p99_ms": round(figures.p99, 1),
    }


def _ratio(ours: float, theirs: float) -> Optional[float]:
    return ours / theirs if theirs else None


def _times(value: Optional[float]) -> str:
    return "-" if value is None else f"{value:.2f}x"


def _kinds_then_all(rows: Dict[str, object]) -> List[Tuple[str, object]]:  # type: ignore[type-arg]
    return [(kind, row) for kind, row in rows.items() if kind != ALL] + ([(ALL, rows[ALL])] if ALL in rows else [])

"""`candor eval-distress`: does the distress detector notice people in distress, and only them?

Trains the detector in-process from `data/distress/` and `data/nlu/` exactly as `rasa train` would
(a few seconds; no trained model archive is needed, so the figures always describe the current
data), then runs every message through the component's `process()` one at a time, as the server
does. Prints recall and precision per category, the false-positive rate on messages labelled
`none`, and the latency the detector adds per message.

Three kinds of input:
  * a CSV with `text,label` columns, label a category or `none` (Candor's own set:
    data/distress/eval.csv);
  * `--goemotions`: the GoEmotions TSV (`text<TAB>label ids<TAB>id`, names in labels.txt beside
    it), mapped by GOEMOTIONS_MAPPING; comments with only calm or positive emotions count as
    `none`, comments with other emotions (anger, sadness, ...) are left out as ambiguous;
  * `--all-none`: any CSV with a `text` column, every row an ordinary message (for example the
    Bitext customer-support set), to measure how often everyday requests are flagged.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Dict, List, Optional, Sequence, Tuple

from bot.cli.csvfiles import read_csv_rows
from bot.cli.errors import CommandError
from bot.policy import DISTRESS_CATEGORIES

if TYPE_CHECKING:  # Rasa is slow to import; the command imports it only when it runs
    from bot.components.distress import DistressDetector

NONE = "none"
LABELS = (*DISTRESS_CATEGORIES, NONE)

# GoEmotions emotions that name a distress category (the rest of a comment's emotions do not matter).
GOEMOTIONS_MAPPING = {"grief": "bereavement", "fear": "emotional_distress", "nervousness": "emotional_distress"}
# A comment whose every emotion is one of these is an ordinary, non-distressed message.
GOEMOTIONS_NONE = frozenset(
    {"neutral", "admiration", "amusement", "approval", "gratitude", "joy", "love", "optimism",
     "excitement", "curiosity", "pride", "relief", "surprise", "realization", "caring", "desire"}
)


@dataclass
class CategoryResult:
    recall: Optional[float]  # None when no message has this label
    precision: float
    n: int


@dataclass
class DistressReport:
    examples: int
    by_category: Dict[str, CategoryResult]
    none_examples: int
    false_positives: int
    latency_p50_ms: float
    latency_p95_ms: float

    @property
    def false_positive_rate(self) -> float:
        return self.false_positives / self.none_examples if self.none_examples else 0.0


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "eval-distress",
        help="measure the distress detector's recall, precision, false positives and latency",
        description="Train the distress detector from data/distress/ and data/nlu/ in-process and "
        "evaluate it on labelled messages. Prints recall and precision per category, the "
        "false-positive rate on `none` messages and the latency per message.",
    )
    parser.add_argument("--data", required=True, type=Path, help="CSV with text,label columns (label a category or none)")
    form = parser.add_mutually_exclusive_group()
    form.add_argument(
        "--goemotions",
        action="store_true",
        help="DATA is a GoEmotions TSV; grief -> bereavement, fear and nervousness -> emotional_distress",
    )
    form.add_argument("--all-none", action="store_true", help="DATA is a CSV with a text column; every row is `none`")
    parser.add_argument("--out", type=Path, help="also write the report as JSON to this file")
    parser.set_defaults(run=run)


def read_labelled(path: Path) -> List[Tuple[str, str]]:
    """(text, label) pairs from a `text,label` CSV; unknown labels are refused by name."""
    rows = read_csv_rows(path, ("label", "text"))
    examples = [(row["text"].strip(), row["label"].strip()) for row in rows if (row["text"] or "").strip()]
    unknown = sorted({label for _, label in examples} - set(LABELS))
    if unknown:
        raise CommandError(f"{path}: unknown labels {', '.join(unknown)} (use {', '.join(LABELS)})")
    return _non_empty(examples, path)


def read_all_none(path: Path) -> List[Tuple[str, str]]:
    """Every non-empty `text` of a CSV, labelled `none`."""
    rows = read_csv_rows(path, ("text",))
    return _non_empty([(row["text"].strip(), NONE) for row in rows if (row["text"] or "").strip()], path)


def read_goemotions(path: Path) -> List[Tuple[str, str]]:
    """GoEmotions comments mapped to distress labels; ambiguous comments are left out."""
    names_path = path.parent / "labels.txt"
    if not path.is_file():
        raise CommandError(f"no such file: {path}")
    if not names_path.is_file():
        raise CommandError(f"GoEmotions needs labels.txt beside {path.name} (not found: {names_path})")
    names = names_path.read_text(encoding="utf-8").split()
    examples = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            fields = line.rstrip("\n").split("\t")
            try:
                emotions = {names[int(index)] for index in fields[1].split(",")}
            except (IndexError, ValueError):
                raise CommandError(f"{path}:{number} is not `text<TAB>label ids<TAB>id`") from None
            label = goemotions_label(emotions)
            if label is not None:
                examples.append((fields[0], label))
    return _non_empty(examples, path)


def goemotions_label(emotions: set) -> str | None:
    """The distress label of a comment with these emotions, or None to leave it out."""
    mapped = [GOEMOTIONS_MAPPING[emotion] for emotion in sorted(emotions) if emotion in GOEMOTIONS_MAPPING]
    if mapped:
        return "bereavement" if "bereavement" in mapped else mapped[0]
    return NONE if emotions <= GOEMOTIONS_NONE else None


def score(gold: Sequence[str], predicted: Sequence[str], latencies_ms: Sequence[float]) -> DistressReport:
    """Recall and precision per category present in the gold labels, false positives on `none`."""
    by_category = {}
    for category in DISTRESS_CATEGORIES:
        n = sum(g == category for g in gold)
        flagged = sum(p == category for p in predicted)
        hits = sum(g == p == category for g, p in zip(gold, predicted))
        if n or flagged:
            by_category[category] = CategoryResult(
                recall=hits / n if n else None, precision=hits / flagged if flagged else 0.0, n=n
            )
    none_predictions = [p for g, p in zip(gold, predicted) if g == NONE]
    return DistressReport(
        examples=len(gold),
        by_category=by_category,
        none_examples=len(none_predictions),
        false_positives=sum(p != NONE for p in none_predictions),
        latency_p50_ms=nearest_rank_percentile(latencies_ms, 50),
        latency_p95_ms=nearest_rank_percentile(latencies_ms, 95),
    )


def format_report(report: DistressReport, data: Path) -> str:
    lines = [f"Distress detection on {data} ({report.examples} messages; detector trained in-process from data/distress/)"]
    if report.by_category:
        lines += ["", f"  {'category':<20} {'recall':>7} {'precision':>10} {'n':>5}"]
        for category, result in report.by_category.items():
            recall = f"{result.recall:.3f}" if result.recall is not None else "-"
            lines.append(f"  {category:<20} {recall:>7} {result.precision:>10.3f} {result.n:>5}")
    lines += [
        "",
        f"  none: false-positive rate {report.false_positive_rate:.3f} "
        f"({report.false_positives} of {report.none_examples} flagged)",
        f"  latency per message: p50 {report.latency_p50_ms:.2f} ms, p95 {report.latency_p95_ms:.2f} ms",
    ]
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    if args.goemotions:
        examples = read_goemotions(args.data)
    elif args.all_none:
        examples = read_all_none(args.data)
    else:
        examples = read_labelled(args.data)
    texts, gold = zip(*examples)
    predicted, latencies = detect(texts)
    report = score(gold, predicted, latencies)
    print(format_report(report, args.data))
    if args.out:
        args.out.write_text(json.dumps({**asdict(report), "false_positive_rate": report.false_positive_rate}, indent=2))
    return 0


def detect(texts: Sequence[str]) -> Tuple[List[str], List[float]]:
    """Each text's category (or `none`) and the milliseconds `process()` took for it."""
    from rasa.shared.nlu.training_data.message import Message

    detector = trained_detector()
    predicted, latencies = [], []
    for text in texts:
        message = Message({"text": text})
        started = time.perf_counter()
        detector.process([message])
        latencies.append((time.perf_counter() - started) * 1000)
        predicted.append(message.get("distress")["category"] or NONE)
    return predicted, latencies


def trained_detector() -> DistressDetector:
    """The detector trained as `rasa train` trains it, from the project's data."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource
    from rasa.shared.nlu.training_data.loading import load_data

    from bot.components.distress import DistressDetector
    from bot.components.distress_lexicon import LexiconError
    from bot.components.distress_textcat import TrainingDataError
    from bot.settings import PROJECT_ROOT

    config = DistressDetector.get_default_config()
    config.update({key: str(PROJECT_ROOT / config[key]) for key in ("training_data", "lexicon")})
    with tempfile.TemporaryDirectory(prefix="candor-distress-") as directory:
        detector = DistressDetector(config, LocalModelStorage(Path(directory)), Resource("distress_detector"))
        try:
            detector.train(load_data(str(PROJECT_ROOT / "data" / "nlu")))
        except (LexiconError, TrainingDataError) as error:
            raise CommandError(str(error)) from None
    return detector


def _non_empty(examples: List[Tuple[str, str]], path: Path) -> List[Tuple[str, str]]:
    if not examples:
        raise CommandError(f"{path} has no messages to evaluate")
    return examples


def nearest_rank_percentile(values: Sequence[float], percent: float) -> float:
    """The nearest-rank percentile: the smallest value at least `percent`% of values do not exceed."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(percent / 100 * len(ordered)) - 1)]

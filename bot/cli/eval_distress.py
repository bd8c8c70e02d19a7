"""`candor eval-distress`: does the distress detector notice people in distress, and only them?

Trains the detector in-process from `data/distress/` and `data/nlu/` exactly as `rasa train` would
(a few seconds; no trained model archive is needed, so the figures always describe the current
data), then runs every message through the component's `process()` one at a time, as the server
does. Prints self-harm recall with tier one alone and with both tiers, recall and precision per
category, how often each tier fired on messages labelled `none`, and the latency per message.
`--cross-validate` compares the detector's designs on the training data instead
(`bot/cli/distress_cv.py`).

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
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Dict, List, NamedTuple, Optional, Sequence, Tuple

from bot.cli.csvfiles import read_csv_rows
from bot.cli.errors import CommandError
from bot.cli.percentiles import nearest_rank_percentile
from bot.policy_sections import DISTRESS_CATEGORIES

# The designs `bot.components.distress_designs` knows (not imported here: it pulls in spaCy).
DESIGNS = ("ngrams", "bow", "ensemble")

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


SELF_HARM = "self_harm"
CRISIS_TIER, ASK_TIER = 1, 2


class Prediction(NamedTuple):
    """The detector's verdict on one message: a category (or `none`) and, for self-harm, its tier."""

    category: str
    tier: Optional[int] = None


@dataclass
class CategoryResult:
    recall: Optional[float]  # None when no message has this label
    precision: float
    n: int
    # The share of this category's messages that got the self-harm question (tier two) instead.
    asked: float = 0.0


@dataclass
class SelfHarmResult:
    """Self-harm, tier by tier: what tier one alone catches, and what the question adds."""

    recall_tier_one: Optional[float]
    recall_both_tiers: Optional[float]
    precision_tier_one: float
    precision_both_tiers: float
    n: int


@dataclass
class FalseAlarms:
    """How often each tier fired on ordinary (`none`) messages."""

    none_examples: int
    tier_one: int  # any category acted on at once (intent `distress`)
    tier_two: int  # the self-harm question (intent `self_harm_check`)

    @property
    def tier_one_rate(self) -> float:
        return self.tier_one / self.none_examples if self.none_examples else 0.0

    @property
    def tier_two_rate(self) -> float:
        return self.tier_two / self.none_examples if self.none_examples else 0.0


@dataclass
class DistressReport:
    examples: int
    self_harm: SelfHarmResult
    by_category: Dict[str, CategoryResult]
    distress_noticed: Optional[float]  # share of distress messages given any verdict (any category or tier)
    false_alarms: FalseAlarms
    latency_p50_ms: float
    latency_p95_ms: float
    # The processor time the detector's own thread spent: what a message costs, whatever else runs.
    cpu_p95_ms: float = 0.0

    def as_json(self) -> Dict[str, Any]:
        return {
            **asdict(self),
            "false_alarm_rates": {"tier_one": self.false_alarms.tier_one_rate, "tier_two": self.false_alarms.tier_two_rate},
        }


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "eval-distress",
        help="measure the distress detector's recall, precision, false positives and latency",
        description="Train the distress detector from data/distress/ and data/nlu/ in-process and "
        "evaluate it on labelled messages. Prints self-harm recall with tier one alone and with both "
        "tiers, recall and precision per category, false alarms of each tier on `none` messages and "
        "the latency per message. With --cross-validate, compares the designs on the training data.",
    )
    parser.add_argument("--data", type=Path, help="CSV with text,label columns (label a category or none)")
    form = parser.add_mutually_exclusive_group()
    form.add_argument(
        "--goemotions",
        action="store_true",
        help="DATA is a GoEmotions TSV; grief -> bereavement, fear and nervousness -> emotional_distress",
    )
    form.add_argument("--all-none", action="store_true", help="DATA is a CSV with a text column; every row is `none`")
    parser.add_argument("--out", type=Path, help="also write the report as JSON to this file")
    parser.add_argument("--design", choices=DESIGNS, help="the learned model to use (default: the one in bot/config.yml)")
    cross = parser.add_argument_group("cross-validation on the training data (no --data)")
    cross.add_argument(
        "--cross-validate", action="store_true",
        help="compare designs by stratified k-fold cross-validation on data/distress/train and the NLU examples",
    )
    cross.add_argument("--folds", type=int, default=5, help="number of folds (default 5)")
    cross.add_argument("--seed", type=int, default=7, help="seed of the fold split (default 7)")
    cross.add_argument(
        "--by-pass", action="store_true",
        help="hold out one training file (one writing pass) at a time instead of random folds",
    )
    cross.add_argument("--sweep", action="store_true", help="also print self-harm figures at other tier thresholds")
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


def score(
    gold: Sequence[str], predicted: Sequence[Prediction], latencies_ms: Sequence[float], cpu_ms: Sequence[float] = ()
) -> DistressReport:
    """Self-harm by tier, recall and precision per category present, false alarms per tier on `none`."""
    pairs = list(zip(gold, predicted))
    by_category = {}
    for category in DISTRESS_CATEGORIES:
        n = sum(g == category for g in gold)
        flagged = sum(p.category == category for p in predicted)
        hits = sum(g == p.category == category for g, p in pairs)
        asked = sum(g == category and p.tier == ASK_TIER for g, p in pairs)
        if n or flagged:
            by_category[category] = CategoryResult(
                recall=_ratio(hits, n), precision=_ratio(hits, flagged) or 0.0, n=n, asked=_ratio(asked, n) or 0.0
            )
    distress = [p for g, p in pairs if g != NONE]
    none = [p for g, p in pairs if g == NONE]
    return DistressReport(
        examples=len(gold),
        self_harm=self_harm_result(gold, predicted),
        by_category=by_category,
        distress_noticed=_ratio(sum(p.category != NONE for p in distress), len(distress)),
        false_alarms=FalseAlarms(
            none_examples=len(none),
            tier_one=sum(p.category != NONE and p.tier != ASK_TIER for p in none),
            tier_two=sum(p.tier == ASK_TIER for p in none),
        ),
        latency_p50_ms=nearest_rank_percentile(latencies_ms, 50) if latencies_ms else 0.0,
        latency_p95_ms=nearest_rank_percentile(latencies_ms, 95) if latencies_ms else 0.0,
        cpu_p95_ms=nearest_rank_percentile(cpu_ms, 95) if cpu_ms else 0.0,
    )


def self_harm_result(gold: Sequence[str], predicted: Sequence[Prediction]) -> SelfHarmResult:
    pairs = list(zip(gold, predicted))
    n = sum(g == SELF_HARM for g in gold)
    tier_one = [g for g, p in pairs if p.category == SELF_HARM and p.tier == CRISIS_TIER]
    either = [g for g, p in pairs if p.category == SELF_HARM]
    return SelfHarmResult(
        recall_tier_one=_ratio(tier_one.count(SELF_HARM), n),
        recall_both_tiers=_ratio(either.count(SELF_HARM), n),
        precision_tier_one=_ratio(tier_one.count(SELF_HARM), len(tier_one)) or 0.0,
        precision_both_tiers=_ratio(either.count(SELF_HARM), len(either)) or 0.0,
        n=n,
    )


def format_report(report: DistressReport, data: Path, design: str = "") -> str:
    trained = f"detector{f' ({design})' if design else ''} trained in-process from data/distress/"
    lines = [f"Distress detection on {data} ({report.examples} messages; {trained})"]
    harm = report.self_harm
    if harm.n or harm.precision_both_tiers:
        lines += [
            "",
            f"  self_harm (n {harm.n}): recall {_figure(harm.recall_tier_one)} with tier one alone, "
            f"{_figure(harm.recall_both_tiers)} with both tiers; precision {harm.precision_tier_one:.3f} "
            f"tier one, {harm.precision_both_tiers:.3f} both",
        ]
    if report.by_category:
        lines += ["", f"  {'category':<20} {'recall':>7} {'precision':>10} {'asked':>7} {'n':>5}"]
        for category, result in report.by_category.items():
            lines.append(
                f"  {category:<20} {_figure(result.recall):>7} {result.precision:>10.3f} {result.asked:>7.3f} {result.n:>5}"
            )
        lines.append("  (recall counts the category itself, self_harm both tiers; asked: got the self-harm question)")
    if report.distress_noticed is not None:
        lines += ["", f"  distress noticed at all (any category, either tier): {report.distress_noticed:.3f}"]
    alarms = report.false_alarms
    lines += [
        "",
        f"  none: false alarms, tier one {alarms.tier_one_rate:.3f} ({alarms.tier_one} of {alarms.none_examples}), "
        f"tier-two question {alarms.tier_two_rate:.3f} ({alarms.tier_two} of {alarms.none_examples})",
        f"  latency per message: p50 {report.latency_p50_ms:.2f} ms, p95 {report.latency_p95_ms:.2f} ms "
        f"(processor time p95 {report.cpu_p95_ms:.2f} ms)",
    ]
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    if args.cross_validate:
        from bot.cli import distress_cv

        if args.data is not None:
            raise CommandError("--cross-validate measures on the training data; leave out --data")
        return distress_cv.run(args)
    if args.data is None:
        raise CommandError("give --data (a labelled CSV), or --cross-validate to measure on the training data")
    if args.goemotions:
        examples = read_goemotions(args.data)
    elif args.all_none:
        examples = read_all_none(args.data)
    else:
        examples = read_labelled(args.data)
    texts, gold = zip(*examples)
    from bot.cli.distress_detector import trained_detector

    detector = trained_detector(args.design)
    predicted, latencies, cpu = detect(detector, texts)
    report = score(gold, predicted, latencies, cpu)
    print(format_report(report, args.data, detector.config["design"]))
    if args.out:
        args.out.write_text(json.dumps(report.as_json(), indent=2))
    return 0


def detect(detector: DistressDetector, texts: Sequence[str]) -> Tuple[List[Prediction], List[float], List[float]]:
    """Each text's verdict, and the milliseconds `process()` took for it: on the clock and in processor time."""
    from rasa.shared.nlu.training_data.message import Message

    predicted, latencies, cpu = [], [], []
    for text in texts:
        message = Message({"text": text})
        started, started_cpu = time.perf_counter(), time.thread_time()
        detector.process([message])
        latencies.append((time.perf_counter() - started) * 1000)
        cpu.append((time.thread_time() - started_cpu) * 1000)
        verdict = message.get("distress")
        predicted.append(Prediction(verdict["category"] or NONE, verdict["tier"]))
    return predicted, latencies, cpu


def _non_empty(examples: List[Tuple[str, str]], path: Path) -> List[Tuple[str, str]]:
    if not examples:
        raise CommandError(f"{path} has no messages to evaluate")
    return examples


def _ratio(part: int, whole: int) -> Optional[float]:
    return part / whole if whole else None


def _figure(value: Optional[float]) -> str:
    return f"{value:.3f}" if value is not None else "-"

"""`candor eval-distress --cross-validate`: which design generalises, measured on the training data only.

Evaluation sets must not be tuned against, so designs and thresholds are chosen here: the
training messages (every pass in data/distress/train, plus the NLU examples as ordinary requests)
are split into stratified folds with a fixed seed; for each fold the whole detector (lexicon and
model) is fitted on the other folds and reads the held-out messages, one at a time. Every message
is thus scored once by a detector that never saw it.

`--by-pass` holds out one writing pass (one training file) at a time instead: the detector then
meets a writer's voice it never saw, the closest the training data comes to "words nobody here
wrote". `--sweep` prints the self-harm figures at other tier thresholds, and each category's at
other thresholds, so the thresholds in bot/policy.yml can be chosen, and checked, from these
out-of-fold scores.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Mapping, Sequence, Tuple

from bot.cli.distress_detector import detector_config
from bot.cli.errors import CommandError
from bot.cli.eval_distress import (
    ASK_TIER,
    CRISIS_TIER,
    NONE,
    SELF_HARM,
    DistressReport,
    Prediction,
    score,
)
from bot.cli.percentiles import nearest_rank_percentile
from bot.policy import current_policy
from bot.policy_sections import DISTRESS_CATEGORIES

if TYPE_CHECKING:  # Rasa and spaCy are slow to import; the command imports them only when it runs
    from bot.components.distress import Reading

REQUESTS = "data/nlu"  # the group of the NLU examples, counted as ordinary requests
ASK_SWEEP = (0.05, 0.08, 0.1, 0.12, 0.15, 0.2, 0.25, 0.3, 0.4)
CRISIS_SWEEP = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
CATEGORY_SWEEP = (0.3, 0.4, 0.5, 0.6, 0.7)


@dataclass(frozen=True)
class Labelled:
    text: str
    label: str
    group: str  # the training file it came from, or REQUESTS


@dataclass
class OutOfFold:
    """What one design made of every message, each read by a detector trained without it."""

    design: str
    readings: List["Reading"] = field(default_factory=list)
    latencies_ms: List[float] = field(default_factory=list)
    cpu_ms: List[float] = field(default_factory=list)
    training_seconds: List[float] = field(default_factory=list)


def run(args: argparse.Namespace) -> int:
    from bot.cli.eval_distress import DESIGNS

    if args.folds < 2:
        raise CommandError("--folds must be at least 2")
    examples = labelled_examples()
    folds = by_pass_folds(examples, args.seed) if args.by_pass else stratified_folds(examples, args.folds, args.seed)
    designs = [args.design] if args.design else list(DESIGNS)
    policy = current_policy().distress
    thresholds, ask = dict(policy.thresholds), policy.self_harm_ask_threshold
    results = []
    for design in designs:
        print(f"  {design}: fitting {len(folds)} folds ...", flush=True)
        results.append(cross_validate(design, examples, folds))
    split = f"{len(folds)} writing passes held out in turn" if args.by_pass else f"{len(folds)} stratified folds (seed {args.seed})"
    print()
    print(format_comparison(examples, results, thresholds, ask, split))
    if args.sweep:
        for result in results:
            print()
            print(format_sweep(examples, result, thresholds, ask))
    return 0


def labelled_examples() -> List[Labelled]:
    """The distress training messages (grouped by file) and the NLU examples as ordinary requests."""
    from bot.cli.distress_detector import nlu_training_data
    from bot.components.distress_data import TrainingDataError, read_training_examples

    config = detector_config()
    try:
        distress = read_training_examples(Path(config["training_data"]))
    except TrainingDataError as error:
        raise CommandError(str(error)) from None
    examples = [Labelled(example.text, example.label, example.source) for example in distress]
    if config["nlu_examples_as_none"]:
        from bot.components.distress import ordinary_requests
        from bot.components.distress_lexicon import DistressLexicon

        seen = {example.text for example in examples}
        texts = [message.get("text") for message in nlu_training_data().intent_examples if message.get("text")]
        for text in ordinary_requests(texts, DistressLexicon.from_file(Path(config["lexicon"]))):
            if text not in seen:
                seen.add(text)
                examples.append(Labelled(text, NONE, REQUESTS))
    return examples


def stratified_folds(examples: Sequence[Labelled], folds: int, seed: int) -> List[List[int]]:
    """Held-out indices per fold; each label (requests apart from hard negatives) spread evenly."""
    from sklearn.model_selection import StratifiedKFold

    strata = [f"{example.label}|{example.group == REQUESTS}" for example in examples]
    smallest = min(strata.count(stratum) for stratum in set(strata))
    if smallest < folds:
        raise CommandError(f"a label has only {smallest} training messages: too few for {folds} folds")
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    return [list(test) for _, test in splitter.split(list(range(len(examples))), strata)]


def by_pass_folds(examples: Sequence[Labelled], seed: int) -> List[List[int]]:
    """One fold per training file; the NLU requests are dealt out evenly across the folds."""
    passes = sorted({example.group for example in examples if example.group != REQUESTS})
    if len(passes) < 2:
        raise CommandError("--by-pass needs at least two training files in data/distress/train")
    folds: List[List[int]] = [[] for _ in passes]
    requests = [index for index, example in enumerate(examples) if example.group == REQUESTS]
    random.Random(seed).shuffle(requests)
    for index, example in enumerate(examples):
        if example.group != REQUESTS:
            folds[passes.index(example.group)].append(index)
    for turn, index in enumerate(requests):
        folds[turn % len(passes)].append(index)
    return folds


def cross_validate(design: str, examples: Sequence[Labelled], folds: Sequence[Sequence[int]]) -> OutOfFold:
    """Fit the detector of `design` without each fold, and read that fold's messages one by one."""
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource

    from bot.components.distress import DistressDetector

    config = detector_config(design)
    readings: Dict[int, Any] = {}
    latencies: Dict[int, float] = {}
    cpu: Dict[int, float] = {}
    result = OutOfFold(design)
    with tempfile.TemporaryDirectory(prefix="candor-distress-cv-") as directory:
        for held_out in folds:
            left_out = set(held_out)
            training = [(e.text, e.label) for index, e in enumerate(examples) if index not in left_out]
            detector = DistressDetector(config, LocalModelStorage(Path(directory)), Resource("distress_cv"))
            started = time.perf_counter()
            detector.fit(training)
            result.training_seconds.append(time.perf_counter() - started)
            for index in held_out:
                started, started_cpu = time.perf_counter(), time.thread_time()
                reading = detector.read(examples[index].text)
                detector.decide(reading)
                latencies[index] = (time.perf_counter() - started) * 1000
                cpu[index] = (time.thread_time() - started_cpu) * 1000
                readings[index] = reading
    result.readings = [readings[index] for index in range(len(examples))]
    result.latencies_ms = [latencies[index] for index in range(len(examples))]
    result.cpu_ms = [cpu[index] for index in range(len(examples))]
    return result


def verdicts(readings: Sequence["Reading"], thresholds: Mapping[str, float], ask: float) -> List[Prediction]:
    from bot.components.distress import decide

    beside = current_policy().distress.self_harm_ask_threshold_beside_another
    return [
        Prediction(category or NONE, tier)
        for category, tier in (decide(r, thresholds, ask, ask_beside_another=max(beside, ask)) for r in readings)
    ]


def reports(
    examples: Sequence[Labelled], result: OutOfFold, thresholds: Mapping[str, float], ask: float
) -> Tuple[DistressReport, DistressReport, DistressReport]:
    """The report on every message, on the hard negatives alone and on the requests alone."""
    predicted = verdicts(result.readings, thresholds, ask)
    gold = [example.label for example in examples]
    everything = score(gold, predicted, result.latencies_ms)
    hard = [i for i, e in enumerate(examples) if e.label == NONE and e.group != REQUESTS]
    requests = [i for i, e in enumerate(examples) if e.group == REQUESTS]
    return (
        everything,
        score([gold[i] for i in hard], [predicted[i] for i in hard], []),
        score([gold[i] for i in requests], [predicted[i] for i in requests], []),
    )


def format_comparison(
    examples: Sequence[Labelled], results: Sequence[OutOfFold], thresholds: Mapping[str, float], ask: float, split: str
) -> str:
    requests = sum(example.group == REQUESTS for example in examples)
    lines = [
        f"Cross-validation of the distress detector: {split}, {len(examples)} messages "
        f"({len(examples) - requests} from data/distress/train, {requests} NLU requests as none)",
        f"Thresholds from bot/policy.yml: self_harm tier one {thresholds[SELF_HARM]:g}, tier two {ask:g}; "
        + ", ".join(f"{c} {thresholds[c]:g}" for c in DISTRESS_CATEGORIES if c != SELF_HARM),
        "",
    ]
    rows: List[Tuple[str, List[str]]] = []
    triples = [reports(examples, result, thresholds, ask) for result in results]
    rows.append(("self_harm recall, tier one", [_f(t[0].self_harm.recall_tier_one) for t in triples]))
    rows.append(("self_harm recall, both tiers", [_f(t[0].self_harm.recall_both_tiers) for t in triples]))
    rows.append(("self_harm precision, tier one", [_f(t[0].self_harm.precision_tier_one) for t in triples]))
    for category in DISTRESS_CATEGORIES[1:]:
        rows.append((f"{category} recall", [_f(_recall(t[0], category)) for t in triples]))
        rows.append((f"{category} precision", [_f(_precision(t[0], category)) for t in triples]))
    rows.append(("other distress asked the question", [_f(_asked_others(t[0])) for t in triples]))
    rows.append(("distress noticed at all", [_f(t[0].distress_noticed) for t in triples]))
    for name, index in (("hard negatives", 1), ("requests", 2)):
        rows.append((f"false alarms, tier one, {name}", [_f(t[index].false_alarms.tier_one_rate) for t in triples]))
        rows.append((f"false alarms, question, {name}", [_f(t[index].false_alarms.tier_two_rate) for t in triples]))
    rows.append(("latency p95, ms", [f"{nearest_rank_percentile(r.latencies_ms, 95):.2f}" for r in results]))
    rows.append(("processor time p95, ms", [f"{nearest_rank_percentile(r.cpu_ms, 95):.2f}" for r in results]))
    rows.append(("training, s per fold", [f"{sum(r.training_seconds) / len(r.training_seconds):.1f}" for r in results]))
    width = max(len(name) for name, _ in rows) + 2
    lines.append(" " * width + "".join(f"{result.design:>10}" for result in results))
    lines += [f"{name:<{width}}" + "".join(f"{value:>10}" for value in values) for name, values in rows]
    return "\n".join(lines)


def format_sweep(examples: Sequence[Labelled], result: OutOfFold, thresholds: Mapping[str, float], ask: float) -> str:
    gold = [example.label for example in examples]
    hard = [i for i, e in enumerate(examples) if e.label == NONE and e.group != REQUESTS]
    requests = [i for i, e in enumerate(examples) if e.group == REQUESTS]
    lines = [f"{result.design}: self-harm tier two (the question) at other thresholds, tier one at {thresholds[SELF_HARM]:g}"]
    lines.append(f"  {'ask':>5} {'recall both':>12} {'other asked':>12} {'question, hard neg':>19} {'question, requests':>19}")
    for candidate in ASK_SWEEP:
        if candidate >= thresholds[SELF_HARM]:
            continue
        predicted = verdicts(result.readings, thresholds, candidate)
        report = score(gold, predicted, [])
        lines.append(
            f"  {candidate:>5g} {_f(report.self_harm.recall_both_tiers):>12} {_f(_asked_others(report)):>12} "
            f"{_rate(predicted, hard, _asks):>19} {_rate(predicted, requests, _asks):>19}"
        )
    misses = [r.scores[SELF_HARM] for r, g in zip(result.readings, gold) if g == SELF_HARM and not r.asks]
    if misses:
        lines.append(f"  the highest ask threshold with recall 1.0 here: {min(misses):.3f}")
    lines += ["", f"{result.design}: self-harm tier one at other thresholds"]
    lines.append(f"  {'crisis':>6} {'recall':>7} {'precision':>10} {'self_harm, hard neg':>20} {'self_harm, requests':>20}")
    for candidate in CRISIS_SWEEP:
        if candidate <= ask:
            continue
        predicted = verdicts(result.readings, {**thresholds, SELF_HARM: candidate}, ask)
        harm = score(gold, predicted, []).self_harm
        lines.append(
            f"  {candidate:>6g} {_f(harm.recall_tier_one):>7} {harm.precision_tier_one:>10.3f} "
            f"{_rate(predicted, hard, _crisis):>20} {_rate(predicted, requests, _crisis):>20}"
        )
    lines += ["", f"{result.design}: each other category at other thresholds (recall / precision)"]
    lines.append(f"  {'category':<20}" + "".join(f"{t:>13g}" for t in CATEGORY_SWEEP))
    for category in DISTRESS_CATEGORIES[1:]:
        cells = []
        for candidate in CATEGORY_SWEEP:
            report = score(gold, verdicts(result.readings, {**thresholds, category: candidate}, ask), [])
            cells.append(f"{_f(_recall(report, category))}/{_f(_precision(report, category))}")
        lines.append(f"  {category:<20}" + "".join(f"{cell:>13}" for cell in cells))
    return "\n".join(lines)


def _rate(predicted: Sequence[Prediction], indices: Sequence[int], fired: Callable[[Prediction], bool]) -> str:
    """The share of these (none) messages on which `fired` holds."""
    if not indices:
        return "-"
    return f"{sum(fired(predicted[i]) for i in indices) / len(indices):.3f}"


def _asks(prediction: Prediction) -> bool:
    return prediction.tier == ASK_TIER


def _crisis(prediction: Prediction) -> bool:
    return prediction.category == SELF_HARM and prediction.tier == CRISIS_TIER


def _recall(report: DistressReport, category: str):  # type: ignore[no-untyped-def]
    result = report.by_category.get(category)
    return result.recall if result else None


def _precision(report: DistressReport, category: str):  # type: ignore[no-untyped-def]
    result = report.by_category.get(category)
    return result.precision if result else None


def _asked_others(report: DistressReport) -> float:
    """The share of messages of the other distress categories that got the self-harm question."""
    others = [r for c, r in report.by_category.items() if c != SELF_HARM and r.n]
    total = sum(r.n for r in others)
    return sum(r.asked * r.n for r in others) / total if total else 0.0


def _f(value: Any) -> str:
    return f"{value:.3f}" if isinstance(value, float) else "-"

"""`candor eval-nlu --cross-validate`: which intent pipeline understands best, on Candor's own data.

Bitext is for confirming a choice once, never for making it, so designs are compared here, as
`rasa test nlu --cross-validation` would, but with a fixed seed: the NLU examples in data/nlu are
split into stratified folds; for each fold Rasa trains the design's pipeline on the other folds
and parses the held-out examples one at a time, exactly as the server would. Every example is
read once by a model that never saw it.

`--by-pass` holds out one writing pass (data/nlu/passes/*.yml) at a time instead, training on the
rest: the model meets a writer's voice it never saw, the nearest Candor's data comes to customers
nobody here wrote for.

The FallbackClassifier is left out of the trained pipeline; its rule (too little confidence, or
two intents too close) is applied to the recorded confidences with bot/config.yml's thresholds,
and `--sweep` shows the same readings under other thresholds.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

from bot.cli.errors import CommandError
from bot.cli.eval_nlu import NluReport, score
from bot.cli.nlu_designs import DESIGNS, Design, design_of, fallback_thresholds, find_design, pipeline_for
from bot.conversation.names import NLU_FALLBACK_INTENT, OUT_OF_SCOPE_INTENT
from bot.settings import PROJECT_ROOT

NLU_DIR = PROJECT_ROOT / "data" / "nlu"
PASSES = "passes"
THRESHOLD_SWEEP = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7)
AMBIGUITY_SWEEP = (0.0, 0.05, 0.1, 0.2)


@dataclass(frozen=True)
class Labelled:
    text: str
    intent: str
    group: str  # the file it came from, relative to data/nlu


@dataclass(frozen=True)
class Reading:
    """The classifier's first and second choices for one message, before any fallback rule."""

    intent: str
    confidence: float
    runner_up: float

    def decided(self, threshold: float, ambiguity: float) -> str:
        """The intent after Rasa's FallbackClassifier rule, with these thresholds."""
        if self.confidence < threshold or self.confidence - self.runner_up < ambiguity:
            return NLU_FALLBACK_INTENT
        return self.intent


@dataclass
class OutOfFold:
    design: Design
    readings: Dict[int, Reading] = field(default_factory=dict)
    training_seconds: List[float] = field(default_factory=list)


def labelled_examples() -> List[Labelled]:
    """Every intent example under data/nlu, with the file it was written in."""
    from rasa.shared.nlu.training_data.loading import load_data

    examples = []
    for path in sorted(NLU_DIR.rglob("*.yml")):
        for message in load_data(str(path)).intent_examples:
            examples.append(Labelled(message.get("text"), message.get("intent"), str(path.relative_to(NLU_DIR))))
    if not examples:
        raise CommandError(f"no intent examples under {NLU_DIR}")
    return examples


def customer_intents(examples: Sequence[Labelled]) -> List[str]:
    """The intents of customer requests: those written in the most passes, out_of_scope aside.

    Passes 1-5, 7, 10 and 11 each cover every customer intent; passes 6 and 13 cover every other
    intent, alone, and passes 8, 9 and 12 out_of_scope alone (data/nlu/README.md;
    tests/unit/test_training_data.py keeps it so). The customer passes outnumber the others. The
    passes written to the unclear lines only (`passes/lines/`) are not counted: they cover a few
    customer intents each.
    """
    passes_of: Dict[str, set] = {}
    for example in examples:
        whole_pass = example.group.startswith(PASSES + "/") and example.group.count("/") == 1
        if whole_pass and example.intent != OUT_OF_SCOPE_INTENT:
            passes_of.setdefault(example.intent, set()).add(example.group)
    most = max((len(passes) for passes in passes_of.values()), default=0)
    return sorted(intent for intent, passes in passes_of.items() if len(passes) == most)


def stratified_folds(examples: Sequence[Labelled], folds: int, seed: int) -> List[List[int]]:
    """Held-out indices per fold, every intent spread evenly over the folds."""
    from sklearn.model_selection import StratifiedKFold

    intents = [example.intent for example in examples]
    smallest = min(intents.count(intent) for intent in set(intents))
    if smallest < folds:
        raise CommandError(f"an intent has only {smallest} examples: too few for {folds} folds")
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    return [list(test) for _, test in splitter.split(intents, intents)]


def by_pass_folds(examples: Sequence[Labelled]) -> List[List[int]]:
    """One fold per writing pass; the capability files are always trained on."""
    passes = sorted({e.group for e in examples if e.group.startswith(PASSES + "/")})
    if len(passes) < 2:
        raise CommandError(f"--by-pass needs at least two writing passes in {NLU_DIR / PASSES}")
    return [[i for i, e in enumerate(examples) if e.group == name] for name in passes]


def cross_validate(design: Design, pipeline: List[dict], examples: Sequence[Labelled], folds: Sequence[Sequence[int]]) -> OutOfFold:
    """Train `pipeline` without each fold and read that fold's examples one by one."""
    result = OutOfFold(design)
    with tempfile.TemporaryDirectory(prefix="candor-nlu-cv-") as directory:
        # Fold models go to their own cache, not the project's `.rasa/cache` (set for Rasa, not read here).
        os.environ["RASA_CACHE_DIRECTORY"] = str(Path(directory) / "cache")
        for number, held_out in enumerate(folds):
            left_out = set(held_out)
            training = [e for i, e in enumerate(examples) if i not in left_out]
            started = time.perf_counter()
            model = train_fold(pipeline, training, Path(directory), f"fold-{number}")
            result.training_seconds.append(time.perf_counter() - started)
            readings = asyncio.run(read_all(model, [examples[i].text for i in held_out]))
            result.readings.update(zip(held_out, readings))
    return result


def train_fold(pipeline: List[dict], training: Sequence[Labelled], directory: Path, name: str) -> Path:
    """An NLU-only Rasa model of `pipeline` trained on `training` (plus the entity patterns)."""
    import rasa.model_training
    import rasa.shared.utils.io
    from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLWriter
    from rasa.shared.nlu.training_data.loading import load_data
    from rasa.shared.nlu.training_data.message import Message
    from rasa.shared.nlu.training_data.training_data import TrainingData

    patterns = load_data(str(NLU_DIR / "entities.yml"))
    messages = [Message.build(text=e.text, intent=e.intent) for e in training]
    data = TrainingData(training_examples=messages, regex_features=patterns.regex_features)
    RasaYAMLWriter().dump(directory / "train.yml", data)
    config = {"recipe": "default.v1", "language": "en", "assistant_id": "candor-cv", "pipeline": pipeline}
    rasa.shared.utils.io.write_yaml(config, directory / "config.yml")
    with open(os.devnull, "w") as quiet, contextlib.redirect_stdout(quiet), contextlib.redirect_stderr(quiet):
        model = rasa.model_training.train_nlu(
            str(directory / "config.yml"), str(directory / "train.yml"), str(directory), fixed_model_name=name
        )
    if not model:
        raise CommandError(f"Rasa trained no model for {name}; run `rasa train nlu` with the design's config to see why")
    return Path(model)


async def read_all(model: Path, texts: Sequence[str]) -> List[Reading]:
    from bot.cli.eval_nlu import load_agent

    agent = load_agent(model)
    readings = []
    for text in texts:
        ranking = [r for r in (await agent.parse_message(text)).get("intent_ranking") or [] if r["name"] != NLU_FALLBACK_INTENT]
        first = ranking[0] if ranking else {"name": NLU_FALLBACK_INTENT, "confidence": 0.0}
        readings.append(Reading(first["name"], first["confidence"], ranking[1]["confidence"] if len(ranking) > 1 else 0.0))
    return readings


def report(examples: Sequence[Labelled], result: OutOfFold, threshold: float, ambiguity: float) -> Tuple[NluReport, Optional[float]]:
    """Scores of the held-out examples, and the share of held-out out-of-scope examples not answered."""
    held_out = sorted(result.readings)
    gold = [examples[i].intent for i in held_out]
    predicted = [result.readings[i].decided(threshold, ambiguity) for i in held_out]
    scores = score(gold, predicted, sorted(set(gold)))
    outside = [p for g, p in zip(gold, predicted) if g == OUT_OF_SCOPE_INTENT]
    caught = sum(p in (OUT_OF_SCOPE_INTENT, NLU_FALLBACK_INTENT) for p in outside) / len(outside) if outside else None
    return scores, caught


def format_comparison(examples: Sequence[Labelled], results: Sequence[OutOfFold], thresholds: Tuple[float, float], split: str, customer: Sequence[str]) -> str:
    held = len(results[0].readings) if results else 0
    lines = [
        f"Cross-validation of the intent model: {split}; {held} held-out examples of {len(examples)}",
        f"Fallback rule from bot/config.yml: confidence below {thresholds[0]:g}, or the top two within {thresholds[1]:g}",
        "",
        f"{'design':<34} {'acc':>6} {'macroF1':>8} {'cust F1':>8} {'fallbk':>7} {'oos':>6}  {'weakest customer intent':<34} {'train s':>8}",
    ]
    for result in results:
        scores, caught = report(examples, result, *thresholds)
        f1 = {intent: value for intent, value in scores.f1_by_intent.items() if intent in customer}
        weakest = min(f1.items(), key=lambda item: item[1]) if f1 else ("-", 0.0)
        seconds = sum(result.training_seconds) / len(result.training_seconds)
        lines.append(
            f"{result.design.name:<34} {scores.accuracy:>6.3f} {scores.macro_f1:>8.3f} "
            f"{sum(f1.values()) / max(len(f1), 1):>8.3f} {scores.fallback_rate:>7.3f} "
            f"{'-' if caught is None else f'{caught:.3f}':>6}  {weakest[0] + f' {weakest[1]:.3f}':<34} {seconds:>8.1f}"
        )
    lines += [
        "",
        "acc, macroF1: every held-out example and intent; cust F1: mean F1 of the customer intents; fallbk: share",
        "answered 'not understood'; oos: held-out out_of_scope examples not answered as a request; train s: per fold.",
    ]
    return "\n".join(lines)


def format_sweep(examples: Sequence[Labelled], result: OutOfFold, customer: Sequence[str]) -> str:
    lines = [
        f"Fallback thresholds on the out-of-fold readings of {result.design.name}",
        f"{'threshold':>9} {'ambiguity':>9} {'acc':>6} {'cust F1':>8} {'fallbk':>7} {'oos':>6}",
    ]
    for threshold in THRESHOLD_SWEEP:
        for ambiguity in AMBIGUITY_SWEEP:
            scores, caught = report(examples, result, threshold, ambiguity)
            f1 = [value for intent, value in scores.f1_by_intent.items() if intent in customer]
            lines.append(
                f"{threshold:>9g} {ambiguity:>9g} {scores.accuracy:>6.3f} {sum(f1) / max(len(f1), 1):>8.3f} "
                f"{scores.fallback_rate:>7.3f} {'-' if caught is None else f'{caught:.3f}':>6}"
            )
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    import rasa.shared.utils.io

    from bot.cli.eval_nlu import _quiet_rasa
    from bot.model import CONFIG

    if args.folds < 2:
        raise CommandError("--folds must be at least 2")
    pipeline = rasa.shared.utils.io.read_yaml_file(CONFIG)["pipeline"]
    try:
        designs = [find_design(name) for name in args.design] if args.design else list(DESIGNS)
    except KeyError as error:
        raise CommandError(str(error.args[0])) from None
    configured = design_of(pipeline)
    if not args.design and all(d.levers() != configured.levers() for d in designs):
        designs.insert(0, configured)
    examples = labelled_examples()
    folds = by_pass_folds(examples) if args.by_pass else stratified_folds(examples, args.folds, args.seed)
    split = f"{len(folds)} writing passes held out in turn" if args.by_pass else f"{len(folds)} stratified folds (seed {args.seed})"
    _quiet_rasa()
    random.seed(args.seed)
    results = []
    for design in designs:
        mark = "  (bot/config.yml)" if design.levers() == configured.levers() else ""
        print(f"  {design.name}{mark}: training {len(folds)} folds ...", flush=True)
        results.append(cross_validate(design, pipeline_for(design, pipeline), examples, folds))
        # A design takes many minutes: its readings are kept as soon as it is done, so a run cut
        # short still has every design it finished.
        if args.out:
            write_readings(args.out, examples, results)
    customer = customer_intents(examples)
    print()
    print(format_comparison(examples, results, fallback_thresholds(pipeline), split, customer))
    if args.sweep:
        for result in results:
            print()
            print(format_sweep(examples, result, customer))
    return 0


def write_readings(path: Path, examples: Sequence[Labelled], results: Sequence[OutOfFold]) -> None:
    """Every out-of-fold reading, to study errors or try other thresholds without training again."""
    import json

    rows = {
        result.design.name: [
            {"text": examples[i].text, "intent": examples[i].intent, "group": examples[i].group,
             "predicted": r.intent, "confidence": r.confidence, "runner_up": r.runner_up}
            for i, r in sorted(result.readings.items())
        ]
        for result in results
    }
    try:
        path.write_text(json.dumps(rows, indent=1), encoding="utf-8")
    except OSError as error:
        raise CommandError(f"cannot write {path}: {error.strerror or error} (choose another --out path)") from None

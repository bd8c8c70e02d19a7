"""`candor eval-nlu`: how well the trained model understands customer requests it never saw.

Reads a CSV with `text,intent` columns (for example the Bitext customer-support dev split, which
is for evaluation only and never training), runs every text through the trained model exactly as
the server would, and reports accuracy, macro-F1, F1 per intent and how often the assistant said
it did not understand (the fallback rate). A fallback counts as a miss: the customer was not helped.

`--out-of-scope` reads CLINC150's out-of-scope queries (JSON: lists of `[text, label]` pairs, as in
`oos_dev.json`) and reports the share the assistant did not answer as a customer request: said to
be out of scope, or not understood. `--cross-validate` compares pipeline designs on Candor's own
training data instead (bot/cli/nlu_cv.py).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import tarfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Sequence, Tuple

from bot.cli.csvfiles import read_csv_rows
from bot.cli.errors import CommandError
from bot.conversation.names import NLU_FALLBACK_INTENT, OUT_OF_SCOPE_INTENT

if TYPE_CHECKING:  # Rasa is slow to import; the command imports it only when it runs
    from rasa.core.agent import Agent

# What an out-of-scope query may get without misleading the customer: "that's not something I do".
NOT_ANSWERED = (OUT_OF_SCOPE_INTENT, NLU_FALLBACK_INTENT)


@dataclass
class NluReport:
    examples: int
    accuracy: float
    macro_f1: float
    fallback_rate: float
    f1_by_intent: Dict[str, float]
    support_by_intent: Dict[str, int]
    unknown_intents: List[str]


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "eval-nlu",
        help="measure intent accuracy on a labelled CSV",
        description="Evaluate the trained model's intent classification on a CSV file with "
        "`text` and `intent` columns. Prints accuracy, macro-F1, per-intent F1 and the fallback rate.",
    )
    parser.add_argument("--data", type=Path, help="CSV file with text,intent columns")
    parser.add_argument(
        "--out-of-scope", type=Path, metavar="JSON",
        help="CLINC150 out-of-scope queries (e.g. ../shared/datasets/clinc150/oos_dev.json): share not answered as a request",
    )
    parser.add_argument("--model", type=Path, help="model archive (default: the model for the current training data)")
    parser.add_argument("--out", type=Path, help="also write the report (or the cross-validation readings) as JSON to this file")
    parser.add_argument(
        "--confusions", type=int, default=0, metavar="N",
        help="also print the N most frequent confusions (intent taken for another), counts only",
    )
    designs = parser.add_argument_group("comparing pipeline designs on Candor's own data (no --data needed)")
    designs.add_argument("--cross-validate", action="store_true", help="compare the designs of bot/cli/nlu_designs.py by cross-validation")
    designs.add_argument("--folds", type=int, default=5, help="number of stratified folds (default 5)")
    designs.add_argument("--seed", type=int, default=7, help="seed of the fold split (default 7)")
    designs.add_argument("--by-pass", action="store_true", help="hold out one writing pass (data/nlu/passes) at a time instead of folds")
    designs.add_argument("--design", action="append", help="only this design (repeat for more); default: all of them")
    designs.add_argument("--sweep", action="store_true", help="also print each design's figures under other fallback thresholds")
    parser.set_defaults(run=run)


def read_examples(path: Path) -> List[Tuple[str, str]]:
    """(text, intent) pairs; a clear error for a missing file, missing columns or empty rows."""
    rows = read_csv_rows(path, ("text", "intent"))
    examples = [(row["text"].strip(), row["intent"].strip()) for row in rows if row["text"] and row["intent"]]
    if not examples:
        raise CommandError(f"{path} has no rows with both text and intent")
    return examples


def score(gold: Sequence[str], predicted: Sequence[str], known_intents: Sequence[str]) -> NluReport:
    """Accuracy, macro-F1 over the gold intents, per-intent F1 and the fallback rate."""
    from sklearn.metrics import accuracy_score, f1_score

    labels = sorted(set(gold))
    f1s = f1_score(gold, predicted, labels=labels, average=None, zero_division=0)
    return NluReport(
        examples=len(gold),
        accuracy=float(accuracy_score(gold, predicted)),
        macro_f1=float(sum(f1s) / len(f1s)),
        fallback_rate=sum(p == NLU_FALLBACK_INTENT for p in predicted) / len(predicted),
        f1_by_intent={label: float(f1) for label, f1 in zip(labels, f1s)},
        support_by_intent={label: list(gold).count(label) for label in labels},
        unknown_intents=[label for label in labels if label not in known_intents],
    )


async def predict_intents(model_path: Path, texts: Sequence[str]) -> Tuple[List[str], List[str]]:
    """The model's intent for each text, and the intents the model knows."""
    agent = load_agent(model_path)
    parsed = await parse_all(agent, texts)
    return [intent_of(result) for result in parsed], list(agent.domain.intents)


def model_to_evaluate(given: Optional[Path]) -> Path:
    """The model archive given, or else the one for the current training data; it must exist."""
    model_path = given or _current_model()
    if not model_path.is_file():
        raise CommandError(f"no model at {model_path}; run `make train` first")
    return model_path


def load_agent(model_path: Path) -> Agent:
    """The trained model, loaded as the server loads it; a model this code cannot load is named."""
    from rasa.core.agent import Agent
    from rasa.engine.exceptions import GraphComponentException
    from rasa.shared.exceptions import RasaException

    _quiet_rasa()
    try:
        return Agent.load(str(model_path))
    except (GraphComponentException, RasaException, tarfile.TarError) as error:
        reason = "; ".join(str(part).rstrip(".") for part in (error, error.__cause__) if part)
        raise CommandError(
            f"cannot load the model {model_path} ({reason}): a model trained by older code or not a model "
            "archive; retrain with `make train`, or give another --model"
        ) from None


async def parse_all(agent: Agent, texts: Sequence[str]) -> List[Dict[str, Any]]:
    """Each text as the server's NLU reads it: intent, entities and what the custom components add."""
    return [await agent.parse_message(text) for text in texts]


def intent_of(parsed: Dict[str, Any]) -> str:
    return (parsed.get("intent") or {}).get("name") or NLU_FALLBACK_INTENT


def read_out_of_scope(path: Path) -> List[str]:
    """The queries of a CLINC150-style JSON file: every `[text, label]` pair of every split."""
    try:
        splits = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CommandError(f"{path} does not exist (CLINC150's is ../shared/datasets/clinc150/oos_dev.json)") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise CommandError(f"cannot read {path} as JSON: {error}") from None
    if not isinstance(splits, dict) or not all(isinstance(rows, list) for rows in splits.values()):
        raise CommandError(f"{path} should hold splits of [text, label] pairs, like CLINC150's oos_dev.json")
    texts = [
        row[0].strip()
        for rows in splits.values()
        for row in rows
        if isinstance(row, list) and row and isinstance(row[0], str) and row[0].strip()
    ]
    if not texts:
        raise CommandError(f"{path} has no queries")
    return texts


def run(args: argparse.Namespace) -> int:
    if args.cross_validate:
        from bot.cli import nlu_cv

        return nlu_cv.run(args)
    if not args.data and not args.out_of_scope:
        raise CommandError("give --data (a labelled CSV), --out-of-scope (CLINC150 JSON), or --cross-validate")
    examples = read_examples(args.data) if args.data else []
    queries = read_out_of_scope(args.out_of_scope) if args.out_of_scope else []
    model_path = model_to_evaluate(args.model)
    texts = [text for text, _ in examples]
    predicted, known = asyncio.run(predict_intents(model_path, texts + queries))
    result: Dict[str, Any] = {}
    if examples:
        report = score([intent for _, intent in examples], predicted[: len(texts)], known)
        print(format_report(report, args.data, model_path))
        if args.confusions:
            print(format_confusions([intent for _, intent in examples], predicted[: len(texts)], args.confusions))
        result.update(asdict(report))
    if queries:
        caught = out_of_scope_caught(predicted[len(texts) :])
        print(format_out_of_scope(caught, len(queries), args.out_of_scope, model_path))
        result["out_of_scope_caught"] = caught
    if args.out:
        args.out.write_text(json.dumps(result, indent=2))
    return 0


def format_confusions(gold: Sequence[str], predicted: Sequence[str], top: int) -> str:
    """The commonest mistakes as counts (never the sentences): which intent was taken for which."""
    from collections import Counter

    mistakes = Counter((g, p) for g, p in zip(gold, predicted) if g != p)
    lines = ["", f"  {'intent':<28} {'taken for':<28} {'times':>5}"]
    lines += [f"  {g:<28} {p:<28} {n:>5}" for (g, p), n in mistakes.most_common(top)]
    return "\n".join(lines)


def out_of_scope_caught(predicted: Sequence[str]) -> float:
    """The share of out-of-scope queries not answered as a customer request."""
    return sum(intent in NOT_ANSWERED for intent in predicted) / len(predicted)


def format_out_of_scope(caught: float, queries: int, data: Path, model_path: Path) -> str:
    return (
        f"Out-of-scope check of {model_path.name} on {data} ({queries} queries)\n"
        f"  caught         {caught:.3f}  (said out of scope or not understood, not answered as a request)"
    )


def format_report(report: NluReport, data: Path, model_path: Path) -> str:
    lines = [
        f"NLU evaluation of {model_path.name} on {data} ({report.examples} examples)",
        f"  accuracy       {report.accuracy:.3f}",
        f"  macro-F1       {report.macro_f1:.3f}",
        f"  fallback rate  {report.fallback_rate:.3f}  (said it did not understand)",
        "",
        f"  {'intent':<28} {'F1':>6} {'n':>5}",
    ]
    for intent, f1 in sorted(report.f1_by_intent.items(), key=lambda item: item[1]):
        lines.append(f"  {intent:<28} {f1:>6.3f} {report.support_by_intent[intent]:>5}")
    if report.unknown_intents:
        lines.append(f"\n  Not intents of this model (always missed): {', '.join(report.unknown_intents)}")
    return "\n".join(lines)


def _current_model() -> Path:
    from bot import model

    return model.model_path()


def _quiet_rasa() -> None:
    """Rasa and TensorFlow log at length (every parse, at debug level); the report is what matters."""
    from rasa.utils.log_utils import configure_structlog

    # Not configuration: TensorFlow reads this on import, to quiet its start-up chatter.
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    configure_structlog(logging.ERROR)
    for name in ("rasa", "tensorflow", "absl"):
        logging.getLogger(name).setLevel(logging.ERROR)

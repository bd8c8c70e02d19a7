"""`candor eval-nlu`: how well the trained model understands customer requests it never saw.

Reads a CSV with `text,intent` columns (for example the Bitext customer-support dev split, which
is for evaluation only and never training), runs every text through the trained model exactly as
the server would, and reports accuracy, macro-F1, F1 per intent and how often the assistant said
it did not understand (the fallback rate). A fallback counts as a miss: the customer was not helped.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

from bot.cli.csvfiles import read_csv_rows
from bot.cli.errors import CommandError

FALLBACK_INTENT = "nlu_fallback"


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
    parser.add_argument("--data", required=True, type=Path, help="CSV file with text,intent columns")
    parser.add_argument("--model", type=Path, help="model archive (default: the model for the current training data)")
    parser.add_argument("--out", type=Path, help="also write the report as JSON to this file")
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
        fallback_rate=sum(p == FALLBACK_INTENT for p in predicted) / len(predicted),
        f1_by_intent={label: float(f1) for label, f1 in zip(labels, f1s)},
        support_by_intent={label: list(gold).count(label) for label in labels},
        unknown_intents=[label for label in labels if label not in known_intents],
    )


async def predict_intents(model_path: Path, texts: Sequence[str]) -> Tuple[List[str], List[str]]:
    """The model's intent for each text, and the intents the model knows."""
    from rasa.core.agent import Agent

    agent = Agent.load(str(model_path))
    predictions = []
    for text in texts:
        parsed = await agent.parse_message(text)
        predictions.append((parsed.get("intent") or {}).get("name") or FALLBACK_INTENT)
    return predictions, list(agent.domain.intents)


def run(args: argparse.Namespace) -> int:
    examples = read_examples(args.data)
    model_path = args.model or _current_model()
    if not model_path.is_file():
        raise CommandError(f"no model at {model_path}; run `make train` first")
    _quiet_rasa()
    texts, gold = zip(*examples)
    predicted, known = asyncio.run(predict_intents(model_path, texts))
    report = score(gold, predicted, known)
    print(format_report(report, args.data, model_path))
    if args.out:
        args.out.write_text(json.dumps(asdict(report), indent=2))
    return 0


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

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    configure_structlog(logging.ERROR)
    for name in ("rasa", "tensorflow", "absl"):
        logging.getLogger(name).setLevel(logging.ERROR)

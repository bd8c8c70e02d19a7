"""`candor bench-inputs`: what one pathological message costs the server, next to a normal one.

A message that is one huge word (emoji, letters without spaces) or thousands of postcode-shaped
words once held the whole Rasa server for tens of seconds: the distress detector's spaCy
tokenizer is quadratic on one long token, and Presidio's analyzer and anonymizer are quadratic
in the number of findings. Each shape below is run through the distress detector (its
`process()`, as the server calls it) and through redaction (what the tracker store does before
anything is stored), on their own and one after the other, and the time per message is printed.

The detector is trained in-process from the project's data, as `candor eval-distress` does.
"""

from __future__ import annotations

import argparse
import statistics
import time
from typing import TYPE_CHECKING, Callable, Dict, List, Tuple

from bot.cli.distress_detector import trained_detector

if TYPE_CHECKING:
    from bot.components.distress import DistressDetector
    from bot.privacy.redaction import Redactor

LENGTH = 20_000
NORMAL_MESSAGE = "Hi, where is my order 104512? It was due to arrive on Monday."
ORDINARY_SENTENCE = "My parcel has not arrived yet and I would like to know when it will come. "


def pathological_inputs(length: int = LENGTH, run: int = 0) -> Dict[str, str]:
    """The shapes that were slow, each `length` characters long, and a normal message.

    spaCy caches how it tokenized each run without spaces, so each `run` gets different emoji
    and letters: every timing is of text the tokenizer has not seen.
    """
    kilo = f"{length / 1000:g}k"
    emoji = chr(0x1F600 + run % 64)
    letter = "abcdefghijklmnopqrstuvwxyz"[run % 26]
    return {
        f"{kilo} emoji": emoji * length,
        # Redaction skips text without a letter or a digit: these make it read the run.
        f"{kilo} emoji after a word": ("hi " + emoji * length)[:length],
        f"{kilo} 's's's, no spaces": (letter + "'s" * length)[:length],
        f"{kilo} letters, no spaces": letter * length,
        f"{kilo} postcode-shaped": ("AB1 2CD " * (length // 8 + 1))[:length],
        f"{kilo} ordinary words": (ORDINARY_SENTENCE * (length // len(ORDINARY_SENTENCE) + 1))[:length],
        f"normal message ({len(NORMAL_MESSAGE)} chars)": NORMAL_MESSAGE,
    }


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "bench-inputs",
        help="time the distress detector and redaction on pathological messages",
        description=__doc__.split("\n\n")[0],
    )
    parser.add_argument("--length", type=int, default=LENGTH, help="characters per pathological message")
    parser.add_argument("--repeats", type=int, default=3, help="runs per message (the median is printed)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from bot.cli.errors import CommandError

    if args.length < 1 or args.repeats < 1:
        raise CommandError("--length and --repeats must be at least 1")
    detector, redactor = trained_detector(), _redactor()
    stages: Dict[str, Callable[[str], object]] = {
        "distress": lambda text: _detect(detector, text),
        "redaction": redactor.redact,
        "both": lambda text: (_detect(detector, text), redactor.redact(text)),
    }
    for stage in stages.values():  # first calls load lazily loaded data; not what is measured
        stage(NORMAL_MESSAGE)
    names = list(pathological_inputs(args.length))
    times: Dict[Tuple[str, str], List[float]] = {}
    for run_number in range(args.repeats):
        for stage_number, (stage_name, stage) in enumerate(stages.items()):
            texts = pathological_inputs(args.length, run_number * len(stages) + stage_number)
            for name, text in texts.items():
                started = time.perf_counter()
                stage(text)
                times.setdefault((name, stage_name), []).append((time.perf_counter() - started) * 1000)
    print(f"time per message, ms: median of {args.repeats} (slowest in brackets)")
    print(f"  {'input':<28}" + "".join(f"{name:>22}" for name in stages))
    for name in names:
        cells = [times[name, stage_name] for stage_name in stages]
        print(f"  {name:<28}" + "".join(f"{statistics.median(c):>11.1f} ({max(c):>8.1f})" for c in cells))
    return 0


def _detect(detector: "DistressDetector", text: str) -> None:
    from rasa.shared.nlu.training_data.message import Message

    detector.process([Message({"text": text})])


def _redactor() -> "Redactor":
    from bot.privacy.redaction import default_redactor

    return default_redactor()

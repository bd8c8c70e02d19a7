"""`candor train`: train what the assistant needs, unless it exists for the current inputs.

Two models, each cached under a name made from a fingerprint of its own inputs (in `models/`, and
across checkouts in the cache of trained models, `bot/cli/model_cache.py`): the Rasa model
(`bot.model`: config, domain, training data) and the named-entity model that redaction loads
(`bot.privacy.ner`: templates, generator, spaCy config). Changing the NLU data retrains both, since
the NER model learns Candor's own messages as text that names nobody.
"""

from __future__ import annotations

import argparse
import subprocess
from typing import Optional

from bot import model
from bot.cli import model_cache
from bot.cli.errors import CommandError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "train",
        help="train the models if their inputs changed",
        description="Train the Rasa model and the redaction NER model when no model exists for their current "
        "inputs (each is named by a fingerprint of its inputs, under models/). Prints the models' paths.",
    )
    parser.add_argument("--force", action="store_true", help="train even if up-to-date models exist")
    parser.add_argument(
        "--only", choices=("rasa", "ner"), help="train only the Rasa model or only the redaction NER model"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # Both models train at once when both are stale: `rasa train` in its own process, the NER
    # model here. On two cores that takes about as long as the longer of the two.
    rasa = start_rasa(args.force) if args.only in (None, "rasa") else None
    try:
        if args.only in (None, "ner"):
            train_ner(args.force)
    except BaseException:
        if rasa is not None:
            rasa.terminate()
            rasa.wait()
        raise
    if rasa is not None:
        finish_rasa(rasa)
    return 0


def start_rasa(force: bool) -> Optional["subprocess.Popen[bytes]"]:
    shown = model.model_path().relative_to(model.PROJECT_ROOT)
    if not force and not model.model_path().exists() and model_cache.restore(model.model_path()):
        print(f"Model restored from the cache of trained models: {shown}", flush=True)
    process = model.start_training(force=force)
    if process is None:
        model_cache.keep(model.model_path())
    print(f"Training {shown} (the training data changed or no model exists)" if process else f"Model is up to date: {shown}", flush=True)
    return process


def finish_rasa(process: "subprocess.Popen[bytes]") -> None:
    if process.wait() != 0:
        raise CommandError(f"rasa train failed with exit status {process.returncode}; see its output above")
    model_cache.keep(model.model_path())
    print(f"Model ready: {model.model_path().relative_to(model.PROJECT_ROOT)}")


def train_ner(force: bool) -> None:
    # Imported here: spaCy and the generator are not needed by the other commands.
    from bot.privacy import ner

    path = ner.model_path()
    shown = path.relative_to(model.PROJECT_ROOT)
    if not force and not path.exists() and model_cache.restore(path):
        print(f"Redaction NER model restored from the cache of trained models: {shown}")
    if (path / "config.cfg").is_file() and not force:
        model_cache.keep(path)
        print(f"Redaction NER model is up to date: {shown}")
        return
    print(f"Training the redaction NER model {shown} (its inputs changed or no model exists)")
    ner.train(force=force)
    model_cache.keep(path)
    print(f"Redaction NER model ready: {shown}")

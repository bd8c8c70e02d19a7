"""`candor train`: train what the assistant needs, unless it exists for the current inputs.

Two models, each cached under a name made from a fingerprint of its own inputs: the Rasa model
(`bot.model`: config, domain, training data) and the named-entity model that redaction loads
(`bot.privacy.ner`: templates, generator, spaCy config). Changing the NLU data retrains both, since
the NER model learns Candor's own messages as text that names nobody.
"""

from __future__ import annotations

import argparse
import subprocess

from bot import model
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
    if args.only in (None, "ner"):
        train_ner(args.force)
    if args.only in (None, "rasa"):
        train_rasa(args.force)
    return 0


def train_rasa(force: bool) -> None:
    path = model.model_path()
    shown = path.relative_to(model.PROJECT_ROOT)
    if path.exists() and not force:
        print(f"Model is up to date: {shown}")
        return
    print(f"Training {shown} (the training data changed or no model exists)")
    try:
        model.train(force=force)
    except subprocess.CalledProcessError as error:
        raise CommandError(f"rasa train failed with exit status {error.returncode}; see its output above") from None
    print(f"Model ready: {shown}")


def train_ner(force: bool) -> None:
    # Imported here: spaCy and the generator are not needed by the other commands.
    from bot.privacy import ner

    path = ner.model_path()
    shown = path.relative_to(model.PROJECT_ROOT)
    if (path / "config.cfg").is_file() and not force:
        print(f"Redaction NER model is up to date: {shown}")
        return
    print(f"Training the redaction NER model {shown} (its inputs changed or no model exists)")
    ner.train(force=force)
    print(f"Redaction NER model ready: {shown}")

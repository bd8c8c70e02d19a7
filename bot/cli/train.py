"""`candor train`: train the assistant, unless a model for the current data already exists."""

from __future__ import annotations

import argparse
import subprocess

from bot import model
from bot.cli.errors import CommandError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "train",
        help="train the model if the training data changed",
        description="Train the Rasa model when no model exists for the current config, domain and "
        "data (models are named by a fingerprint of those files). Prints the model's path.",
    )
    parser.add_argument("--force", action="store_true", help="train even if an up-to-date model exists")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    path = model.model_path()
    if path.exists() and not args.force:
        print(f"Model is up to date: {path.relative_to(model.PROJECT_ROOT)}")
        return 0
    print(f"Training {path.relative_to(model.PROJECT_ROOT)} (the training data changed or no model exists)")
    try:
        model.train(force=args.force)
    except subprocess.CalledProcessError as error:
        raise CommandError(f"rasa train failed with exit status {error.returncode}; see its output above") from None
    print(f"Model ready: {path.relative_to(model.PROJECT_ROOT)}")
    return 0

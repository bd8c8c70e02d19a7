"""`candor test-conversations`: the conversation tests, as written and in every accessibility mode.

The tests in `data/tests/` run with Rasa's own evaluation (`rasa.core.test.test`), then again
rewritten for plain and screen-reader modes (`accessibility.mode_stories`), with the same
expectations: a mode may change wording, never a decision. Any wrong prediction fails the command.

`rasa test core` would load the model once per set; this loads it once for all three. The sets are
run apart, not as one: Rasa drops a test story whose states repeat another's, and the mode slot
does not change the states, so a mode's copies would never be checked.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import tempfile
from pathlib import Path

from accessibility.mode_stories import TESTS_DIR, write_mode_stories
from accessibility.modes import Mode
from bot import model
from bot.cli.errors import CommandError

RESULTS_DIR = model.PROJECT_ROOT / "var" / "results"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "test-conversations",
        help="run the conversation tests, as written and in each accessibility mode",
        description="Load the trained model once and run the test stories in data/tests/ as written and "
        "in plain and screen-reader modes; fail on any wrong prediction. Results go to var/results/.",
    )
    parser.add_argument("--stories", type=Path, default=TESTS_DIR, help="a folder of test stories (default: data/tests)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from rasa.core.agent import Agent
    from rasa.core.test import WrongPredictionException
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    # Rasa's evaluation tables, not its policies' debugging.
    configure_logging_and_warnings(logging.INFO)
    configure_structlog(logging.INFO)
    if not args.stories.is_dir() or not any(args.stories.glob("*.yml")):
        raise CommandError(f"no test stories (*.yml) in {args.stories}")
    path = model.model_path()
    if not path.exists():
        raise CommandError(f"no trained model at {path.relative_to(model.PROJECT_ROOT)}; run `make train` first")
    agent = Agent.load(model_path=str(path))
    with tempfile.TemporaryDirectory(prefix="candor-conversation-tests-") as folder:
        for mode in Mode:
            stories = args.stories if mode is Mode.STANDARD else Path(folder) / mode.value
            if mode is not Mode.STANDARD:
                write_mode_stories(mode, stories, tests_dir=args.stories)
            try:
                summary = asyncio.run(evaluate(agent, stories, results_folder(mode)))
            except WrongPredictionException as error:
                raise CommandError(f"a conversation test failed in {mode.value} mode: {error}") from None
            print(f"Conversation tests in {mode.value} mode: {summary}", flush=True)
    return 0


async def evaluate(agent: "Agent", stories: Path, out: Path) -> str:  # noqa: F821 (imported lazily)
    from rasa.core.test import test as core_test

    out.mkdir(parents=True, exist_ok=True)
    report = await core_test(str(stories), agent, out_directory=str(out), fail_on_prediction_errors=True, disable_plotting=True)
    conversations = report.get("report", {}).get("conversation_accuracy", {})
    return f"{conversations.get('correct', '?')} of {conversations.get('total', '?')} stories right"


def results_folder(mode: Mode) -> Path:
    return RESULTS_DIR / ("conversations" if mode is Mode.STANDARD else f"conversations-{mode.value}")

"""The `candor` command: operations on a Candor assistant (train, serve, queue, evaluation).

Each subcommand lives in its own module with `register(subparsers)` and `run(args) -> int`.
Bad input ends the command with a one-line reason and a non-zero exit status, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from typing import List, Optional

from bot.cli import (
    audit,
    bench,
    bench_inputs,
    bench_voice,
    data_rights,
    database,
    eval_distress,
    eval_fairness,
    eval_nlu,
    handoffs,
    lint_responses,
    over_redaction,
    policy,
    redact,
    report,
    review,
    serve,
    test_conversations,
    train,
    validate,
)
from bot.cli.errors import CommandError

COMMANDS = (
    train, serve, validate, test_conversations, database, handoffs, data_rights, eval_nlu, eval_distress,
    eval_fairness, redact, over_redaction, audit, review, report, policy, lint_responses, bench_voice, bench_inputs,
    bench,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="candor",
        description="Operate the Candor customer-service assistant.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for command in COMMANDS:
        command.register(subparsers)
    return parser


def main(argv: Optional[List[str]] = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except CommandError as error:
        print(f"candor {args.command}: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())

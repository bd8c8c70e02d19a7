"""`candor lint-responses`: every response's reading grade and the rules it breaks, before CI does."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import List, Sequence

from accessibility.lint import ResponseLint, average_plain_grade, average_problem, lint_domain
from accessibility.plain_language import MAX_AVERAGE_GRADE, MAX_GRADE, Avoided, avoided_words
from bot.cli.errors import CommandError
from bot.model import DOMAIN
from bot.settings import plain_words_file


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "lint-responses",
        help="check every response's plain-language and screen-reader wording",
        description=f"For every response in bot/domain and every mode: the standard wording's reading grade; the plain "
        f"variant's grade (at most {MAX_GRADE:g}, {MAX_AVERAGE_GRADE:g} on average) and don't-say words; the screen-reader "
        "rendering's grade and anything left in it a screen reader would trip over. Exit 1 if any rule is broken.",
    )
    parser.add_argument("--file", action="append", type=Path, metavar="FILE", help="only this domain file (repeatable)")
    parser.add_argument("--problems-only", action="store_true", help="print only responses that break a rule")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    files = args.file or sorted(DOMAIN.glob("*.yml"))
    for path in files:
        if not path.is_file():
            raise CommandError(f"{path} is not a file: give a domain file such as bot/domain/orders.yml")
    lints = lint_domain(files, _word_list())
    broken = [lint for lint in lints if not lint.ok]
    print(f"{'response':<44} {'file':<18} {'standard':>8} {'plain':>6} {'screen':>6}  problems")
    for lint in lints:
        if args.problems_only and lint.ok:
            continue
        print(_line(lint))
    average = average_plain_grade(lints)
    worst = max((lint for lint in lints if lint.plain), key=lambda lint: lint.plain.grade, default=None)
    print()
    print(f"{len(lints)} responses, {len(broken)} breaking a rule.")
    if average is not None and worst is not None:
        print(f"Plain variants: average grade {average:.2f} (at most {MAX_AVERAGE_GRADE:g}), worst {worst.plain.grade:.2f} ({worst.name}).")
    problem = average_problem(lints)
    if problem:
        print(f"Problem: {problem}.")
    return 1 if broken or problem else 0


def _line(lint: ResponseLint) -> str:
    standard = f"{lint.standard_grade:.1f}" if lint.standard_grade is not None else "-"
    plain = f"{lint.plain.grade:.1f}" if lint.plain else "-"
    screen = f"{lint.screen_reader.grade:.1f}" if lint.screen_reader else "-"
    problems: List[str] = lint.problems + (lint.plain.problems if lint.plain else [])
    problems += [f"screen reader: {problem}" for problem in (lint.screen_reader.problems if lint.screen_reader else [])]
    return f"{lint.name:<44} {lint.file:<18} {standard:>8} {plain:>6} {screen:>6}  {'; '.join(problems) or 'ok'}"


def _word_list() -> Sequence[Avoided]:
    """The don't-say words; without the list, the other rules are still checked, and it says so."""
    path = plain_words_file()
    if not path.is_file():
        print(f"Note: no don't-say word check: the plainlanguage.gov word list is not at {path} (set CANDOR_PLAIN_WORDS).")
        return ()
    return avoided_words(path)

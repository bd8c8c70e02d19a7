"""`candor review list|label|export`: people teach the assistant from the turns it may have got wrong.

`list` shows the turns the audit trail marks for review, with the customer's redacted words;
`label` records what the customer meant; `export` writes the labels as Rasa NLU training data,
to be read by a person before any of it is copied into `data/nlu/`.
"""

from __future__ import annotations

import argparse
import json
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator, List

from rasa.shared.exceptions import RasaException
from sqlalchemy.exc import SQLAlchemyError

from bot import settings
from bot.audit.review import REASONS, ReviewItem, review_candidates, review_item
from bot.audit.review_labels import (
    ReviewError,
    TrainingExamples,
    label_turn,
    labellable_intents,
    labels_since,
    training_examples,
)
from bot.cli.dates import utc_moment
from bot.cli.errors import CommandError
from bot.store.database import open_session

TRAINING_DATA_DIR = settings.PROJECT_ROOT / "data" / "nlu"
TEXT_WIDTH = 60


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "review",
        help="check turns the assistant may have got wrong and label what the customer meant",
        description="Turns the audit trail marks for review (flagged by the customer, not understood, "
        "or below review.confidence_below in bot/policy.yml), labelled by people, exported as NLU data.",
    )
    actions = parser.add_subparsers(dest="review_command", metavar="ACTION", required=True)

    listing = actions.add_parser(
        "list",
        help="list turns to review, oldest first",
        description="List the turns to review with the customer's redacted words, oldest first.",
    )
    listing.add_argument("--since", metavar="DATE", help="only turns from this date (2026-11-27) or time (UTC) on")
    listing.add_argument("--reason", choices=REASONS, help="only turns listed for this reason")
    listing.add_argument("--unlabelled", action="store_true", help="only turns nobody has labelled yet")
    listing.add_argument("--json", action="store_true", help="print JSON instead of a table")
    listing.set_defaults(run=run_list)

    label = actions.add_parser(
        "label",
        help="record what the customer meant in a listed turn",
        description="Record that the customer meant INTENT (an intent of bot/domain) in turn ID of `candor review list`.",
    )
    label.add_argument("id", metavar="ID", help="the turn's id in `candor review list`")
    label.add_argument("intent", metavar="INTENT", help="what the customer meant, e.g. track_order")
    label.add_argument("--by", metavar="NAME", help="who decided (default: $USER, else 'reviewer')")
    label.add_argument("--replace", action="store_true", help="change a label someone already gave")
    label.set_defaults(run=run_label)

    export = actions.add_parser(
        "export",
        help="write the labels as Rasa NLU training data",
        description="Write the labels as Rasa NLU training data, to read before copying examples into data/nlu/.",
    )
    export.add_argument("--out", metavar="FILE", required=True, help="where to write the YAML (not under data/nlu/)")
    export.add_argument("--since", metavar="DATE", help="only labels made from this date (2026-11-27) or time (UTC) on")
    export.set_defaults(run=run_export)


def run_list(args: argparse.Namespace) -> int:
    since = utc_moment(args.since, "--since")
    with _databases():
        items = review_candidates(since=since)
    items = [
        item
        for item in items
        if (args.reason is None or args.reason in item.reasons) and not (args.unlabelled and item.label)
    ]
    if args.json:
        print(json.dumps([item.as_dict() for item in items], indent=2, ensure_ascii=False))
        return 0
    if not items:
        print("Nothing to review." + (f" (since {since:%Y-%m-%d %H:%M} UTC)" if since else ""))
        return 0
    print(f"{'id':>6}  {'time (UTC)':<16}  {'reasons':<30}  {'predicted':<40}  {'label':<22}  text")
    for item in items:
        label = item.label.intent if item.label else "-"
        print(
            f"{item.id:>6}  {item.recorded_at:%Y-%m-%d %H:%M}  {', '.join(item.reasons):<30}  "
            f"{_predicted(item):<40}  {label:<22}  {_shorten(item.shown_text)}"
        )
    return 0


def run_label(args: argparse.Namespace) -> int:
    seq = _turn_id(args.id)
    by = (args.by or settings.login_name() or "reviewer").strip()
    if not by or len(by) > 80:
        raise CommandError("--by: give the reviewer's name, 1 to 80 characters")
    intents = _domain_intents()
    with _databases():
        item = review_item(seq)
        if item is None:
            raise CommandError(f"turn {seq} is not in the review list; pick an id from `candor review list`")
        with open_session() as session:
            try:
                label_turn(session, item, args.intent, by, datetime.now(timezone.utc), intents=intents, replace=args.replace)
            except ReviewError as error:
                raise CommandError(str(error)) from None
    print(f"Turn {seq} labelled {args.intent} (understood as {_predicted(item)}) by {by}: {item.text!r}")
    print("Export the labels with `candor review export --out FILE`.")
    return 0


def run_export(args: argparse.Namespace) -> int:
    out = Path(args.out)
    if _is_training_data(out):
        raise CommandError(
            f"{out} is in data/nlu/, where the next model would train on it unread: write it elsewhere "
            "(e.g. --out var/reviewed-nlu.yml), read it, then copy the examples you agree with into data/nlu/"
        )
    if not out.parent.is_dir():
        raise CommandError(f"cannot write {out}: the directory {out.parent} does not exist")
    since = utc_moment(args.since, "--since")
    with _databases():
        with open_session() as session:
            labels = labels_since(session, since)
    if not labels:
        raise CommandError(
            "no labels to export" + (f" made since {since:%Y-%m-%d %H:%M} UTC" if since else "")
            + "; label turns with `candor review label ID INTENT` first"
        )
    examples = training_examples(labels, _domain_intents())
    if not examples.examples:
        raise CommandError(f"none of the {len(labels)} label(s) makes a training example ({_skipped(examples)}); nothing written")
    try:
        out.write_text(examples.as_nlu_yaml(), encoding="utf-8")
    except OSError as error:
        raise CommandError(f"cannot write {out}: {error.strerror}") from None
    print(f"Wrote {examples.examples} example(s) for {len(examples.by_intent)} intent(s) to {out}.")
    if examples.skipped:
        print(f"Left out {sum(examples.skipped.values())} label(s): {_skipped(examples)}.")
    print("Read it, then copy the examples you agree with into data/nlu/ and train.")
    return 0


@contextmanager
def _databases() -> Iterator[None]:
    """Database failures as one line that names both databases (they may differ)."""
    try:
        yield
    except SQLAlchemyError as error:
        raise CommandError(
            f"cannot use the Candor store ({settings.database_url()}) or the conversations "
            f"({settings.tracker_store_url()}): {str(error).splitlines()[0]} (run `candor db init` to create the database)"
        ) from None


def _skipped(examples: TrainingExamples) -> str:
    return ", ".join(f"{count} {reason}" for reason, count in sorted(examples.skipped.items()))


def _domain_intents() -> List[str]:
    try:
        return labellable_intents()
    except RasaException as error:
        raise CommandError(f"cannot read the intents in bot/domain/: {str(error).splitlines()[0]} (run `candor validate`)") from None


def _turn_id(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise CommandError(f"ID {value!r} is not a turn id: give the number in the id column of `candor review list`")
    return int(value)


def _predicted(item: ReviewItem) -> str:
    """The intent and its confidence; for fallback and distress, the classifier's guess they replaced."""
    guess = item.classifier_guess
    if guess is not None:
        return f"{item.predicted_intent}, guess {guess.intent} ({guess.confidence:.2f})"
    if item.confidence is None:
        return item.predicted_intent or "-"
    return f"{item.predicted_intent} ({item.confidence:.2f})"


def _shorten(text: str) -> str:
    one_line = " ".join(text.split())
    return one_line if len(one_line) <= TEXT_WIDTH else one_line[: TEXT_WIDTH - 1] + "…"


def _is_training_data(path: Path) -> bool:
    target = path.resolve()
    return target == TRAINING_DATA_DIR.resolve() or TRAINING_DATA_DIR.resolve() in target.parents

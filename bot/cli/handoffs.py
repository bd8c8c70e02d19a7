"""`candor handoffs list`: the queue of conversations waiting for a person."""

from __future__ import annotations

import argparse
import json
from datetime import datetime, timezone

from sqlalchemy.exc import SQLAlchemyError

from bot import settings
from bot.cli.errors import CommandError
from bot.handoff.queue import waiting_list


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "handoffs",
        help="see the conversations waiting for a person",
        description="The human-handoff queue in the shop database.",
    )
    actions = parser.add_subparsers(dest="handoffs_command", metavar="ACTION", required=True)
    listing = actions.add_parser(
        "list",
        help="list waiting conversations, first served first",
        description="List the conversations waiting for a person, ordered by priority (1 first), then by waiting time.",
    )
    listing.add_argument("--json", action="store_true", help="print JSON instead of a table")
    listing.set_defaults(run=run_list)


def run_list(args: argparse.Namespace) -> int:
    try:
        queue = waiting_list(datetime.now(timezone.utc))
    except SQLAlchemyError as error:
        raise CommandError(
            f"cannot read the queue from {settings.database_url()}: {str(error).splitlines()[0]} "
            "(run `candor db init` to create the database)"
        ) from None
    rows = [
        {
            "position": entry.position,
            "conversation_id": entry.conversation_id,
            "reason": entry.reason,
            "priority": entry.priority,
            "channel": entry.channel,
            "requested_at": entry.requested_at.isoformat(),
            "waiting_minutes": entry.waiting_minutes,
        }
        for entry in queue
    ]
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    if not rows:
        print("Nobody is waiting for a person.")
        return 0
    print(f"{'#':>3}  {'priority':>8}  {'waiting':>8}  {'reason':<26}  {'channel':<10}  conversation")
    for row in rows:
        print(
            f"{row['position']:>3}  {row['priority']:>8}  {row['waiting_minutes']:>6} m  "
            f"{row['reason']:<26}  {row['channel'] or '-':<10}  {row['conversation_id']}"
        )
    return 0

"""`candor db init`: create the shop's tables and load the demo data into an empty database."""

from __future__ import annotations

import argparse

from sqlalchemy.exc import SQLAlchemyError

from bot import settings
from bot.cli.errors import CommandError
from bot.store import DataFileError
from bot.store.seed import init_database


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "db",
        help="set up the shop database",
        description="Manage the shop database at $CANDOR_DATABASE_URL (default: SQLite under var/).",
    )
    actions = parser.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    init = actions.add_parser(
        "init",
        help="create the tables and load the demo data if the database is empty",
        description="Create any missing tables, then load data/seed/ into an empty database. "
        "A database that already has customers is left as it is.",
    )
    init.set_defaults(run=run_init)


def run_init(args: argparse.Namespace) -> int:
    try:
        counts = init_database()
    except DataFileError as error:
        raise CommandError(f"the seed data is invalid: {error}") from None
    except SQLAlchemyError as error:
        raise CommandError(f"cannot use the database at {settings.database_url()}: {error.__class__.__name__}: {str(error).splitlines()[0]}") from None
    summary = ", ".join(f"{count} {table}" for table, count in counts.items())
    print(f"Database ready at {settings.database_url()}: {summary}")
    return 0

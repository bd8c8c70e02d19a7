"""`candor data …` and `candor purge`: a customer's data rights and retention, for operators.

The same operations a customer can ask for in chat, for requests that arrive by email or post:
`show` (what is held and why), `export` (JSON), `withdraw` (consent), `erase` (asks to confirm
unless `--yes`). `purge` applies the retention periods in `bot/policy.yml` now.
"""

from __future__ import annotations

import argparse
import json
import sys
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Iterator

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from bot import settings
from bot.cli.errors import CommandError
from bot.privacy.consent import Where, withdraw_all
from bot.privacy.erasure import erase_customer, is_erased
from bot.privacy.retention import purge
from bot.privacy.subject_access import export, summary
from bot.store.customers import customer_by_claim
from bot.store.database import open_session

OPERATIONS = {
    "show": "summarise what is held about the customer and why",
    "export": "print everything held about the customer as JSON",
    "withdraw": "withdraw the customer's consent to use their history",
    "erase": "erase the customer's data (conversations, consent records, personal details)",
}


def register(subparsers: argparse._SubParsersAction) -> None:
    data = subparsers.add_parser(
        "data",
        help="a customer's data rights: show, export, withdraw, erase",
        description="Act on a customer's data-protection request. CUSTOMER is a customer number (C10001) or an email address.",
    )
    operations = data.add_subparsers(dest="data_command", metavar="ACTION", required=True)
    for name, help_text in OPERATIONS.items():
        operation = operations.add_parser(name, help=help_text, description=help_text[0].upper() + help_text[1:] + ".")
        operation.add_argument("customer", metavar="CUSTOMER", help="customer number (C10001) or email address")
        if name == "erase":
            operation.add_argument("--yes", action="store_true", help="do not ask for confirmation")
        operation.set_defaults(run=run_data)

    retention = subparsers.add_parser(
        "purge",
        help="delete conversations and consent records past their retention period",
        description="Delete what bot/policy.yml's retention periods say is no longer kept. The Rasa server also does this on a schedule.",
    )
    retention.set_defaults(run=run_purge)


def run_data(args: argparse.Namespace) -> int:
    now = datetime.now(timezone.utc)
    with _database() as session:
        customer = customer_by_claim(session, args.customer)
        if customer is None or is_erased(customer):
            raise CommandError(f"no customer {args.customer!r} (give a customer number like C10001, or an email address)")
        if args.data_command == "show":
            print(summary(session, customer, now))
        elif args.data_command == "withdraw":
            withdrawn = withdraw_all(session, customer.id, now, Where(channel="candor-cli", conversation_id=None))
            print(f"Withdrew consent for: {', '.join(withdrawn)}." if withdrawn else "No consent was in force; nothing changed.")
        customer_id = customer.id
    if args.data_command == "export":
        json.dump(export(customer_id, now), sys.stdout, indent=2, ensure_ascii=False)
        print()
    if args.data_command == "erase":
        if not args.yes and not _confirmed(f"Erase all data of {args.customer}? This cannot be undone. Type 'erase' to confirm: "):
            print("Nothing was erased.")
            return 1
        erasure = erase_customer(customer_id, now)
        print(
            f"Erased. Receipt {erasure.reference}: {erasure.conversations} conversation(s), "
            f"{erasure.consent_records} consent record(s) deleted; {erasure.orders_anonymised} order(s) kept without personal details."
        )
    return 0


def run_purge(args: argparse.Namespace) -> int:
    try:
        result = purge(datetime.now(timezone.utc))
    except SQLAlchemyError as error:
        raise CommandError(f"cannot purge: {str(error).splitlines()[0]}") from None
    print(f"Retention purge: {result.describe()}.")
    return 0


@contextmanager
def _database() -> Iterator[Session]:
    try:
        with open_session() as session:
            yield session
    except SQLAlchemyError as error:
        raise CommandError(
            f"cannot use the database at {settings.database_url()}: {str(error).splitlines()[0]} (run `candor db init` first)"
        ) from None


def _confirmed(question: str) -> bool:
    try:
        return input(question).strip().lower() == "erase"
    except EOFError:
        return False

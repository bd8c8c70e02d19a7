"""`candor policy diff|history|check`: every change to the assistant's promises, accounted for.

The policy file is where the promises live; the audit trail records each one that ran. These
commands read both, show what changed and what the changelog says about it, and fail when a
change slipped in without a new version number or a changelog entry.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import List, Sequence

from sqlalchemy import inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from bot import settings
from bot.audit.policy_diff import PolicySnapshot, compare, comparison_as_dict, render_comparison
from bot.audit.policy_versions import (
    CURRENT,
    HistoryEntry,
    VersionSpecError,
    check_against_trail,
    current_snapshot,
    default_old,
    display_path,
    format_time,
    history,
    is_version_number,
    recorded_policies,
    resolve,
)
from bot.cli.errors import CommandError
from bot.policy_sections import PolicyError
from bot.store.audit import AuditRecord
from bot.store.database import cached_engine, open_session

SPEC_HELP = "a version number recorded in the audit trail, `current` (the policy file in force), or the path of a policy file"
# Long enough to recognise a changelog entry in a table row; `--json` has the full text.
SUMMARY_WIDTH = 70
SHA_PREFIX = 12


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "policy",
        help="see and check changes to the policy file",
        description="Compare policy versions, list the versions the audit trail has run, and check "
        "that the policy file's version and changelog account for its contents.",
    )
    parser.set_defaults(run=run)
    actions = parser.add_subparsers(dest="policy_command", metavar="ACTION", required=True)
    diff = actions.add_parser(
        "diff",
        help="show what changed between two policy versions",
        description="Show the changelog entries and every change between OLD and NEW. Exits 1 when "
        "the policy changed without a version bump or without a changelog entry for its version.",
    )
    diff.add_argument("old", metavar="OLD", nargs="?", help=f"{SPEC_HELP} (default: the newest recorded policy that differs from NEW)")
    diff.add_argument("new", metavar="NEW", nargs="?", default=CURRENT, help=f"{SPEC_HELP} (default: current)")
    diff.add_argument("--json", action="store_true", help="print JSON instead of text")
    listing = actions.add_parser(
        "history",
        help="list the policy versions the audit trail has run",
        description="List each policy the audit trail recorded, oldest first, with its changelog entry.",
    )
    listing.add_argument("--json", action="store_true", help="print JSON instead of a table")
    actions.add_parser(
        "check",
        help="validate the policy file and check its version against the audit trail",
        description="Validate the policy file, and fail (exit 1) if the audit trail recorded the same "
        "version number with different contents.",
    )


def run(args: argparse.Namespace) -> int:
    return {"diff": run_diff, "history": run_history, "check": run_check}[args.policy_command](args)


def run_diff(args: argparse.Namespace) -> int:
    needs_trail = args.old is None or is_version_number(args.old) or is_version_number(args.new)
    recorded = _recorded() if needs_trail else []
    new = _resolve(args.new, recorded)
    old = _resolve(args.old, recorded) if args.old is not None else default_old(new, recorded)
    if old is None:
        return _nothing_to_compare(new, recorded, args.json)
    comparison = compare(old, new)
    print(json.dumps(comparison_as_dict(comparison), indent=2, ensure_ascii=False) if args.json else render_comparison(comparison))
    return 1 if comparison.findings else 0


def run_history(args: argparse.Namespace) -> int:
    entries = history(_recorded())
    if args.json:
        print(json.dumps([entry.as_dict() for entry in entries], indent=2, ensure_ascii=False))
        return 0
    if not entries:
        print(f"Nothing recorded yet: the audit trail at {_database()} holds no policy (the Rasa server records the policy when it starts).")
        return 0
    print("Policies the audit trail has run, oldest first:")
    print(f"{'version':>7}  {'sha256':<{SHA_PREFIX}}  {'first recorded':<20}  {'record':>6}  changelog")
    for entry in entries:
        print(f"{entry.version:>7}  {entry.sha256[:SHA_PREFIX]:<{SHA_PREFIX}}  {format_time(entry.first_recorded_at):<20}  {entry.seq:>6}  {_summary(entry)}")
    for version in sorted({entry.version for entry in entries if entry.edited_without_bump}):
        records = ", ".join(str(seq) for entry in entries if entry.version == version for seq in entry.seqs)
        contents = sum(1 for entry in entries if entry.version == version)
        print(f"WARNING: version {version} was changed without a version bump: it ran with {contents} different contents (records {records}).")
    return 0


def run_check(args: argparse.Namespace) -> int:
    name = display_path(settings.POLICY_FILE)
    try:
        current = current_snapshot()
    except PolicyError as error:
        print(f"candor policy check: {_one_line(error)}", file=sys.stderr)
        return 1
    result = check_against_trail(current, _recorded(), name)
    if not result.passed:
        print(f"candor policy check: {result.message}", file=sys.stderr)
        return 1
    print(result.message)
    return 0


def _recorded() -> List[PolicySnapshot]:
    """The policies in the audit trail; no table yet means nothing recorded, no database is an error."""
    url = settings.database_url()
    if _missing_sqlite_file(url):
        raise CommandError(
            f"there is no database at {_database()}: set CANDOR_DATABASE_URL to the assistant's database "
            "(the Rasa server records the policy there when it starts)"
        )
    try:
        engine = cached_engine(url)
        if not inspect(engine).has_table(AuditRecord.__tablename__):
            return []
        with open_session(engine) as session:
            return recorded_policies(session)
    except SQLAlchemyError as error:
        raise CommandError(f"cannot read the audit trail from {_database()}: {str(error).splitlines()[0]} (check CANDOR_DATABASE_URL)") from None
    except ValueError as error:  # a record whose body is not the JSON a policy record holds
        raise CommandError(f"the audit trail at {_database()} holds a policy record that cannot be read: {_one_line(error)}") from None


def _resolve(spec: str, recorded: Sequence[PolicySnapshot]) -> PolicySnapshot:
    try:
        return resolve(spec, recorded)
    except (VersionSpecError, PolicyError) as error:
        raise CommandError(_one_line(error)) from None


def _nothing_to_compare(new: PolicySnapshot, recorded: Sequence[PolicySnapshot], as_json: bool) -> int:
    if not recorded:
        reason = (
            f"nothing to compare: the audit trail at {_database()} has no policy recorded yet "
            "(the Rasa server records the policy when it starts); name the old policy, e.g. `candor policy diff old-policy.yml`"
        )
    else:
        reason = f"nothing to compare: every policy the audit trail recorded before {new.describe()} has the same contents"
    print(json.dumps({"compared": False, "reason": reason}, indent=2) if as_json else reason)
    return 0


def _summary(entry: HistoryEntry) -> str:
    changes = [" ".join(str(change).split()) for change in (entry.changelog or {}).get("changes") or []]
    if not changes:
        return "(no changelog entry for this version)"
    first = changes[0] if len(changes[0]) <= SUMMARY_WIDTH else changes[0][: SUMMARY_WIDTH - 1].rstrip() + "…"
    return first + (f" (+{len(changes) - 1} more)" if len(changes) > 1 else "")


def _missing_sqlite_file(url: str) -> bool:
    try:
        parsed = make_url(url)
    except ArgumentError:
        return False  # reported when the engine is made, with SQLAlchemy's reason
    database = parsed.database
    return (
        parsed.get_backend_name() == "sqlite"
        and bool(database)
        and database != ":memory:"
        and not str(database).startswith("file:")
        and not Path(str(database)).exists()
    )


def _database() -> str:
    """The database URL without its password, for messages."""
    url = settings.database_url()
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def _one_line(error: Exception) -> str:
    return " ".join(str(error).split())

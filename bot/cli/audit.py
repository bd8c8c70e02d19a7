"""`candor audit verify|show`: prove the audit trail is intact, and read what it recorded."""

from __future__ import annotations

import argparse
import json
from contextlib import contextmanager
from typing import Any, Dict, Iterator, List

from sqlalchemy import inspect, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from bot import settings
from bot.audit.chain import record_body, verify_chain
from bot.audit.pseudonyms import PREFIX, conversation_pseudonym
from bot.cli.dates import utc_moment
from bot.cli.errors import CommandError
from bot.store.audit import AuditRecord
from bot.store.database import cached_engine, open_session


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "audit",
        help="verify and read the audit trail",
        description="The audit trail: one hash-chained record per turn, holding decisions, never what anyone wrote.",
    )
    actions = parser.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    verify = actions.add_parser(
        "verify",
        help="recompute every hash; exit 1 if any record was edited, removed or reordered",
        description="Recompute the chain's hashes and links. Exit 0 if intact, 1 if broken (naming each broken record).",
    )
    verify.set_defaults(run=run_verify)
    show = actions.add_parser("show", help="print audit records", description="Print audit records, oldest first.")
    show.add_argument("--conversation", metavar="ID", help="only this conversation's records (its id, or its pseudonym in the trail)")
    show.add_argument("--since", metavar="DATE", help="only records from this date (2026-11-27) or time (UTC) on")
    show.add_argument("--limit", type=int, default=50, help="at most this many records, the latest ones (default 50)")
    show.add_argument("--json", action="store_true", help="print JSON lines, one record per line")
    show.set_defaults(run=run_show)


def run_verify(args: argparse.Namespace) -> int:
    with _session() as session:
        report = verify_chain(session)
    if report.intact:
        print(f"The audit trail is intact: {report.records} record(s), every hash and link checks out.")
        return 0
    print(f"The audit trail is BROKEN: {len(report.problems)} problem(s) in {report.records} record(s).")
    for problem in report.problems:
        print(f"  - {problem}")
    return 1


def run_show(args: argparse.Namespace) -> int:
    if args.limit < 1:
        raise CommandError("--limit must be at least 1")
    query = select(AuditRecord).order_by(AuditRecord.seq.desc()).limit(args.limit)
    if args.conversation:
        named = args.conversation if args.conversation.startswith(PREFIX) else conversation_pseudonym(args.conversation)
        query = query.where(AuditRecord.conversation_id == named)
    since = utc_moment(args.since, "--since")
    if since:
        query = query.where(AuditRecord.recorded_at >= since)
    with _session() as session:
        rows = [_row(record) for record in reversed(list(session.execute(query).scalars()))]
    if args.json:
        for row in rows:
            print(json.dumps(row))
        return 0
    if not rows:
        print("No audit records match.")
        return 0
    for row in rows:
        print(_line(row))
    return 0


def _row(record: AuditRecord) -> Dict[str, Any]:
    return {
        "seq": record.seq,
        "kind": record.kind,
        "conversation_id": record.conversation_id,
        "recorded_at": record.recorded_at.isoformat(),
        "policy_version": record.policy_version,
        "hash": record.hash,
        "body": record_body(record),
    }


def _line(row: Dict[str, Any]) -> str:
    body = row["body"]
    head = f"#{row['seq']:<5} {row['recorded_at'][:19]}  {row['hash'][:12]}  policy v{row['policy_version']}"
    if row["kind"] != "turn":
        return f"{head}  {row['kind']} version {body.get('version')} ({body.get('sha256', '')[:12]})"
    understood = body.get("understood") or {}
    said = f"{understood.get('intent')} {understood.get('confidence'):.2f}" if understood.get("intent") else "(no customer message)"
    steps: List[str] = [f"{step['action']}<{step.get('policy') or '-'}>" for step in body.get("steps", [])]
    return f"{head}  {row['conversation_id']}  {said}  -> {', '.join(steps) or '(nothing)'}"


@contextmanager
def _session() -> Iterator[Session]:
    """The Candor store, or a one-line reason why its audit trail cannot be read."""
    engine = cached_engine(settings.database_url())
    try:
        exists = inspect(engine).has_table(AuditRecord.__tablename__)
    except SQLAlchemyError as error:
        raise CommandError(f"cannot open {settings.database_url()}: {str(error).splitlines()[0]}") from None
    if not exists:
        raise CommandError(f"no audit trail in {settings.database_url()} yet: it is created when the Rasa server first starts")
    with open_session(engine) as session:
        yield session

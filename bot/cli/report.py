"""`candor report`: the accountability report for a period, as one HTML file a manager can open offline."""

from __future__ import annotations

import argparse
import os
import time
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Optional

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError, ProgrammingError, SQLAlchemyError

from bot import settings
from bot.audit.report_bench import bench_section
from bot.audit.report_counts import gather
from bot.audit.report_data import Period
from bot.audit.report_fairness import FairnessFileError, FairnessSection, latest_document, read_figures
from bot.audit.report_html import render_html
from bot.cli.errors import CommandError
from bot.store.database import open_session


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "report",
        help="write the accountability report for a period as one HTML file",
        description="Count what the assistant decided in a period (conversations, handoffs and their reasons, "
        "fallbacks, distress, consent, explanations, feedback, notice and policy versions) from the audit trail "
        "at $CANDOR_DATABASE_URL, and write one self-contained HTML file in which every number links to the "
        "audit records it was counted from. Days are UTC; both ends are included. It also shows the fairness figures of "
        "the newest `candor eval-fairness --json` file under var/ (or --fairness FILE).",
    )
    parser.add_argument("--since", required=True, metavar="DATE", help="first day of the period, as YYYY-MM-DD")
    parser.add_argument("--until", metavar="DATE", help="last day of the period, as YYYY-MM-DD (default: today)")
    parser.add_argument("--out", required=True, type=Path, metavar="FILE", help="where to write the report, e.g. report.html")
    parser.add_argument(
        "--fairness", type=Path, metavar="FILE",
        help="the `candor eval-fairness --json` figures to show (default: the newest such file under var/)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    began = time.perf_counter()
    now = datetime.now(timezone.utc)
    period = _period(args.since, args.until, today=now.date())
    out = _writable(args.out)
    fairness = _fairness(args.fairness)
    url = settings.database_url()
    _require_existing_database(url)
    try:
        with open_session(url) as session:
            data = gather(session, period, generated_at=now)
    except (OperationalError, ProgrammingError) as error:
        if "audit_records" in str(error):
            raise CommandError(
                f"the database at {_shown(url)} has no audit trail (run `candor db init` to add the table, "
                "or set CANDOR_DATABASE_URL to the database the assistant writes to)"
            ) from None
        raise CommandError(f"cannot read the audit trail from {_shown(url)}: {_first_line(error)}") from None
    except SQLAlchemyError as error:
        raise CommandError(f"cannot read the audit trail from {_shown(url)}: {_first_line(error)}") from None
    html = render_html(data, fairness, bench_section(settings.VAR_DIR))
    try:
        out.write_text(html, encoding="utf-8")
    except OSError as error:
        raise CommandError(f"cannot write {out}: {error.strerror or error} (choose another --out path)") from None
    size_kb = len(html.encode("utf-8")) / 1000
    print(f"Wrote {out} ({size_kb:,.1f} kB) in {time.perf_counter() - began:.2f} s")
    return 0


def _fairness(given: Optional[Path]) -> FairnessSection:
    """The fairness figures to show: the file given, or else the newest `eval-fairness --json` under var/.

    A file given that cannot be read stops the command; one merely found is reported in the page
    instead, so a stray file never keeps a manager from the rest of the report.
    """
    current = _current_model_name()
    if given is not None:
        try:
            return FairnessSection(given, read_figures(given), current_model=current)
        except FairnessFileError as error:
            raise CommandError(f"--fairness: {error}") from None
    found = latest_document(settings.VAR_DIR)
    if found is None:
        return FairnessSection(None)
    try:
        return FairnessSection(found, read_figures(found), current_model=current)
    except FairnessFileError as error:
        return FairnessSection(found, problem=str(error))


def _current_model_name() -> Optional[str]:
    """The model archive for the training data as it is now (whether trained or not)."""
    from bot import model

    try:
        return model.model_path().name
    except OSError:
        return None


def _period(since: str, until: Optional[str], today: date) -> Period:
    first = _date("--since", since)
    last = _date("--until", until) if until is not None else today
    if last < first:
        raise CommandError(f"--until {last} is before --since {first}: give an end date on or after the start date")
    return Period(first, last)


def _date(option: str, text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise CommandError(f"{option} {text!r} is not a date: write it as YYYY-MM-DD, e.g. 2026-11-27") from None


def _writable(out: Path) -> Path:
    """Refuse a path the report could not be written to, before spending time building it."""
    folder = out.parent if str(out.parent) else Path(".")
    if out.is_dir():
        raise CommandError(f"--out {out} is a folder: give a file name, e.g. {out / 'report.html'}")
    if not folder.is_dir():
        raise CommandError(f"cannot write {out}: the folder {folder} does not exist (create it or choose another --out)")
    if not os.access(folder, os.W_OK) or (out.exists() and not os.access(out, os.W_OK)):
        raise CommandError(f"cannot write {out}: permission denied (choose another --out path)")
    return out


def _require_existing_database(url: str) -> None:
    """Opening a missing SQLite file would create an empty one: say it is missing instead."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise CommandError(f"CANDOR_DATABASE_URL {url!r} is not a database URL: write it like sqlite:///var/candor.db") from None
    database = parsed.database
    if parsed.get_backend_name() == "sqlite" and database and database != ":memory:" and not database.startswith("file:"):
        if not Path(database).is_file():
            raise CommandError(
                f"no database at {database}: set CANDOR_DATABASE_URL to the database the assistant writes to, "
                "or run `candor db init` to create one"
            )


def _shown(url: str) -> str:
    """The URL without its password, fit for a message."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def _first_line(error: Exception) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else error.__class__.__name__

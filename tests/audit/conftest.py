"""What the report's tests share: an empty report to render sections into."""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from bot.audit.report_counts import gather
from bot.audit.report_data import Period, ReportData
from bot.store.database import create_schema, make_engine, open_session


@pytest.fixture
def empty_report(tmp_path: Path) -> ReportData:
    """The report of a shop with no conversations yet, for a week in December."""
    engine = make_engine(f"sqlite:///{tmp_path / 'candor.db'}")
    create_schema(engine)
    with open_session(engine) as session:
        return gather(session, Period(date(2026, 12, 1), date(2026, 12, 6)), datetime(2026, 12, 7, tzinfo=timezone.utc))

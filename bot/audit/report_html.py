"""The accountability report as one HTML file a manager can open anywhere, offline.

Everything it needs is inside it: styles inline, charts as inline SVG, no script, no font or image
to fetch. Jinja2 escapes every value, so nothing read from the trail can turn into markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone
from itertools import groupby
from pathlib import Path
from typing import Dict, List, Optional, Sequence

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from bot.audit.report_data import AuditEntry, DayCount, ReportData
from bot.audit.report_charts import Chart, bar_chart, daily_chart
from bot.audit.report_bench import BenchSection
from bot.audit.report_fairness import FairnessSection

TEMPLATES = Path(__file__).parent / "templates"
TEMPLATE = "report.html.j2"
SHORT_HASH = 12
# Longer periods are charted from the first day with records to the last.
MAX_CHART_DAYS = 366


@dataclass(frozen=True)
class AppendixDay:
    """The appendix's records of one day, under a heading row that daily counts link to."""

    day: date
    entries: List[AuditEntry]

    @property
    def anchor(self) -> str:
        return f"day-{self.day.isoformat()}"


def render_html(data: ReportData, fairness: Optional[FairnessSection] = None, bench: Optional[BenchSection] = None) -> str:
    """The whole report, as text ready to write to a file; `fairness` is what `candor eval-fairness`
    measured, `bench` what `candor bench` did."""
    return _environment().get_template(TEMPLATE).render(
        data=data,
        fairness=fairness or FairnessSection(source=None),
        bench=bench or BenchSection(),
        charts=charts_of(data),
        appendix=appendix_days(data.entries),
        active_days=[day for day in data.per_day if day.turns],
        short_hash_length=SHORT_HASH,
    )


def charts_of(data: ReportData) -> Dict[str, Chart]:
    """The charts there is something to draw for, by key; an empty measure gets a sentence instead."""
    charts: Dict[str, Chart] = {}
    if data.turns.count:
        days = _days_to_chart(data.per_day)
        charts["daily"] = daily_chart(
            "chart-daily",
            "Conversations and turns per day",
            [day.day for day in days],
            [day.conversations for day in days],
            [day.turns for day in days],
        )
    for key, title, groups, unit in (
        ("handoff-reasons", "Handoff requests by reason", data.handoff_reasons, "handoff requests"),
        ("distress", "Distress detections by category", data.distress, "detections"),
    ):
        if groups:
            charts[key] = bar_chart(f"chart-{key}", title, [group.group or group.title for group in groups], [group.count for group in groups], unit)
    consent = [data.consent_granted, data.consent_refused, data.consent_withdrawn]
    if any(evidence.count for evidence in consent):
        charts["consent"] = bar_chart(
            "chart-consent", "Consent decisions", ["granted", "refused", "withdrawn"], [evidence.count for evidence in consent], "decisions"
        )
    return {key: Chart(chart.key, chart.title, chart.description, Markup(chart.svg)) for key, chart in charts.items()}


def _days_to_chart(days: Sequence[DayCount]) -> Sequence[DayCount]:
    """The whole period, unless it is long and mostly before or after the trail: then the days
    from the first record to the last, so the chart is not thousands of empty days."""
    if len(days) <= MAX_CHART_DAYS:
        return days
    active = [index for index, day in enumerate(days) if day.turns]
    return days[active[0] : active[-1] + 1]


def appendix_days(entries: Sequence[AuditEntry]) -> List[AppendixDay]:
    ordered = sorted(entries, key=lambda entry: entry.seq)
    return [AppendixDay(day, list(group)) for day, group in groupby(ordered, key=lambda entry: entry.recorded_at.date())]


def _environment() -> Environment:
    environment = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters.update(
        number=lambda value: f"{value:,}",
        percent=_percent,
        points=lambda value: "n/a" if value is None else f"{value:.1f}",
        duration=_duration,
        moment=_moment,
        day=_day,
        short_hash=lambda value: value[:SHORT_HASH],
        confidence=lambda value: "—" if value is None else f"{value:.2f}",
        times=lambda value: "—" if value is None else f"{value:.2f}×",
    )
    return environment


def _percent(share: Optional[float]) -> str:
    return "n/a" if share is None else f"{share:.1%}"


def _duration(seconds: Optional[float]) -> str:
    """A length of time as a manager would say it: "4 min 10 s", "2 h 05 min"."""
    if seconds is None:
        return "n/a"
    whole = int(round(seconds))
    if whole < 60:
        return f"{whole} s"
    if whole < 3600:
        return f"{whole // 60} min {whole % 60:02d} s"
    return f"{whole // 3600} h {whole % 3600 // 60:02d} min"


def _moment(moment: datetime, zone: bool = True) -> str:
    """A UTC time to the second; without " UTC" where a column heading already says so."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S" + (" UTC" if zone else ""))


def _day(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"

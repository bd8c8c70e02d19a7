"""Charts for the accountability report, as inline SVG: nothing beside the file, nothing fetched.

Each chart carries a <title> and a <desc> that states its numbers, so a screen reader hears what a
sighted reader sees; the report also prints the same numbers in a table next to every chart. Text
stays text (not outlines), in the reader's own sans-serif font, so it is small, sharp and findable.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date
from html import escape
from typing import Sequence

import matplotlib

matplotlib.use("Agg")  # reports are built on servers and in CI, where there is no display

from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, DateFormatter, DayLocator, date2num  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

# Dark fills on white: at least 7:1 contrast, so the bars are clear to readers with low vision.
FIRST_COLOUR = "#1f4e79"
SECOND_COLOUR = "#7a3410"
TEXT_COLOUR = "#1a1a1a"
WIDTH_INCHES = 7.0
# Up to this many days the daily chart labels every day.
SHORT_PERIOD_DAYS = 10

STYLE = {
    "svg.fonttype": "none",
    "font.family": "sans-serif",
    "font.size": 10,
    "text.color": TEXT_COLOUR,
    "axes.labelcolor": TEXT_COLOUR,
    "axes.edgecolor": "#595959",
    "xtick.color": TEXT_COLOUR,
    "ytick.color": TEXT_COLOUR,
    "axes.spines.top": False,
    "axes.spines.right": False,
}


@dataclass(frozen=True)
class Chart:
    """An inline SVG and the words that stand in for it."""

    key: str
    title: str
    description: str
    svg: str


def bar_chart(key: str, title: str, labels: Sequence[str], values: Sequence[int], unit: str) -> Chart:
    """Horizontal bars, largest at the top, each with its number written at its end."""
    description = "; ".join(f"{label}: {value} {unit}" for label, value in zip(labels, values)) + "."
    figure = Figure(figsize=(WIDTH_INCHES, 0.9 + 0.42 * max(len(labels), 1)))
    with matplotlib.rc_context(STYLE):
        axes = figure.add_subplot()
        bars = axes.barh([_plain(label) for label in labels][::-1], list(values)[::-1], color=FIRST_COLOUR)
        axes.bar_label(bars, padding=3)
        axes.set_xlabel(unit)
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        axes.set_xlim(0, max(list(values) + [1]) * 1.12)
        figure.tight_layout()
        return Chart(key, title, description, _inline_svg(figure, key, title, description))


def daily_chart(key: str, title: str, days: Sequence[date], conversations: Sequence[int], turns: Sequence[int]) -> Chart:
    """Conversations and turns per day, one panel each, as their scales differ tenfold."""
    busy = [(day, started, count) for day, started, count in zip(days, conversations, turns) if count]
    description = (
        f"{sum(conversations)} conversations and {sum(turns)} turns over {len(days)} days. "
        + "; ".join(f"{day.isoformat()}: {started} conversations, {count} turns" for day, started, count in busy)
        + "."
    )
    figure = Figure(figsize=(WIDTH_INCHES, 4.2))
    with matplotlib.rc_context(STYLE):
        upper, lower = figure.subplots(2, 1, sharex=True)
        for axes, values, colour, label in (
            (upper, conversations, FIRST_COLOUR, "conversations"),
            (lower, turns, SECOND_COLOUR, "turns"),
        ):
            axes.bar(list(days), list(values), color=colour, width=0.8)
            axes.set_ylabel(label)
            axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        # The period's own days, edge to edge, so no tick falls on a day outside it.
        lower.set_xlim(date2num(days[0]) - 0.6, date2num(days[-1]) + 0.6)
        if len(days) <= SHORT_PERIOD_DAYS:  # a tick per day, not hours of a day
            lower.xaxis.set_major_locator(DayLocator())
            lower.xaxis.set_major_formatter(DateFormatter("%d %b"))
        else:
            locator = AutoDateLocator(maxticks=10)
            lower.xaxis.set_major_locator(locator)
            lower.xaxis.set_major_formatter(ConciseDateFormatter(locator))
        figure.tight_layout()
        return Chart(key, title, description, _inline_svg(figure, key, title, description))


def _plain(label: str) -> str:
    """Matplotlib reads $...$ as mathematics; a label is shown as written."""
    return label.replace("$", r"\$")


def _inline_svg(figure: Figure, key: str, title: str, description: str) -> str:
    """The figure as an <svg> element fit for an HTML page: labelled, scalable, ids unique to it."""
    buffer = io.StringIO()
    with matplotlib.rc_context({**STYLE, "svg.hashsalt": key}):
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None, "Format": None, "Type": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    # HTML knows SVG's namespaces; leaving them out keeps the page free of any URL at all.
    svg = re.sub(r'\s+xmlns(:xlink)?="[^"]*"', "", svg)
    svg = svg.replace("xlink:href=", "href=")
    # Matplotlib's stylesheet uses a `*` selector, which inline would reach the whole page.
    svg = re.sub(r"\s*<style[^>]*>.*?</style>", "", svg, flags=re.DOTALL)
    # Several charts share one page, so every id (and every reference to one) is made the chart's own.
    svg = re.sub(r'\bid="([^"]+)"', rf'id="{key}-\1"', svg)
    svg = re.sub(r'href="#([^"]+)"', rf'href="#{key}-\1"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", rf"url(#{key}-\1)", svg)
    # Scale with the page: the viewBox keeps the proportions.
    svg = re.sub(r'<svg\s+([^>]*?)width="[^"]*"\s+height="[^"]*"', r"<svg \1", svg, count=1)
    opening_end = svg.index(">") + 1
    labelled = (
        f'<svg class="chart" role="img" aria-labelledby="{key}-title {key}-desc" '
        'style="stroke-linejoin: round; stroke-linecap: butt" '
        + svg[len("<svg ") : opening_end].lstrip()
        + f'<title id="{key}-title">{escape(title)}</title><desc id="{key}-desc">{escape(description)}</desc>'
    )
    return labelled + svg[opening_end:]

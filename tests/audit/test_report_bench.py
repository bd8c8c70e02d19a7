"""The report shows what `candor bench` measured last: Candor next to the same model without its layers."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict

from bot.audit.report_bench import BenchSection, bench_section, latest_bench
from bot.audit.report_data import ReportData
from bot.audit.report_html import render_html
from tests.audit.files import write


def figures(p50: float) -> Dict[str, float]:
    return {"count": 10, "throughput": 2.5, "p50_ms": p50, "p95_ms": p50 * 2, "p99_ms": p50 * 3}


def bench_document(started_at: str = "2026-12-07T19:00:00+00:00", workload: str = "load") -> Dict[str, Any]:
    return {
        "kind": "candor-bench", "workload": workload, "started_at": started_at, "customers": 10,
        "configurations": {
            "candor": {"errors": 1, "kinds": {"order": figures(800.0)}, "overall": figures(700.0)},
            "baseline": {"errors": 0, "kinds": {"order": figures(400.0)}, "overall": figures(350.0)},
        },
        "candor_over_baseline": {
            "order": {"per_second": 1.0, "p50": 2.0, "p95": 2.0, "p99": 2.0},
            "all": {"per_second": 1.0, "p50": 2.0, "p95": 2.0, "p99": 2.0},
        },
    }


def section_of(html: str) -> str:
    return html[html.index('id="bench"') : html.index('id="consent"')]


def test_the_newest_load_run_is_found_by_what_it_says_not_its_name(tmp_path: Path) -> None:
    write(tmp_path / "bench" / "old.json", bench_document("2026-12-01T10:00:00+00:00"))
    newest = write(tmp_path / "elsewhere" / "a.json", bench_document("2026-12-07T10:00:00+00:00"))
    write(tmp_path / "bench" / "growth.json", bench_document("2026-12-08T10:00:00+00:00", workload="growth"))
    write(tmp_path / "bench" / "other.json", {"kind": "candor-fairness-audit", "started_at": "2027"})

    assert latest_bench(tmp_path) == newest


def test_each_kind_is_shown_with_candor_the_baseline_and_the_ratio(empty_report: ReportData, tmp_path: Path) -> None:
    write(tmp_path / "bench" / "run.json", bench_document())

    html = section_of(render_html(empty_report, bench=bench_section(tmp_path)))

    assert '<th scope="row">order</th><td class="num">2.50</td><td class="num">800</td>' in html
    assert '<th scope="row">all</th>' in html and "2.00×" in html
    assert "candor 1, baseline 0" in html


def test_a_broken_result_is_named_and_does_not_stop_the_report(empty_report: ReportData, tmp_path: Path) -> None:
    broken = bench_document()
    del broken["configurations"]["candor"]["overall"]
    write(tmp_path / "bench" / "run.json", broken)

    html = section_of(render_html(empty_report, bench=bench_section(tmp_path)))

    assert "could not be read" in html and "run.json" in html


def test_without_a_run_the_section_says_how_to_make_one(empty_report: ReportData, tmp_path: Path) -> None:
    assert bench_section(tmp_path / "nothing-here") == BenchSection()
    assert "Run <code>candor bench --baseline</code>" in section_of(render_html(empty_report))

"""The report's fairness section: the per-group figures of the last `candor eval-fairness` run, saying
which model they describe, and never blocking the rest of the report."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator, List

import pytest

from bot import settings
from bot.audit.report_data import ReportData
from bot.audit.report_fairness import (
    FairnessFigures,
    FairnessFileError,
    FairnessSection,
    Limits,
    NameGroup,
    WritingGroup,
    latest_document,
    read_figures,
)
from bot.audit.report_html import render_html
from bot.cli import main
from bot.store.database import create_schema, make_engine
from tests.audit.files import write

MODEL = "candor-0123456789abcdef.tar.gz"


def figures(measured_at: datetime = datetime(2026, 12, 6, 21, 30, tzinfo=timezone.utc), scottish_understood: int = 27) -> FairnessFigures:
    return FairnessFigures(
        measured_at=measured_at,
        model=MODEL,
        policy_version=5,
        data={"data/fairness/requests.csv": "0123456789abcdef"},
        limits=Limits(5, 5, 5),
        writing=(WritingGroup("standard", 30, 29, 0), WritingGroup("scottish", 30, scottish_understood, 2)),
        names=(NameGroup("english", 16, 320, 320, 96, 90, 88), NameGroup("vietnamese", 16, 320, 288, 96, 90, 85)),
    )


def fairness_section(html: str) -> str:
    return html[html.index('id="fairness"') : html.index('id="consent"')]


def test_each_audit_is_a_table_of_every_group_with_its_gap(empty_report: ReportData, tmp_path: Path):
    source = write(tmp_path / "fairness.json", figures().to_json())
    section = fairness_section(render_html(empty_report, FairnessSection(source, read_figures(source), current_model=MODEL)))

    assert section.count("<table>") == 3
    assert '<tr><th scope="row">scottish</th><td class="num">90.0%</td><td class="num">27</td><td class="num">2</td>' in section
    assert "a gap of 6.7 points between the best and the worst (allowed: 5)" in section
    assert '<th scope="row">vietnamese</th><td class="num">90.0%</td><td class="num">10.0</td>' in section, "10 points below the best"
    assert '<th scope="row">vietnamese</th><td class="num">93.8%</td><td class="num">88.5%</td>' in section, "flagged, right category"
    assert MODEL in section and "2026-12-06 21:30:00 UTC" in section


def test_a_failed_gate_names_each_gap_past_its_limit(empty_report: ReportData, tmp_path: Path):
    source = write(tmp_path / "fairness.json", figures().to_json())
    section = fairness_section(render_html(empty_report, FairnessSection(source, read_figures(source), current_model=MODEL)))

    assert "Gate failed." in section
    assert "<li>intent accuracy: scottish 0.900 is 6.7 points below standard 0.967 (allowed: 5)</li>" in section
    assert "<li>redaction recall: vietnamese 0.900 is 10.0 points below english 1.000 (allowed: 5)</li>" in section


def test_a_passed_gate_says_what_was_allowed(empty_report: ReportData, tmp_path: Path):
    passing = FairnessFigures(**{**vars(figures(scottish_understood=29)), "names": figures().names[:1]})
    section = fairness_section(render_html(empty_report, FairnessSection(tmp_path / "f.json", passing, current_model=MODEL)))

    assert "Gate passed." in section and "5 points of intent accuracy" in section


def test_figures_of_another_model_than_the_current_one_are_flagged(empty_report: ReportData, tmp_path: Path):
    stale = FairnessSection(tmp_path / "f.json", figures(), current_model="candor-fedcba9876543210.tar.gz")
    current = FairnessSection(tmp_path / "f.json", figures(), current_model=MODEL)

    assert "is not the model for the current training data" in fairness_section(render_html(empty_report, stale))
    assert "is not the model for the current training data" not in fairness_section(render_html(empty_report, current))


def test_without_an_audit_the_section_says_how_to_make_one(empty_report: ReportData):
    section = fairness_section(render_html(empty_report))

    assert "No fairness audit was found" in section and "candor eval-fairness --json var/results/fairness.json" in section
    assert "<table>" not in section


def test_the_newest_audit_under_var_is_found_by_what_it_says_not_its_name(tmp_path: Path):
    write(tmp_path / "results" / "older.json", figures(datetime(2026, 12, 1, tzinfo=timezone.utc)).to_json())
    newest = write(tmp_path / "mine" / "anything.json", figures(datetime(2026, 12, 5, tzinfo=timezone.utc)).to_json())
    write(tmp_path / "results" / "story_report.json", {"measured_at": "2027-01-01", "accuracy": 1.0})
    (tmp_path / "results" / "broken.json").write_text("{not json", encoding="utf-8")

    assert latest_document(tmp_path) == newest
    assert latest_document(tmp_path / "nowhere") is None


@pytest.mark.parametrize(
    "content, reason",
    [
        ("{not json", "is not JSON"),
        ('{"accuracy": 1.0}', "is not a fairness audit"),
        (json.dumps({**figures().to_json(), "writing": [{"group": "standard", "requests": 30}]}), "cannot read (KeyError"),
        (json.dumps({**figures().to_json(), "writing": [{**figures().to_json()["writing"][0], "understood": "29"}]}), "must be a count"),
    ],
    ids=["not JSON", "another kind of JSON", "a missing count", "a count that is text"],
)
def test_a_document_that_is_not_a_readable_audit_is_refused_with_a_reason(tmp_path: Path, content: str, reason: str):
    path = tmp_path / "fairness.json"
    path.write_text(content, encoding="utf-8")

    with pytest.raises(FairnessFileError, match=reason.replace("(", r"\(")):
        read_figures(path)


# --- The command ------------------------------------------------------------------------------------


@pytest.fixture
def var_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An audit trail database and a var/ folder of the test's own."""
    url = f"sqlite:///{tmp_path / 'candor.db'}"
    create_schema(make_engine(url))
    monkeypatch.setenv("CANDOR_DATABASE_URL", url)
    monkeypatch.setattr(settings, "VAR_DIR", tmp_path / "var")
    yield tmp_path / "var"


def report(tmp_path: Path, *extra: str) -> List[str]:
    return ["report", "--since", "2026-12-01", "--until", "2026-12-06", "--out", str(tmp_path / "report.html"), *extra]


def test_the_command_shows_the_newest_audit_under_var(var_dir: Path, tmp_path: Path):
    write(var_dir / "results" / "fairness.json", figures().to_json())

    assert main(report(tmp_path)) == 0

    section = fairness_section((tmp_path / "report.html").read_text(encoding="utf-8"))
    assert '<th scope="row">scottish</th>' in section and "results/fairness.json" in section


def test_a_broken_audit_found_under_var_is_named_in_the_report_and_does_not_stop_it(var_dir: Path, tmp_path: Path):
    write(var_dir / "fairness.json", {**figures().to_json(), "names": "none"})

    assert main(report(tmp_path)) == 0

    assert "could not be read" in fairness_section((tmp_path / "report.html").read_text(encoding="utf-8"))


def test_an_unreadable_audit_given_is_refused_in_one_line(var_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture):
    given = tmp_path / "missing.json"

    assert main(report(tmp_path, "--fairness", str(given))) == 2

    error = capsys.readouterr().err
    assert error == f"candor report: --fairness: cannot read {given}: No such file or directory\n"
    assert not (tmp_path / "report.html").exists()

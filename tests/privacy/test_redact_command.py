"""`candor redact` for transcripts, and `candor eval-redaction` for measuring it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from bot.cli.redact import evaluate, read_labelled_texts
from bot.privacy.redaction import Redactor


def candor(*arguments: str, stdin: bytes = b"") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *arguments],
        input=stdin,
        capture_output=True,
        env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"},
        timeout=180,
    )


def test_a_transcript_comes_out_redacted_line_by_line() -> None:
    transcript = (
        "customer: hi, my email is ada.thornbury@example.com\n"
        "assistant: Thanks. Which order?\n"
        "customer: 104502, please send it to 14 Harbour Row, Fernbay FB2 7QD\n"
    )

    result = candor("redact", stdin=transcript.encode())

    assert result.returncode == 0, result.stderr
    assert result.stdout.decode() == (
        "customer: hi, my email is <EMAIL_ADDRESS>\n"
        "assistant: Thanks. Which order?\n"
        "customer: 104502, please send it to <STREET_ADDRESS>\n"
    )


def test_redact_explains_itself() -> None:
    result = candor("redact", "--help")

    assert result.returncode == 0
    assert b"standard input" in result.stdout


def test_text_that_is_not_utf8_is_refused_with_one_line() -> None:
    result = candor("redact", stdin="café at 14 Mill Lane".encode("latin-1"))

    assert result.returncode == 2
    assert result.stdout == b""
    assert result.stderr.decode().strip().count("\n") == 0
    assert "not UTF-8" in result.stderr.decode()


LABELLED = [
    {
        "full_text": "My email is sam.roe@example.com and I live at 3 Mill Lane, Ashcombe.",
        "spans": [
            {"entity_type": "EMAIL_ADDRESS", "start_position": 12, "end_position": 31},
            {"entity_type": "STREET_ADDRESS", "start_position": 46, "end_position": 67},
        ],
    },
    {
        # Part of the span is replaced (the email in it), the rest survives: a miss, whatever the model.
        "full_text": "Leave it with ada@example.com at the back door, thanks.",
        "spans": [{"entity_type": "STREET_ADDRESS", "start_position": 14, "end_position": 46}],
    },
    {"full_text": "It was a lovely day in Ashcombe.", "spans": [{"entity_type": "GPE", "start_position": 23, "end_position": 31}]},
]


def write_labelled(tmp_path: Path) -> Path:
    path = tmp_path / "labelled.json"
    path.write_text(json.dumps(LABELLED))
    return path


def test_a_span_counts_as_caught_only_when_none_of_it_survives(tmp_path: Path, redactor: Redactor) -> None:
    report = evaluate(redactor, read_labelled_texts(write_labelled(tmp_path)), ["EMAIL_ADDRESS", "STREET_ADDRESS"])

    assert (report.by_type["EMAIL_ADDRESS"].spans, report.by_type["EMAIL_ADDRESS"].caught) == (1, 1)
    assert (report.by_type["STREET_ADDRESS"].spans, report.by_type["STREET_ADDRESS"].caught) == (2, 1)
    assert report.promised_score.recall == pytest.approx(2 / 3)
    assert report.by_type["GPE"].caught == 0
    assert len(report.latencies_ms) == 3


def test_eval_redaction_prints_recall_per_type_and_latency(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "report.json"

    status = main(["eval-redaction", "--data", str(write_labelled(tmp_path)), "--out", str(out)])

    printed = capsys.readouterr().out
    assert status == 0
    assert "EMAIL_ADDRESS" in printed and "overall" in printed
    assert "Labelled but not promised" in printed and "GPE" in printed
    assert "p50" in printed and "p95" in printed
    assert json.loads(out.read_text())["by_type"]["EMAIL_ADDRESS"]["recall"] == 1.0


@pytest.mark.parametrize(
    "content, reason",
    [
        (None, "no such file"),
        ("{not json", "not valid JSON"),
        ('{"full_text": "x"}', "non-empty list"),
        ('[{"full_text": "x"}]', "needs full_text and spans"),
    ],
)
def test_eval_redaction_refuses_bad_data_with_a_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture, content: str | None, reason: str
) -> None:
    path = tmp_path / "data.json"
    if content is not None:
        path.write_text(content)

    status = main(["eval-redaction", "--data", str(path)])

    assert status == 2
    assert reason in capsys.readouterr().err

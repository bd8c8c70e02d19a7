"""`candor eval-over-redaction`: what redaction takes that is not personal data, counted, never quoted."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Tuple

import pytest

from bot.cli.errors import CommandError
from bot.cli.over_redaction import format_report, measure, read_labelled_messages, run
from bot.privacy.redaction import Finding, RedactedText

HEADER = "text,intent,entity_type,entity_value,category,tags\n"


class ReplacesWords:
    """A redactor that replaces each word given, by the type given: a stand-in with known findings."""

    def __init__(self, *replaced: Tuple[str, str]) -> None:
        self.replaced = replaced

    def redact(self, text: str) -> RedactedText:
        findings = tuple(
            Finding(kind, text.index(word), text.index(word) + len(word), 1.0) for word, kind in self.replaced if word in text
        )
        return RedactedText(text, findings)


def messages(tmp_path: Path, rows: str) -> Path:
    path = tmp_path / "labelled.csv"
    path.write_text(HEADER + rows, encoding="utf-8")
    return path


def test_a_word_replaced_outside_a_personal_span_is_counted_with_its_kind(tmp_path: Path) -> None:
    data = read_labelled_messages(
        messages(tmp_path, "refund for Priya Shah please,refund,person_name,Priya Shah,,\nmy Premium account,account,account_type,Premium,,\n")
    )

    report = measure(ReplacesWords(("Priya Shah", "PERSON"), ("Premium", "PERSON")), data, ["person_name"])

    assert (report.messages, report.messages_losing_a_word) == (2, 1)
    assert report.lost_by_label == {"account_type": 1}
    assert report.lost_by_placeholder == {"PERSON": 1}
    assert report.lost_by_shape == {"capitalised word": 1}


def test_an_order_number_touched_is_counted_as_a_lost_reference(tmp_path: Path) -> None:
    data = read_labelled_messages(messages(tmp_path, "cancel order 113542617735902,cancel,order_id,113542617735902,,\n"))

    report = measure(ReplacesWords(("113542617735902", "CREDIT_CARD")), data, ["person_name"])

    assert (report.references, report.references_lost) == (1, 1)
    assert report.lost_by_shape == {"15-digit number": 1}


def test_the_report_gives_counts_and_never_a_message(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    path = messages(tmp_path, "where is the parcel for Wendeline Oakes,track,person_name,Wendeline Oakes,,\n")
    report = measure(ReplacesWords(("Wendeline Oakes", "PERSON"), ("parcel", "STREET_ADDRESS")), read_labelled_messages(path), ["person_name"])

    shown = format_report(report, path)

    assert "1 (100.00%)" in shown
    assert "where is the" not in shown and "Wendeline" not in shown


def test_a_file_without_the_labels_is_refused_with_a_reason(tmp_path: Path) -> None:
    path = tmp_path / "plain.csv"
    path.write_text("text\nhello\n", encoding="utf-8")

    with pytest.raises(CommandError, match="entity_type"):
        run(argparse.Namespace(data=path, personal=["person_name"], out=None))

"""`candor eval-distress` reports recall, precision, false positives and latency, and refuses bad input in one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import build_parser, main
from bot.cli.eval_distress import Prediction, goemotions_label, read_goemotions, read_labelled, score


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_the_command_explains_itself(capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(SystemExit) as exit_:
        build_parser().parse_args(["eval-distress", "--help"])

    assert exit_.value.code == 0
    assert "--goemotions" in capsys.readouterr().out


@pytest.mark.parametrize(
    "content, reason",
    [
        (None, "no such file"),
        ("message,intent\nhello,greet\n", "needs the columns label and text (missing: label, text)"),
        ("text,label\nI am sad,sadness\n", "unknown labels sadness"),
        ("text,label\n", "has no messages to evaluate"),
    ],
    ids=["missing file", "wrong columns", "unknown label", "no rows"],
)
def test_bad_input_ends_with_a_one_line_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture, content: str | None, reason: str
) -> None:
    path = tmp_path / "set.csv"
    if content is not None:
        write(path, content)

    status = main(["eval-distress", "--data", str(path)])

    error = capsys.readouterr().err
    assert status == 2
    assert reason in error and error.count("\n") == 1


def test_recall_precision_and_false_alarms_are_counted_per_category() -> None:
    gold = ["health", "health", "bereavement", "none", "none", "none", "none"]
    predicted = [Prediction("health"), Prediction("none"), Prediction("health"), Prediction("none"),
                 Prediction("health"), Prediction("none"), Prediction("none")]

    report = score(gold, predicted, latencies_ms=[1.0] * 7)

    assert (report.by_category["health"].recall, report.by_category["health"].precision) == (0.5, 1 / 3)
    assert (report.by_category["bereavement"].recall, report.by_category["bereavement"].precision) == (0.0, 0.0)
    assert report.by_category["bereavement"].n == 1
    assert (report.false_alarms.tier_one, report.false_alarms.tier_one_rate) == (1, 0.25)
    assert report.distress_noticed == 2 / 3


def test_self_harm_is_counted_with_tier_one_alone_and_with_both_tiers() -> None:
    gold = ["self_harm"] * 4 + ["bereavement", "none", "none", "none"]
    predicted = [
        Prediction("self_harm", 1), Prediction("self_harm", 1), Prediction("self_harm", 2), Prediction("none"),
        Prediction("self_harm", 2), Prediction("self_harm", 1), Prediction("self_harm", 2), Prediction("none"),
    ]

    report = score(gold, predicted, latencies_ms=[1.0] * 8)

    harm = report.self_harm
    assert (harm.recall_tier_one, harm.recall_both_tiers) == (0.5, 0.75)
    assert (harm.precision_tier_one, harm.precision_both_tiers) == (2 / 3, 3 / 6)
    assert report.by_category["bereavement"].asked == 1.0
    assert (report.false_alarms.tier_one, report.false_alarms.tier_two, report.false_alarms.none_examples) == (1, 1, 3)


@pytest.mark.parametrize(
    "emotions, label",
    [
        ({"grief"}, "bereavement"),
        ({"fear", "sadness"}, "emotional_distress"),
        ({"nervousness"}, "emotional_distress"),
        ({"neutral"}, "none"),
        ({"joy", "gratitude"}, "none"),
        ({"anger"}, None),
        ({"sadness", "neutral"}, None),
    ],
)
def test_goemotions_maps_grief_fear_and_nervousness_and_leaves_out_ambiguous_comments(emotions: set, label: str | None) -> None:
    assert goemotions_label(emotions) == label


def test_a_goemotions_file_is_read_with_the_label_names_beside_it(tmp_path: Path) -> None:
    write(tmp_path / "labels.txt", "anger\ngrief\nneutral\n")
    tsv = write(tmp_path / "dev.tsv", "so sorry for your loss\t1\ta1\nnice weather\t2\ta2\nugh\t0\ta3\n")

    assert read_goemotions(tsv) == [("so sorry for your loss", "bereavement"), ("nice weather", "none")]


def test_a_goemotions_file_without_labels_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    tsv = write(tmp_path / "dev.tsv", "hello\t0\ta1\n")

    assert main(["eval-distress", "--goemotions", "--data", str(tsv)]) == 2
    assert "labels.txt" in capsys.readouterr().err


def test_a_labelled_csv_is_read_as_text_and_label(tmp_path: Path) -> None:
    path = write(tmp_path / "set.csv", 'text,label\n"my dad died, sorry",bereavement\nwhere is it,none\n')

    assert read_labelled(path) == [("my dad died, sorry", "bereavement"), ("where is it", "none")]


def test_the_report_is_printed_and_written(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    data = write(
        tmp_path / "set.csv",
        "text,label\nI want to kill myself,self_harm\nwhere is my parcel,none\nI almost died laughing at your advert,none\n",
    )
    out = tmp_path / "report.json"

    status = main(["eval-distress", "--data", str(data), "--out", str(out)])

    printed = capsys.readouterr().out
    assert status == 0
    assert "self_harm (n 1): recall 1.000 with tier one alone, 1.000 with both tiers" in printed
    assert "false alarms, tier one 0.000 (0 of 2), tier-two question 0.000 (0 of 2)" in printed
    assert "p95" in printed
    report = json.loads(out.read_text())
    assert report["by_category"]["self_harm"] == {"recall": 1.0, "precision": 1.0, "n": 1, "asked": 0.0}
    assert report["self_harm"]["recall_tier_one"] == 1.0
    assert report["false_alarm_rates"] == {"tier_one": 0.0, "tier_two": 0.0}


def test_every_row_counts_as_ordinary_with_all_none(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    data = write(tmp_path / "requests.csv", "text,intent\nwhere is my order,track_order\ncancel it please,cancel_order\n")

    assert main(["eval-distress", "--all-none", "--data", str(data)]) == 0
    assert "tier one 0.000 (0 of 2), tier-two question 0.000 (0 of 2)" in capsys.readouterr().out

"""The `candor` command: every subcommand explains itself, and bad input ends with a one-line reason."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from bot.cli import build_parser, main
from bot.cli.eval_nlu import read_examples, score
from bot.cli.errors import CommandError
from bot.cli.serve import widget_origins
from bot.store.database import open_session
from bot.store.handoffs import request_handoff

SUBCOMMANDS = [
    ["train"], ["serve"], ["shell"], ["validate"], ["db", "init"], ["handoffs", "list"], ["eval-nlu"],
    ["data", "show"], ["data", "export"], ["data", "withdraw"], ["data", "erase"], ["purge"],
    ["audit", "verify"], ["audit", "show"], ["review", "list"], ["review", "label"], ["review", "export"],
    ["report"], ["test-conversations"], ["policy", "diff"], ["policy", "history"], ["policy", "check"], ["lint-responses"],
]


def candor(*arguments: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *arguments],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


@pytest.mark.parametrize("command", SUBCOMMANDS, ids=" ".join)
def test_every_subcommand_has_help(command: list[str], capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(SystemExit) as exit_:
        build_parser().parse_args([*command, "--help"])

    assert exit_.value.code == 0
    assert "usage: candor" in capsys.readouterr().out


def test_an_unknown_subcommand_is_refused() -> None:
    result = candor("frobnicate")

    assert result.returncode == 2
    assert "invalid choice" in result.stderr


def test_db_init_creates_and_seeds_a_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new' / 'shop.db'}"

    first = candor("db", "init", env={"CANDOR_DATABASE_URL": url})
    second = candor("db", "init", env={"CANDOR_DATABASE_URL": url})

    assert first.returncode == 0 and "customers" in first.stdout
    assert first.stdout.split(":", 1)[1] == second.stdout.split(":", 1)[1], "seeding twice changes nothing"


def test_db_init_on_an_unreachable_database_gives_a_reason() -> None:
    result = candor("db", "init", env={"CANDOR_DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"})

    assert result.returncode == 2
    assert result.stderr.startswith("candor db: cannot use the database")
    assert "Traceback" not in result.stderr


def test_the_handoff_queue_is_listed_first_served_first(shop_database: str, capsys: pytest.CaptureFixture) -> None:
    now = datetime.now(timezone.utc)
    with open_session() as session:
        request_handoff(session, "later-but-urgent", "customer_request", now, priority=1)
        request_handoff(session, "earlier", "complaint", now.replace(year=now.year - 1), priority=3)

    assert main(["handoffs", "list", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)

    assert [row["conversation_id"] for row in rows] == ["later-but-urgent", "earlier"]
    assert rows[1]["reason"] == "complaint"


def test_an_empty_queue_says_so(shop_database: str, capsys: pytest.CaptureFixture) -> None:
    assert main(["handoffs", "list"]) == 0
    assert "Nobody is waiting" in capsys.readouterr().out


def test_eval_nlu_needs_a_readable_csv_with_text_and_intent(tmp_path: Path) -> None:
    missing_column = tmp_path / "bad.csv"
    missing_column.write_text("utterance,label\nhello,greet\n")

    with pytest.raises(CommandError, match="no such file"):
        read_examples(tmp_path / "absent.csv")
    with pytest.raises(CommandError, match="needs the columns text and intent"):
        read_examples(missing_column)


def test_eval_nlu_exits_with_a_reason_for_a_missing_file(tmp_path: Path) -> None:
    result = candor("eval-nlu", "--data", str(tmp_path / "absent.csv"))

    assert result.returncode == 2
    assert result.stderr.strip() == f"candor eval-nlu: no such file: {tmp_path / 'absent.csv'}"


def test_eval_nlu_counts_a_fallback_as_a_miss() -> None:
    report = score(
        gold=["track_order", "track_order", "get_refund", "get_refund"],
        predicted=["track_order", "nlu_fallback", "get_refund", "track_order"],
        known_intents=["track_order", "get_refund"],
    )

    assert report.accuracy == 0.5
    assert report.fallback_rate == 0.25
    assert report.f1_by_intent["get_refund"] == pytest.approx(2 / 3)
    assert report.macro_f1 == pytest.approx((0.5 + 2 / 3) / 2)


def test_the_sites_that_embed_the_widget_are_passed_to_rasas_cors(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CANDOR_WIDGET_ORIGINS", "https://shop.example, http://localhost:8080")
    assert widget_origins() == ["https://shop.example", "http://localhost:8080"]
    monkeypatch.delenv("CANDOR_WIDGET_ORIGINS")
    assert widget_origins() == []


def test_a_widget_origin_with_a_path_is_refused_with_the_fix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CANDOR_WIDGET_ORIGINS", "https://shop.example/help")
    with pytest.raises(CommandError, match="no path"):
        widget_origins()

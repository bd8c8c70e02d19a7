"""`candor lint-responses` shows a team what breaks before CI does."""

from __future__ import annotations

from pathlib import Path

from bot.cli import main


def test_the_domain_passes_and_the_grades_are_printed(capsys) -> None:
    assert main(["lint-responses"]) == 0
    out = capsys.readouterr().out
    assert "utter_greet" in out and "Plain variants: average grade" in out


def test_a_response_without_a_plain_variant_fails_and_says_why(tmp_path: Path, capsys) -> None:
    domain = tmp_path / "new.yml"
    domain.write_text(
        'version: "3.1"\nresponses:\n  utter_new:\n    - text: "Please provide the requisite documentation forthwith."\n',
        encoding="utf-8",
    )
    assert main(["lint-responses", "--file", str(domain)]) == 1
    assert "needs exactly one plain variant" in capsys.readouterr().out


def test_a_missing_file_is_a_one_line_error(capsys) -> None:
    assert main(["lint-responses", "--file", "no/such.yml"]) == 2
    assert "is not a file" in capsys.readouterr().err

"""Candor's recognizers as a whole: every identifier they know is redacted, their word lists are data."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.policy import current_policy
from bot.privacy import recognizers
from bot.privacy.recognizers import candor_recognizers, word_lists


def test_every_identifier_a_candor_recognizer_finds_is_redacted_by_the_policy() -> None:
    found = {entity for recognizer in candor_recognizers() for entity in recognizer.supported_entities}

    assert found - set(current_policy().privacy.redaction.entities) == set()


def test_each_recognizer_takes_other_patterns_and_context_as_presidio_s_own_do() -> None:
    from presidio_analyzer import Pattern

    narrower = recognizers.UkSortCodeRecognizer(patterns=[Pattern("dashes only", r"\d\d-\d\d-\d\d", 0.9)], context=["branch"])

    assert [pattern.name for pattern in narrower.patterns] == ["dashes only"]
    assert narrower.context == ["branch"]


def test_a_word_list_keeps_its_order_and_skips_comments_and_blank_lines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "test_street_kinds.txt").write_text("# kinds of street\nstreet\n\n  st  \n# abbreviations\nrd\n")
    monkeypatch.setattr(word_lists, "WORDS_DIR", tmp_path)

    assert word_lists.word_list("test_street_kinds") == ("street", "st", "rd")


def test_a_missing_word_list_is_named_with_its_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(word_lists, "WORDS_DIR", tmp_path)

    with pytest.raises(FileNotFoundError, match="test_no_such_list.txt"):
        word_lists.word_list("test_no_such_list")


def test_every_word_list_is_read_by_a_recognizer() -> None:
    sources = "".join(path.read_text() for path in Path(recognizers.__file__).parent.glob("*.py"))
    unused = [path.stem for path in word_lists.WORDS_DIR.glob("*.txt") if f'"{path.stem}"' not in sources and f"'{path.stem}'" not in sources]

    assert unused == []

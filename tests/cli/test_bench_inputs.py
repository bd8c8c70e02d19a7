"""`candor bench-inputs` times the shapes that were slow, each on text spaCy has not cached."""

from __future__ import annotations

import pytest

from bot.cli import main
from bot.cli.bench_inputs import NORMAL_MESSAGE, pathological_inputs


def test_every_pathological_shape_is_as_long_as_asked_and_the_normal_message_is_normal() -> None:
    shapes = pathological_inputs(20_000)

    assert {len(text) for name, text in shapes.items() if not name.startswith("normal")} == {20_000}
    assert shapes[f"normal message ({len(NORMAL_MESSAGE)} chars)"] == NORMAL_MESSAGE
    assert {"20k emoji", "20k letters, no spaces", "20k postcode-shaped", "20k ordinary words"} <= set(shapes)


def test_each_run_times_runs_without_spaces_the_tokenizer_has_not_seen() -> None:
    first, second = pathological_inputs(1000, run=0), pathological_inputs(1000, run=1)

    assert first["1k emoji"] != second["1k emoji"]
    assert first["1k letters, no spaces"] != second["1k letters, no spaces"]


@pytest.mark.parametrize("arguments", [["--length", "0"], ["--repeats", "0"]])
def test_nonsense_sizes_are_refused_before_anything_is_trained(arguments: list, capsys: pytest.CaptureFixture) -> None:
    assert main(["bench-inputs", *arguments]) == 2
    assert "at least 1" in capsys.readouterr().err

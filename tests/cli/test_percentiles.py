"""Percentiles printed by the evaluation and benchmark commands are times some message really took."""

from __future__ import annotations

import pytest

from bot.cli.percentiles import nearest_rank_percentile


@pytest.mark.parametrize("percent, expected", [(50, 5.0), (95, 10.0), (99, 10.0), (10, 1.0), (0, 1.0)])
def test_the_percentile_is_the_smallest_value_that_many_do_not_exceed(percent: float, expected: float) -> None:
    assert nearest_rank_percentile([float(n) for n in range(10, 0, -1)], percent) == expected


def test_one_value_is_every_percentile() -> None:
    assert nearest_rank_percentile([3.5], 50) == nearest_rank_percentile([3.5], 99) == 3.5

"""Jan and Jun are names, and months: beside a number they are a date."""

from __future__ import annotations

import pytest

from tests.privacy.recognizers.conftest import Found


@pytest.mark.parametrize("text", ["it should arrive on 01 Jan", "Jun 2026 is fine", "ordered on Jan 5th"])
def test_a_month_beside_a_number_is_not_a_name(found: Found, text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    "text, name",
    [("ask Jan about it", "Jan"), ("Jan Kowalski ordered it", "Jan Kowalski"), ("everyone calls me Jun", "Jun")],
)
def test_jan_and_jun_are_still_names(found: Found, text: str, name: str) -> None:
    assert ("PERSON", name) in found(text)

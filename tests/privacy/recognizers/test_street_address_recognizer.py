"""A month or a day beside a number is a delivery date, not a "Name 12" address, even near "deliver"."""

from __future__ import annotations

import pytest

from tests.privacy.recognizers.conftest import Found


@pytest.mark.parametrize(
    "text",
    [
        "it was delivered on 3 March 2026",
        "it should be delivered Monday 12 January",
        "please deliver by Friday 14",
        "send it before December 24",
        "delivered Sat 3 Oct",
    ],
)
def test_a_delivery_date_is_not_an_address(found: Found, text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    "text, address",
    [("I moved to Larkspur 14", "Larkspur 14"), ("please deliver to Hauptstraße 12, Berlin", "Hauptstraße 12, Berlin")],
)
def test_a_name_and_a_number_near_address_words_is_still_an_address(found: Found, text: str, address: str) -> None:
    assert ("STREET_ADDRESS", address) in found(text)

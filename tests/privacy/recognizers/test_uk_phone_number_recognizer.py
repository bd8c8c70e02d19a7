"""UK phone numbers are found in every way people type them, allocated or not."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.privacy.recognizers.conftest import Found

# Ofcom's drama ranges: never allocated, so python-phonenumbers calls them invalid.
DRAMA_RANGE_NUMBERS = [
    "07700 900123",
    "07700900123",
    "+44 7700 900123",
    "+447700900123",
    "+44 (0)7700 900123",
    "0044 7700 900123",
    "(07700) 900 123",
    "07700-900-123",
    "077 00 900 123",
    "01632 960123",
    "(01632) 960 123",
]


@pytest.mark.parametrize("number", DRAMA_RANGE_NUMBERS)
def test_a_drama_range_number_is_a_phone_number_in_any_format(found: Found, number: str) -> None:
    assert ("PHONE_NUMBER", number) in found(f"you can reach me on {number} after six")


@pytest.mark.parametrize("number", ["07700 900123", "+44 7700 900123"])
def test_a_number_alone_in_a_message_is_found(found: Found, number: str) -> None:
    assert found(number) == [("PHONE_NUMBER", number)]


@pytest.mark.parametrize(
    "text",
    [
        "where is order 104502",
        "it cost £54.90",
        "it should arrive on 12/12/2026",
        "the date was 01-02-2026",
        "tracking number PW4821093761",
        "my reference is 00001234567",
        "the code is 07700 9001",
    ],
    ids=["order number", "price", "date", "date with hyphens", "tracking number", "zero-padded reference", "too short"],
)
def test_numbers_that_are_not_uk_phone_numbers_are_not_phone_numbers(found: Found, text: str) -> None:
    assert [entity for entity, _ in found(text) if entity == "PHONE_NUMBER"] == []


# How people group a mobile number, from the ten digits after the trunk 0.
MOBILE_LAYOUTS = {
    "07700 900123": lambda d: f"0{d[:4]} {d[4:]}",
    "07700900123": lambda d: f"0{d}",
    "+44 7700 900123": lambda d: f"+44 {d[:4]} {d[4:]}",
    "+447700900123": lambda d: f"+44{d}",
    "(07700) 900 123": lambda d: f"(0{d[:4]}) {d[4:7]} {d[7:]}",
    "07700-900-123": lambda d: f"0{d[:4]}-{d[4:7]}-{d[7:]}",
}


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(line=st.integers(0, 999), layout=st.sampled_from(sorted(MOBILE_LAYOUTS)))
def test_every_number_of_the_mobile_drama_range_is_found_in_every_layout(found: Found, line: int, layout: str) -> None:
    number = MOBILE_LAYOUTS[layout](f"7700900{line:03d}")

    assert ("PHONE_NUMBER", number) in found(f"text me on {number}")

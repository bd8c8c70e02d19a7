"""National Insurance numbers are found whatever their prefix, as customers type them."""

from __future__ import annotations

import pytest

from tests.privacy.recognizers.conftest import Found

NUMBERS = [
    "QQ 12 34 56 C",
    "QQ123456C",
    "qq 123456 c",
    "QQ-12-34-56-C",
    "DQ 65 43 21 A",
    "AB123456C",
    "TN 31 12 58 D",
]


@pytest.mark.parametrize("number", NUMBERS)
def test_a_national_insurance_number_with_any_prefix_is_found(found: Found, number: str) -> None:
    assert ("UK_NINO", number) in found(f"my NI number is {number}, thanks")


def test_a_number_alone_in_a_message_is_found(found: Found) -> None:
    assert found("QQ 12 34 56 C") == [("UK_NINO", "QQ 12 34 56 C")]


@pytest.mark.parametrize("text", ["tracking number PW4821093761", "where is order 104502", "ticket SR-7741"])
def test_references_that_only_look_alike_are_kept(found: Found, text: str) -> None:
    assert found(text) == []

"""Sort codes are found after the words "sort code", before an account number, or near "bank"."""

from __future__ import annotations

import pytest

from tests.privacy.recognizers.conftest import Found

SORT_CODES = [
    ("my sort code is 12-34-56", "12-34-56"),
    ("sort code 12 34 56", "12 34 56"),
    ("the sort code is 123456", "123456"),
    ("sortcode: 20-45-67", "20-45-67"),
    ("Sort-code 204567", "204567"),
    ("my bank details are 40-47-84", "40-47-84"),
    ("pay it back to 20-45-67 31926819", "20-45-67"),
    ("pay it back to 204567, 31926819", "204567"),
]


@pytest.mark.parametrize("text, sort_code", SORT_CODES)
def test_a_sort_code_is_found_and_the_words_around_it_stay(found: Found, text: str, sort_code: str) -> None:
    assert ("UK_SORT_CODE", sort_code) in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "where is order 104502",
        "it was delivered 12-12-26",
        "I need 12 34 56 of them",
        "my mobile is 06 12 34 56 78 if you need it",
    ],
    ids=["order number", "date with hyphens", "quantities", "phone number in pairs"],
)
def test_six_digits_without_a_sign_of_a_bank_are_not_a_sort_code(found: Found, text: str) -> None:
    assert [entity for entity, _ in found(text) if entity == "UK_SORT_CODE"] == []


def test_an_order_number_after_sort_out_is_kept_for_explanations(found: Found) -> None:
    assert found("can you sort out order 104502 please") == []

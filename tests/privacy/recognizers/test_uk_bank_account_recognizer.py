"""Account numbers are found right after an account word or a sort code, and nowhere else."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.privacy.recognizers.conftest import Found

ACCOUNT_NUMBERS = [
    ("account number 12345678", "12345678"),
    ("acc no 87654321", "87654321"),
    ("Account No. 1234 5678", "1234 5678"),
    ("a/c: 12345678", "12345678"),
    ("acct #12345678", "12345678"),
    ("my bank account is 12345678", "12345678"),
    ("refund to 20-45-67 31926819", "31926819"),
    ("refund to 20 45 67, 31926819", "31926819"),
    ("sort code 40 47 84 account 70872490", "70872490"),
]


@pytest.mark.parametrize("text, account", ACCOUNT_NUMBERS)
def test_an_account_number_is_found_and_the_account_word_stays(found: Found, text: str, account: str) -> None:
    assert ("UK_BANK_ACCOUNT", account) in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "I ordered 12345678 things",
        "order 12345678 please",
        "my account was charged £54.90 for order 104502",
        "my account number is C10001",
        "account number 123456789",
    ],
    ids=["quantity", "another reference", "account word, no number", "customer number", "nine digits"],
)
def test_eight_digits_without_an_account_word_or_sort_code_are_not_an_account(found: Found, text: str) -> None:
    assert [entity for entity, _ in found(text) if entity == "UK_BANK_ACCOUNT"] == []


def test_the_customer_number_after_account_number_is_still_a_customer_number(found: Found) -> None:
    assert found("my account number is C10001") == [("CUSTOMER_NUMBER", "C10001")]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    number=st.integers(10_000_000, 99_999_999),
    template=st.sampled_from(["order {} please", "I ordered {} items", "reference {}", "it came to {} points", "{}"]),
)
def test_no_eight_digit_number_without_account_context_is_redacted(found: Found, number: int, template: str) -> None:
    assert [entity for entity, _ in found(template.format(number)) if entity == "UK_BANK_ACCOUNT"] == []


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(number=st.integers(10_000_000, 99_999_999), words=st.sampled_from(["account number", "acc no", "a/c", "account no."]))
def test_every_eight_digit_number_after_an_account_word_is_redacted(found: Found, number: int, words: str) -> None:
    assert ("UK_BANK_ACCOUNT", str(number)) in found(f"my {words} {number}")

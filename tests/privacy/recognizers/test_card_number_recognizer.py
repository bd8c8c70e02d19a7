"""Card numbers are found by their issuer's first digit and the Luhn check; long order numbers are not."""

from __future__ import annotations

import pytest

from tests.privacy.recognizers.conftest import Found

# Test numbers the card schemes publish, one per scheme.
CARD_NUMBERS = [
    "4111 1111 1111 1111",  # Visa
    "5555 5555 5555 4444",  # Mastercard
    "2221 0000 0000 0009",  # Mastercard 2-series
    "3782 822463 10005",  # American Express
    "6011 1111 1111 1117",  # Discover
    "3530111333300000",  # JCB
    "6759649826438453",  # Maestro
    "180001234567899",  # JCB, 15 digits
]


@pytest.mark.parametrize("number", CARD_NUMBERS)
def test_a_card_number_of_every_scheme_is_found(found: Found, number: str) -> None:
    assert ("CREDIT_CARD", number) in found(f"I paid with {number}")


@pytest.mark.parametrize(
    "text",
    ["cancel order 113542617735902", "order 7992739871300", "my order is 0000000000000000", "ref 8888888888888888"],
)
def test_a_long_order_number_that_passes_the_luhn_check_is_no_card(found: Found, text: str) -> None:
    assert [kind for kind, _ in found(text) if kind == "CREDIT_CARD"] == []

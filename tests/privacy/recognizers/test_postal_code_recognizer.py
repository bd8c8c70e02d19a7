"""Five or six digits are a postal code when the customer says so or an address ends with them; an order number stays."""

from __future__ import annotations

from typing import List, Tuple

import pytest

from tests.privacy.recognizers.conftest import Found


def redacted(findings: List[Tuple[str, str]], digits: str) -> bool:
    return any(digits in covered for _, covered in findings)


@pytest.mark.parametrize(
    "text, code",
    [
        ("my zip is 30307", "30307"),
        ("zip code: 75204-3317", "75204-3317"),
        ("pincode 600 028", "600 028"),
        ("PIN - 380015", "380015"),
    ],
)
def test_digits_the_customer_calls_a_postal_code_are_one(found: Found, text: str, code: str) -> None:
    assert ("POSTCODE", code) in found(text)


@pytest.mark.parametrize(
    "text, code",
    [
        ("I'm in Phoenix, AZ 85004", "85004"),
        ("we moved to Austin, Texas 78701 last month", "78701"),
        ("Santa Fe, New Mexico 87501", "87501"),
        ("send it to Seattle WA 98103 please", "98103"),
    ],
)
def test_five_digits_after_a_us_state_are_a_zip_code(found: Found, text: str, code: str) -> None:
    assert ("POSTCODE", code) in found(text)


@pytest.mark.parametrize(
    "text, code",
    [
        ("please deliver to 22 MG Road, Kochi 682018", "682018"),
        ("new address is 455 Cactus Way, Mesa 85201", "85201"),
    ],
)
def test_digits_just_after_a_street_address_are_its_postal_code(found: Found, text: str, code: str) -> None:
    assert redacted(found(text), code)


@pytest.mark.parametrize(
    "text, digits",
    [
        ("where is order 104502?", "104502"),
        ("it came in 10027 pieces", "10027"),  # "in" in lower case is a word, not Indiana
        ("send it to 14 Elm Row, Leeds, it's order 104502", "104502"),
        ("14 Elm Row. Also, order 682018 never came", "682018"),
    ],
)
def test_an_order_number_or_a_count_is_not_a_postal_code(found: Found, text: str, digits: str) -> None:
    assert not redacted(found(text), digits)

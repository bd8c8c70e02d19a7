"""Phone numbers are found however people type them; order numbers, prices, dates and times are not.

Each country's list is ten ways its customers write their own number: with or without the
country code, with spaces, dots, hyphens or brackets, valid or not (fictional and drama ranges,
which python-phonenumbers rejects, are to the customer still their number).
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.privacy.recognizers import PhoneShapedNumberRecognizer
from bot.privacy.redaction import Redactor
from tests.privacy.recognizers.conftest import Found

NUMBERS_BY_COUNTRY = {
    "United Kingdom": [
        "07911 123456", "07911123456", "+44 7911 123456", "+44 (0)20 7946 0018", "020 7946 0018",
        "(020) 7946 0018", "0161 496 0000", "0044 7911 123456", "07911-123-456", "07700 900 123",
    ],
    "United States and Canada": [
        "(415) 555-0123", "415-555-0123", "415.555.0123", "415 555 0123", "+1 415 555 0123",
        "1-415-555-0123", "+1 (415) 555-0123", "1 (800) 555 0199", "+1-604-555-0142", "(604) 555 0142",
    ],
    "India": [
        "+91 98765 43210", "+91-98765-43210", "98765 43210", "098765 43210", "+919876543210",
        "0091 98765 43210", "011 2345 6789", "+91 11 2345 6789", "98765-43210", "+91 (0) 98765 43210",
    ],
    "Australia": [
        "0412 345 678", "+61 412 345 678", "(02) 9876 5432", "02 9876 5432", "+61 2 9876 5432",
        "0412345678", "04 1234 5678", "+61 (0)412 345 678", "0061 412 345 678", "1300 975 707",
    ],
    "Ireland": [
        "087 123 4567", "+353 87 123 4567", "0871234567", "00353 87 123 4567", "086-123-4567",
        "+353 (0)87 123 4567", "085 765 4321", "+353 1 234 5678", "(087) 123 4567", "087.123.4567",
    ],
    "Nigeria": [
        "0803 123 4567", "+234 803 123 4567", "08031234567", "+2348031234567", "0803-123-4567",
        "0703 555 1234", "+234 (0)803 123 4567", "09012345678", "0805 987 6543", "+234 1 234 5678",
    ],
    "France": [
        "06 12 34 56 78", "+33 6 12 34 56 78", "0612345678", "06.12.34.56.78", "01 23 45 67 89",
        "+33 (0)6 12 34 56 78", "0033 6 12 34 56 78", "06-12-34-56-78", "+33612345678", "07 98 76 54 32",
    ],
    "Germany": [
        "030 12345678", "+49 30 12345678", "0171 1234567", "+49 171 1234567", "(030) 1234567",
        "030/12345678", "0049 171 1234567", "0151-12345678", "+49 (0)171 1234567", "0151 2345 6789",
    ],
    "Spain": [
        "+34 612 34 56 78", "612 34 56 78", "612 345 678", "+34 912 345 678", "0034 612 345 678",
        "91 123 45 67", "+34612345678", "699 123 456", "+34 (91) 123 45 67", "612-345-678",
    ],
    "elsewhere": [
        "+55 11 91234-5678", "(11) 91234-5678", "+81 90-1234-5678", "090-1234-5678", "+86 138 0013 8000",
        "138 0013 8000", "+27 82 123 4567", "082 123 4567", "+31 6 12345678", "06-12345678",
        "+39 333 123 4567", "333 123 4567", "+65 9123 4567", "+971 50 123 4567",
    ],
}
EVERY_NUMBER = [(country, number) for country, numbers in NUMBERS_BY_COUNTRY.items() for number in numbers]

# Shapes too short or too plain to be sure of alone: found only near a word about phoning.
FOUND_ONLY_IN_CONTEXT = {
    "01 234 5678": "Ireland", "(01) 234 5678": "Ireland", "089 123456": "Germany", "612345678": "Spain",
    "4155550123": "United States", "9876543210": "India", "2345 678901": "anywhere",
}

WORDS_ABOUT_PHONING = [
    "you can call me on {} after six",
    "my number is {}",
    "{} is my mobile",
    "text me at {}",
    "tel: {}",
]


@pytest.mark.parametrize("country, number", EVERY_NUMBER, ids=[f"{c}: {n}" for c, n in EVERY_NUMBER])
def test_a_number_near_a_word_about_phoning_is_found_whole(found: Found, country: str, number: str) -> None:
    for sentence in WORDS_ABOUT_PHONING:
        assert ("PHONE_NUMBER", number) in found(sentence.format(number))


@pytest.mark.parametrize("country, number", EVERY_NUMBER, ids=[f"{c}: {n}" for c, n in EVERY_NUMBER])
def test_a_number_in_a_phone_number_s_shape_is_found_with_no_word_about_phoning(found: Found, country: str, number: str) -> None:
    if number in FOUND_ONLY_IN_CONTEXT:
        pytest.skip("this shape needs a word about phoning")
    assert ("PHONE_NUMBER", number) in found(number)
    assert ("PHONE_NUMBER", number) in found(f"it's {number}, thanks")


@pytest.mark.parametrize("number", sorted(FOUND_ONLY_IN_CONTEXT))
def test_a_short_or_plain_number_is_found_near_a_word_about_phoning(found: Found, number: str) -> None:
    assert ("PHONE_NUMBER", number) in found(f"ring me on {number} tomorrow")
    assert ("PHONE_NUMBER", number) in found(f"{number} is my landline")


@pytest.mark.parametrize(
    "number",
    [
        "07911 123456 x204", "07911 123456 ext. 12", "(212) 555-0199 x204", "+44 20 7946 0018 ext 3",
        "020 7946 0018 extension 5", "+1 415 555 0123 x 12", "0161 496 0000, ext. 4471", "415-555-0123 #204",
    ],
)
def test_an_extension_goes_with_its_number(redactor: Redactor, found: Found, number: str) -> None:
    assert ("PHONE_NUMBER", number) in found(f"call me on {number} please")
    assert redactor.redact_text(f"call me on {number} please") == "call me on <PHONE_NUMBER> please"


# Messages whose every number must be stored as typed.
KEPT = [
    "where is order 104502",
    "order 104502 cost £54.90",
    "it was $1,299.00 for 3 lamps",
    "it costs £1,299.99, or 1 299 euros",
    "it should arrive on 12/12/2026",
    "the date was 01-02-2026",
    "delivered 2026-12-07 at 10:30",
    "I ordered 3 on 04.12.2026 and paid 120.00",
    "deliver it on 06/12/2026 12 lamps at once",
    "ring me between 18:00-19:00 or between 9.30 and 10.30",
    "tracking number PW4821093761",
    "my reference is 00001234567",
    "invoice #123456",
    "refund RF-000105 for 2 x 4 chairs",
    "quantity 12, price 15.99, total 191.88",
    "the code is 07700 9001",
    "call me about order 104502",
]
# Order numbers of other shops' lengths, after the words customers put before them.
ORDER_NUMBERS = [
    "cancel order 3707955617",
    "order 732201349959 never came",
    "order 00123456789",
    "cancelling purchase 3707955617",
    "please call me about my order 3707955617",
    "my order number is 3707955617, call me",
    "the invoice no. is 3707955617, ring me if needed",
    "ring me about tracking 3707 955617",
]


@pytest.mark.parametrize("text", KEPT + ORDER_NUMBERS)
def test_order_numbers_prices_quantities_dates_and_times_are_kept(redactor: Redactor, text: str) -> None:
    redacted = redactor.redact_text(text)

    assert [number for number in re.findall(r"\d+", text) if number not in redacted] == []


@pytest.mark.parametrize("text", ["order 104502 07911 123456", "07911 123456 104502"])
def test_a_phone_number_beside_an_order_number_is_found_and_the_order_number_kept(
    redactor: Redactor, found: Found, text: str
) -> None:
    assert ("PHONE_NUMBER", "07911 123456") in found(text)
    assert "104502" in redactor.redact_text(text)


@pytest.mark.parametrize(
    "text",
    [
        "during 46 07 95 56 hours",
        "the cancellation was 46 07 95 56",
        "the hotel room 46 07 95 56",
        "in this context 46 07 95 56",
        "the recall notice 46 07 95 56",
    ],
)
def test_a_word_that_merely_contains_a_word_about_phoning_is_not_one(found: Found, text: str) -> None:
    assert [kind for kind, _ in found(text) if kind == "PHONE_NUMBER"] == []


def test_what_counts_as_a_word_about_phoning_is_data() -> None:
    recognizer = PhoneShapedNumberRecognizer(context=["pager"])

    assert recognizer.context == ["pager"]
    assert "call" in PhoneShapedNumberRecognizer().context


FRENCH_MOBILE = st.builds(lambda d: f"0{d[0]} {d[1:3]} {d[3:5]} {d[5:7]} {d[7:9]}", st.from_regex(r"[67]\d{8}", fullmatch=True))
AUSTRALIAN_MOBILE = st.builds(lambda d: f"04{d[:2]} {d[2:5]} {d[5:]}", st.from_regex(r"\d{8}", fullmatch=True))
INDIAN_MOBILE = st.builds(lambda d: f"{d[:5]} {d[5:]}", st.from_regex(r"[6-9]\d{9}", fullmatch=True))
NIGERIAN_MOBILE = st.builds(lambda d: f"+234 80{d[0]} {d[1:4]} {d[4:]}", st.from_regex(r"\d{8}", fullmatch=True))
NORTH_AMERICAN = st.builds(lambda d: f"({d[:3]}) {d[3:6]}-{d[6:]}", st.from_regex(r"[2-9]\d\d[2-9]\d{6}", fullmatch=True))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(number=st.one_of(FRENCH_MOBILE, AUSTRALIAN_MOBILE, INDIAN_MOBILE, NIGERIAN_MOBILE, NORTH_AMERICAN))
def test_every_number_of_common_mobile_layouts_is_found(found: Found, number: str) -> None:
    assert ("PHONE_NUMBER", number) in found(f"my mobile is {number}")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    number=st.integers(100000, 999999),
    price=st.decimals(min_value=1, max_value=9999, places=2),
    day=st.dates(date(1990, 1, 1), date(2045, 12, 31)),
    template=st.sampled_from(
        [
            "order {number} cost £{price} on {day:%d/%m/%Y}",
            "order {number} was {price} dollars, delivered {day:%Y-%m-%d}",
            "call me about order {number}, it was £{price}",
            "ring me on {day:%d.%m.%Y} about {number}",
        ]
    ),
)
def test_no_order_number_price_or_date_is_ever_taken_for_a_phone_number(
    found: Found, number: int, price: object, day: date, template: str
) -> None:
    text = template.format(number=number, price=price, day=day)

    assert [kind for kind, _ in found(text) if kind == "PHONE_NUMBER"] == []

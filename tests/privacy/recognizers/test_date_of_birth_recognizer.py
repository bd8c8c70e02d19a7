"""A date is a date of birth when the customer says so; any other date stays."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from presidio_analyzer import RecognizerResult

from bot.privacy.not_personal_data import NER_RECOGNIZER, a_date

from tests.privacy.recognizers.conftest import Found

DATES_OF_BIRTH = [
    ("my date of birth is 04/07/1985", "04/07/1985"),
    ("Date of birth: 4th July 1985", "4th July 1985"),
    ("DOB 4 July 1985", "4 July 1985"),
    ("DOB: 04.07.85", "04.07.85"),
    ("d.o.b. 4/7/1985", "4/7/1985"),
    ("born 1985-07-04", "1985-07-04"),
    ("I was born on the 4th of July 1985", "4th of July 1985"),
    ("my dob is july 4th, 1985", "july 4th, 1985"),
    ("I was born in Leeds on 4 Jul 85", "4 Jul 85"),
    ("my birthday is 4 July", "4 July"),
]


@pytest.mark.parametrize("text, date", DATES_OF_BIRTH)
def test_a_date_after_birth_words_is_a_date_of_birth(found: Found, text: str, date: str) -> None:
    assert ("DATE_OF_BIRTH", date) in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "it should arrive on 12/12/2026",
        "delivered 3 March",
        "it was delivered 12-12-26",
        "the order from 04/07/2025 never came",
        "can it come by March 3rd, 2026?",
        "I ordered it on 2026-11-02",
    ],
)
def test_delivery_and_order_dates_are_kept(found: Found, text: str) -> None:
    assert found(text) == []


DATE_LAYOUTS = ["%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d", "%d.%m.%Y", "%d %B %Y", "%d %b", "%B %d, %Y", "%-d %B"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    day=st.dates(date(2000, 1, 1), date(2035, 12, 31)),
    layout=st.sampled_from(DATE_LAYOUTS),
    template=st.sampled_from(["it should arrive on {}", "delivered {}", "ordered on {}, still waiting", "can it come by {}?"]),
)
def test_no_delivery_date_is_redacted_in_any_layout(found: Found, day: date, layout: str, template: str) -> None:
    # Presidio's own phone recognizer (US region) reads one date in a few hundred as a US number
    # ("13.10.2026"); that is its call, not a date of birth, an address or a name.
    assert [finding for finding in found(template.format(day.strftime(layout))) if finding[0] != "PHONE_NUMBER"] == []


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(day=st.dates(date(1920, 1, 1), date(2010, 12, 31)), layout=st.sampled_from(DATE_LAYOUTS))
def test_every_date_of_birth_is_redacted_in_any_layout(found: Found, day: date, layout: str) -> None:
    written = day.strftime(layout)

    assert ("DATE_OF_BIRTH", written) in found(f"my date of birth is {written}")


def ner_person(text: str, words: str) -> RecognizerResult:
    start = text.index(words)
    return RecognizerResult("PERSON", start, start + len(words), 0.85, recognition_metadata={RecognizerResult.RECOGNIZER_NAME_KEY: NER_RECOGNIZER})


@pytest.mark.parametrize(
    "text, words",
    [("delivered 5 January", "January"), ("due on the 5th of June", "June"), ("by May 3rd please", "May"), ("Friday 13 it came", "Friday")],
)
def test_a_month_or_a_day_the_model_takes_for_a_name_beside_a_date_is_kept(text: str, words: str) -> None:
    assert a_date(text, ner_person(text, words))


@pytest.mark.parametrize("text, words", [("thanks, June", "June"), ("May Chen here", "May"), ("ask April about order 104502", "April")])
def test_a_month_that_is_someones_name_is_still_a_name(text: str, words: str) -> None:
    assert not a_date(text, ner_person(text, words))

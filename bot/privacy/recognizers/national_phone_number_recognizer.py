"""Phone numbers dialled within their own country: a trunk 0, then the area or mobile code."""

from __future__ import annotations

from presidio_analyzer import Pattern

from bot.privacy.recognizers.phone_number_pattern_recognizer import (
    BY_SHAPE,
    EXTENSION,
    NOT_BEFORE,
    NOT_IN_A_WORD,
    SEPARATOR,
    PhoneNumberPatternRecognizer,
)


class NationalPhoneNumberRecognizer(PhoneNumberPatternRecognizer):
    """National numbers of the many countries that dial a trunk 0, valid or not, in any grouping.

    "06 12 34 56 78" (France), "0412 345 678" (Australia), "087 123 4567" (Ireland),
    "0803 123 4567" (Nigeria), "098765 43210" (India), "030/12345678" (Germany), "(02) 9876 5432":
    a 0, a digit that is not 0 ("00" dials abroad, and "0000123" is a padded reference), and
    9 to 12 digits in all. Python-phonenumbers places a number only with its country; a customer
    typing their own number never says which. From 10 digits the shape is enough; with 9
    ("089 123456", "01 234 5678") a word about phoning must be near, since "07700 9001" could be
    a code.
    """

    PATTERNS = [
        Pattern(
            "national number with its trunk 0",
            rf"{NOT_IN_A_WORD}\(?0[1-9](?:{SEPARATOR}\d){{7,10}}{EXTENSION}{NOT_BEFORE}",
            BY_SHAPE,
        ),
    ]
    DIGITS = (9, 12)
    DIGITS_ALONE = 10

"""Phone numbers written with their country code: "+33 6 12 34 56 78", "0091 98765 43210"."""

from __future__ import annotations

from typing import Optional

import phonenumbers
import regex as re
from presidio_analyzer import Pattern

from bot.privacy.recognizers.phone_number_pattern_recognizer import (
    EXTENSION,
    NOT_BEFORE,
    SEPARATOR,
    PhoneNumberPatternRecognizer,
    _without_extension,
)

# "+44 (0)20 ...": the trunk 0 some people keep in brackets after the country code.
_TRUNK_IN_BRACKETS = re.compile(r"\(0\)")


class InternationalPhoneNumberRecognizer(PhoneNumberPatternRecognizer):
    """Any number after "+" or "00" and a country code that exists, whether or not it is in service.

    Presidio's phone recognizer keeps only numbers python-phonenumbers calls valid, so a new
    range, a fictional number or a typo (one digit too many) was stored in clear; to the customer
    it is still their number, and a "+" and a country code leave no doubt. "00" also pads
    references ("00123456789"), so after "00" the country code must stand apart: "0044 7911 ...".
    """

    PATTERNS = [
        Pattern(
            "number after + and a country code",
            rf"(?<![\w+])\+[ ]?[1-9](?:{SEPARATOR}\d){{6,14}}{EXTENSION}{NOT_BEFORE}",
            0.7,
        ),
        Pattern(
            "number after 00 and a country code set apart",
            rf"(?<![\w+.,])00[ ]?[1-9]\d{{0,2}}(?=[ .\-(])(?:{SEPARATOR}\d){{5,13}}{EXTENSION}{NOT_BEFORE}",
            0.6,
        ),
    ]
    # Digits after the "+" or "00": E.164 numbers have at most 15, and none in use fewer than 8.
    DIGITS = (8, 15)
    DIGITS_ALONE = 8

    def validate_result(self, pattern_text: str) -> Optional[bool]:
        number = _TRUNK_IN_BRACKETS.sub("", _without_extension(pattern_text))
        international = "".join(character for character in number if character.isdigit())
        if number.lstrip().startswith("00"):
            international = international[2:]
        if not self.DIGITS[0] <= len(international) <= self.DIGITS[1]:
            return False
        return None if _has_a_country_code(international) else False


def _has_a_country_code(international: str) -> bool:
    """Whether the digits begin with a country calling code in use (1, 44, 353 ...)."""
    return any(
        phonenumbers.region_code_for_country_code(int(international[:length])) != phonenumbers.UNKNOWN_REGION
        for length in (1, 2, 3)
        if len(international) > length
    )

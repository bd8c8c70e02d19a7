"""UK phone numbers as people type them, whether or not the number is in service."""

from __future__ import annotations

from typing import List, Optional

import phonenumbers
from phonenumbers import NumberParseException
from presidio_analyzer import Pattern, PatternRecognizer

# After the trunk 0 (or +44): an area or mobile prefix, which never starts with 0 ("00" begins an
# international number), maybe in brackets, then the rest of the number in any grouping of spaces
# or hyphens. Never a digit or a further group after it, so part of a card number is not a phone
# number.
_REST = r"[1-9]\d{1,3}\)?(?:[ -]?\d){6,8}(?![\w-]|[ ]\d)"


class UkPhoneNumberRecognizer(PatternRecognizer):
    """UK numbers by their shape: a trunk 0 or +44, and a length a UK number can have.

    Presidio's phone recognizer keeps only the numbers python-phonenumbers calls valid, so
    Ofcom's drama ranges (07700 900123, 01632 960123), and any range allocated after the library
    was built, were stored in clear. To a customer they are still their phone number.
    """

    PATTERNS = [
        Pattern("UK number with its trunk 0", rf"(?<![\w+(])\(?0{_REST}", 0.5),
        Pattern("UK number with +44", rf"(?<![\w+])(?:\+|00)44[ -]?(?:\(0\)[ -]?)?\(?{_REST}", 0.5),
    ]
    CONTEXT = ["phone", "telephone", "tel", "mobile", "landline", "call", "ring", "text", "number"]
    REGION = "GB"

    def __init__(self, patterns: Optional[List[Pattern]] = None, context: Optional[List[str]] = None) -> None:
        super().__init__(
            supported_entity="PHONE_NUMBER",
            patterns=patterns or self.PATTERNS,
            context=context or self.CONTEXT,
            supported_language="en",
        )

    def validate_result(self, pattern_text: str) -> Optional[bool]:
        """A UK number of a length UK numbers have when dialled in full, though perhaps never allocated."""
        try:
            number = phonenumbers.parse(pattern_text, self.REGION)
        except NumberParseException:
            return False
        if number.country_code != phonenumbers.country_code_for_region(self.REGION):
            return False
        # Not `is_possible_number`, which also takes the short numbers dialled without an area
        # code: "07700 9001" is not a phone number.
        full_lengths = phonenumbers.PhoneMetadata.metadata_for_region(self.REGION).general_desc.possible_length
        return None if len(str(number.national_number)) in full_lengths else False

"""Phone numbers from anywhere, by their grouping, near words about phoning."""

from __future__ import annotations

from typing import List, Optional

import regex as re
from presidio_analyzer import Pattern, PatternRecognizer


class PhoneShapedNumberRecognizer(PatternRecognizer):
    """Numbers grouped like a phone number that python-phonenumbers cannot place.

    Presidio's phone recognizer accepts only numbers valid in the configured regions; a number
    from elsewhere without its country code ("call me on 0494 92 82 32") slips through. This
    shape alone is too weak to trust, so it counts only near words like "phone" or "call".
    """

    PATTERNS = [
        Pattern(
            "digits grouped like a phone number",
            r"(?<![\w+.-])(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,4}\)[ .-]?)?\d{2,4}(?:[ .-]\d{2,4}){1,4}"
            r"(?:\s?(?:x|ext\.?)\s?\d{1,5})?(?![\w-])",
            0.1,
        )
    ]
    CONTEXT = ["phone", "telephone", "tel", "mobile", "cell", "cellphone", "landline", "fax", "call", "ring", "text", "whatsapp", "sms"]
    # Dates are grouped digits too.
    DATE = re.compile(r"^(?:\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{2,4})$")

    def __init__(self, patterns: Optional[List[Pattern]] = None, context: Optional[List[str]] = None) -> None:
        super().__init__(
            supported_entity="PHONE_NUMBER",
            patterns=patterns or self.PATTERNS,
            context=context or self.CONTEXT,
            supported_language="en",
        )

    def validate_result(self, pattern_text: str) -> Optional[bool]:
        digits = sum(character.isdigit() for character in pattern_text)
        if not 7 <= digits <= 15 or self.DATE.match(pattern_text):
            return False
        return None

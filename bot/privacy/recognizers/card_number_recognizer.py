"""Payment card numbers of every length and grouping in use."""

from __future__ import annotations

from typing import List, Optional

from presidio_analyzer import Pattern
from presidio_analyzer.predefined_recognizers import CreditCardRecognizer


class CardNumberRecognizer(CreditCardRecognizer):
    """Card numbers of 12 to 19 digits, Luhn-checked by Presidio's own card recognizer.

    Presidio's pattern predates Mastercard's 2-series (2221-2720) and misses 19-digit cards;
    these patterns take any such length, written whole or in the groups printed on cards.
    Order numbers (six digits) are far too short to match.
    """

    PATTERNS = [
        Pattern("card number, digits only", r"\b\d{12,19}\b", 0.3),
        Pattern("card number in groups of four", r"\b\d{4}(?:[ -]\d{4}){2}[ -]\d{1,7}\b", 0.3),
        Pattern("card number in American Express groups", r"\b\d{4}[ -]\d{6}[ -]\d{4,5}\b", 0.3),
    ]

    # Payment cards begin with 2 to 6 (Mastercard, American Express, Diners, JCB, Visa, Maestro,
    # Discover, UnionPay), or 1800 (JCB's 15-digit cards); a long number that begins otherwise
    # (another shop's order number "113542617735902") is no card a customer pays with.
    ISSUER_PREFIXES = ("2", "3", "4", "5", "6", "1800")

    def __init__(self, patterns: Optional[List[Pattern]] = None, context: Optional[List[str]] = None) -> None:
        super().__init__(patterns=patterns or self.PATTERNS, context=context)

    def validate_result(self, pattern_text: str) -> Optional[bool]:
        if not pattern_text.lstrip().startswith(self.ISSUER_PREFIXES):
            return False
        return super().validate_result(pattern_text)

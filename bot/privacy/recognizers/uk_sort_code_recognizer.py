"""UK bank sort codes: three pairs of digits that name a bank's branch."""

from __future__ import annotations

from typing import List, Optional

from presidio_analyzer import Pattern, PatternRecognizer

# "sort code", "sortcode" or "sort-code", then maybe "is", "was" or a colon.
SORT_CODE_WORDS = r"\bsort[ -]?codes?\b\W{0,3}(?:(?:is|was)\W{1,3})?"
# Three pairs, together or split by hyphens or spaces: 12-34-56, 12 34 56, 123456.
SORT_CODE = r"\d{2}[- ]?\d{2}[- ]?\d{2}"
# A UK account number: eight digits (`uk_bank_account_recognizer`).
ACCOUNT_NUMBER = r"\d{8}(?!\d)"


class UkSortCodeRecognizer(PatternRecognizer):
    """Sort codes after the words "sort code", before an account number, or split into pairs.

    Six digits alone are an order number (104502), and pairs split by hyphens can be a date
    (12-12-26), so each shape needs something more: the words, an account number after it, or
    a context word ("sort", "bank") for the pairs.
    """

    PATTERNS = [
        Pattern("after the words sort code", rf"(?<={SORT_CODE_WORDS}){SORT_CODE}(?![- ]?\d)", 0.85),
        Pattern("before an account number", rf"(?<![\d-]){SORT_CODE}(?=[ ,;/]{{1,3}}{ACCOUNT_NUMBER})", 0.6),
        # Weak alone: not a longer run of groups, as phone numbers are ("06 12 34 56 78").
        Pattern("pairs split by hyphens or spaces", r"(?<!\d[- ]?)\d{2}([- ])\d{2}\1\d{2}(?![- ]?\d)", 0.2),
    ]
    CONTEXT = ["sort", "bank"]

    def __init__(self, patterns: Optional[List[Pattern]] = None, context: Optional[List[str]] = None) -> None:
        super().__init__(
            supported_entity="UK_SORT_CODE",
            patterns=patterns or self.PATTERNS,
            context=context or self.CONTEXT,
            supported_language="en",
        )

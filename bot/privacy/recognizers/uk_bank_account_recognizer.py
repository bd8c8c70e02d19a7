"""UK bank account numbers: eight digits, after an account word or a sort code."""

from __future__ import annotations

from typing import List, Optional

from presidio_analyzer import Pattern, PatternRecognizer

from bot.privacy.recognizers.uk_sort_code_recognizer import ACCOUNT_NUMBER, SORT_CODE

# "account", "bank account", "acc", "acct" or "a/c", then maybe "number", "no" or "#", then maybe
# "is", "was" or a colon: "account number 12345678", "acc no. 87654321", "a/c: 12345678".
ACCOUNT_WORDS = (
    r"\b(?:bank\s+)?(?:account|acct|acc|a/c)\b\.?"
    r"(?:\s*(?:number|num|no)\b\.?|\s*#)?"
    r"\W{0,3}(?:(?:is|was)\W{1,3})?"
)


class UkBankAccountRecognizer(PatternRecognizer):
    """Eight-digit account numbers, right after an account word or a sort code.

    Eight digits alone could be anything (a quantity, another shop's reference), so a number
    counts only where it sits: after "account number", "acc no" and the like, or after a sort
    code ("12-34-56 12345678"). The account word stays readable; only the number is replaced.
    """

    PATTERNS = [
        Pattern(
            "after an account word", rf"(?<={ACCOUNT_WORDS})(?:{ACCOUNT_NUMBER}|\d{{4}}[ -]\d{{4}}(?![ -]?\d))", 0.85
        ),
        Pattern("after a sort code", rf"(?<=(?<![\d-]){SORT_CODE}[ ,;/]{{1,3}}){ACCOUNT_NUMBER}", 0.6),
    ]

    def __init__(self, patterns: Optional[List[Pattern]] = None, context: Optional[List[str]] = None) -> None:
        super().__init__(
            supported_entity="UK_BANK_ACCOUNT",
            patterns=patterns or self.PATTERNS,
            context=context,
            supported_language="en",
        )

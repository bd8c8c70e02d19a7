"""Dates of birth: any date a customer writes, when they say it is when they were born."""

from __future__ import annotations

from typing import List, Optional

import regex as re
from presidio_analyzer import Pattern, PatternRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from bot.privacy.recognizers.word_lists import word_list

_DAY = r"(?:0?[1-9]|[12]\d|3[01])"
_MONTH = r"(?:0?[1-9]|1[0-2])"
_ORDINAL = r"(?:st|nd|rd|th)?"
_YEAR = r"(?:(?:19|20)\d{2}|'?\d{2})"
_MONTH_NAME = rf"(?:{'|'.join(word_list('months'))})\b\.?"
# A date in digits is not part of a longer run of groups ("12-12-12-12" is not a date).
_NOT_AFTER_A_GROUP = r"(?<!\d[/.\- ]?)"
_NOT_BEFORE_A_GROUP = r"(?![/.\- ]?\d)"


class DateOfBirthRecognizer(PatternRecognizer):
    """Dates in the ways people write them, redacted only near "birth", "born" or "DOB".

    A date alone is a delivery date ("it should arrive on 12/12/2026", "delivered 3 March") and
    stays, so every pattern scores below the policy's threshold until a context word before it
    raises the score: "my date of birth is 04/07/1985", "DOB 4 July 1985", "born 1985-07-04".
    """

    PATTERNS = [
        Pattern(
            "day, month and year in digits",
            rf"{_NOT_AFTER_A_GROUP}\b{_DAY}([/.\- ]){_DAY}\1{_YEAR}\b{_NOT_BEFORE_A_GROUP}",
            0.2,
        ),
        Pattern(
            "year, month and day in digits",
            rf"{_NOT_AFTER_A_GROUP}\b(?:19|20)\d{{2}}([/.-]){_MONTH}\1{_DAY}\b{_NOT_BEFORE_A_GROUP}",
            0.2,
        ),
        # One pattern for both orders, so "July 4 July 4 ..." is not found twice over.
        Pattern(
            "day and month in words",
            rf"\b(?:{_DAY}{_ORDINAL}(?:\s+of)?[\s-]+{_MONTH_NAME}(?:,?[\s-]+{_YEAR}\b)?"
            rf"|{_MONTH_NAME}\s+(?:the\s+)?{_DAY}{_ORDINAL}\b(?:,?\s+{_YEAR}\b)?)",
            0.2,
        ),
    ]
    # Presidio matches these as parts of the words before a date: "birth" in "birthday", "dob" in "DOB:".
    CONTEXT = ["birth", "born", "dob", "d.o.b"]

    def __init__(self, patterns: Optional[List[Pattern]] = None, context: Optional[List[str]] = None) -> None:
        super().__init__(
            supported_entity="DATE_OF_BIRTH",
            patterns=patterns or self.PATTERNS,
            context=context or self.CONTEXT,
            supported_language="en",
        )
        self._mentions_birth = re.compile("|".join(re.escape(word) for word in self.context), re.IGNORECASE)

    def analyze(
        self,
        text: str,
        entities: List[str],
        nlp_artifacts: Optional[NlpArtifacts] = None,
        regex_flags: Optional[int] = None,
    ) -> List[RecognizerResult]:
        """Only a message that mentions birth can hold a date of birth, so no other is searched."""
        if not self._mentions_birth.search(text):
            return []
        return super().analyze(text, entities, nlp_artifacts, regex_flags)

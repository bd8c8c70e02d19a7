"""UK National Insurance numbers, whatever their prefix."""

from __future__ import annotations

from typing import List, Optional

from presidio_analyzer import Pattern
from presidio_analyzer.predefined_recognizers import UkNinoRecognizer


class NationalInsuranceNumberRecognizer(UkNinoRecognizer):
    """Two letters, six digits and A to D, in any spacing: "QQ 12 34 56 C", "AB123456C".

    Presidio's recognizer accepts only the prefixes HMRC issues, but customers type the ones it
    does not (the QQ of HMRC's own examples, a mistyped letter), and what they type is still an
    identifier.
    """

    PATTERNS = [Pattern("NINO, any prefix", r"\b[A-Z]{2}[ -]?\d{2}[ -]?\d{2}[ -]?\d{2}[ -]?[A-D]\b", 0.5)]

    def __init__(self, patterns: Optional[List[Pattern]] = None, context: Optional[List[str]] = None) -> None:
        super().__init__(patterns=patterns or self.PATTERNS, context=context)

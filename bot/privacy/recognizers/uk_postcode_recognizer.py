"""UK postcodes, by their shape."""

from __future__ import annotations

from typing import List, Optional

from presidio_analyzer import Pattern, PatternRecognizer

# Outward code (area letters, district digits) and inward code (digit, two letters): "AC1 4RT".
# Street addresses end with one too (`street_address_recognizer`).
UK_POSTCODE = r"(?:[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}|GIR\s?0AA)"


class UkPostcodeRecognizer(PatternRecognizer):
    """UK postcodes, by shape (fictional demo areas like AC or FB included)."""

    PATTERNS = [Pattern("UK postcode", rf"\b{UK_POSTCODE}\b", 0.5)]
    CONTEXT = ["postcode", "post code", "address"]

    def __init__(self, patterns: Optional[List[Pattern]] = None, context: Optional[List[str]] = None) -> None:
        super().__init__(
            supported_entity="POSTCODE",
            patterns=patterns or self.PATTERNS,
            context=context or self.CONTEXT,
            supported_language="en",
        )

"""Fernleaf customer numbers: `C` and five digits."""

from __future__ import annotations

from typing import List, Optional

from presidio_analyzer import Pattern, PatternRecognizer


class CustomerNumberRecognizer(PatternRecognizer):
    """Fernleaf customer numbers: `C` and five digits (C10001)."""

    PATTERNS = [Pattern("customer number", r"\bC\d{5}\b", 0.6)]
    CONTEXT = ["customer", "account", "number", "reference"]

    def __init__(self, patterns: Optional[List[Pattern]] = None, context: Optional[List[str]] = None) -> None:
        super().__init__(
            supported_entity="CUSTOMER_NUMBER",
            patterns=patterns or self.PATTERNS,
            context=context or self.CONTEXT,
            supported_language="en",
        )

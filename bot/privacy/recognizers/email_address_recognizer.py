"""Email addresses, internationalised domains included."""

from __future__ import annotations

from typing import List, Optional

from presidio_analyzer import Pattern
from presidio_analyzer.predefined_recognizers import EmailRecognizer


class EmailAddressRecognizer(EmailRecognizer):
    """Presidio's email recognizer (domain checked against the public suffix list), with IDN domains.

    Presidio's pattern allows one hyphen between the letters of a domain, so internationalised
    domains ("xn--bcher-kva.de") and names like "a--b.com" slipped through.
    """

    PATTERNS = [
        Pattern(
            "email address",
            r"\b((([!#$%&'*+\-/=?^_`{|}~\w])|([!#$%&'*+\-/=?^_`{|}~\w][!#$%&'*+\-/=?^_`{|}~\.\w]{0,}"
            r"[!#$%&'*+\-/=?^_`{|}~\w]))[@]\w+(-+\w+|\.\w+)*\.\w+(-+\w+|\.\w+)*)\b",
            0.5,
        )
    ]

    def __init__(self, patterns: Optional[List[Pattern]] = None, context: Optional[List[str]] = None) -> None:
        super().__init__(patterns=patterns or self.PATTERNS, context=context)

"""What the redactor finds in a message, as (entity type, the text it covers): one recognizer's view."""

from __future__ import annotations

from typing import Callable, List, Tuple

import pytest

from bot.privacy.redaction import Redactor

Found = Callable[[str], List[Tuple[str, str]]]


@pytest.fixture
def found(redactor: Redactor) -> Found:
    """Findings through the whole redactor, so policy thresholds and Presidio's context words count."""

    def find(text: str) -> List[Tuple[str, str]]:
        return [(finding.entity_type, text[finding.start : finding.end]) for finding in redactor.redact(text).findings]

    return find

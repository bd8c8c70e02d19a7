"""US ZIP codes and Indian PIN codes: digits that are a postal code because the customer says so."""

from __future__ import annotations

from typing import List, Optional, Set

import regex as re
from presidio_analyzer import Pattern, PatternRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from bot.privacy.recognizers.word_lists import word_list, word_set

# Not part of a longer number, a word, a price or a reference.
_START = r"(?<![\w£$€₹#.,/-])"
_END = r"(?![\w]|[.,:/-]\d)"
# Presidio's own numbers for a context word: added to the score, and the least it then is.
CONTEXT_BOOST = 0.35
MIN_SCORE_WITH_CONTEXT = 0.4
_WORD = re.compile(r"[a-z'-]+")


class PostalCodeRecognizer(PatternRecognizer):
    """Five digits (a ZIP code, "75204-3317" with its four more) or six (a PIN code, "600 028").

    Six digits are also the shop's order numbers, and five a quantity or a price, so the digits
    alone are not enough: one of the words in `words/postal_code_context_words.txt` must be among
    the `WORDS_BEFORE` words before them ("zip is 30307", "pin - 380015", "pincode 600 028").
    A ZIP+4 code is one by its shape. Context is read by whole words: Presidio's own reading
    would find "pin" in "shipping" and take an order number for a postcode.
    """

    PATTERNS = [
        Pattern("ZIP+4 code", rf"{_START}\d{{5}}-\d{{4}}{_END}", 0.5),
        Pattern("ZIP code", rf"{_START}\d{{5}}{_END}", 0.1),
        Pattern("PIN code", rf"{_START}[1-9]\d{{2}} ?\d{{3}}{_END}", 0.1),
    ]
    CONTEXT = word_list("postal_code_context_words")
    WORDS_BEFORE = 4
    # A reference word nearer than the context word claims the digits: "zip, and order 104502".
    # "Code" is no such word here, being the end of "pin code" and "zip code".
    REFERENCE_WORDS = word_set("reference_words") - {"code", "codes"}

    def __init__(self, patterns: Optional[List[Pattern]] = None, context: Optional[List[str]] = None) -> None:
        super().__init__(
            supported_entity="POSTCODE",
            patterns=patterns or self.PATTERNS,
            context=list(context or self.CONTEXT),
            supported_language="en",
        )

    def enhance_using_context(
        self,
        text: str,
        raw_recognizer_results: List[RecognizerResult],
        other_raw_recognizer_results: List[RecognizerResult],
        nlp_artifacts: NlpArtifacts,
        context: Optional[List[str]] = None,
    ) -> List[RecognizerResult]:
        """Raise digits that follow a word naming a postal code; leave the rest below any threshold."""
        words = {word.lower() for word in self.context}
        for result in raw_recognizer_results:
            before = _WORD.findall(text[max(0, result.start - 60) : result.start].lower())[-self.WORDS_BEFORE :]
            supporting = self._supporting_word(before, words)
            if supporting:
                result.score = max(result.score + CONTEXT_BOOST, MIN_SCORE_WITH_CONTEXT)
                result.analysis_explanation.set_supportive_context_word(supporting)
                result.analysis_explanation.set_improved_score(result.score)
            # Presidio's own context reading would match words inside words: it is skipped.
            result.recognition_metadata[RecognizerResult.IS_SCORE_ENHANCED_BY_CONTEXT_KEY] = True
        return raw_recognizer_results

    def _supporting_word(self, words_before: List[str], context: Set[str]) -> Optional[str]:
        """The nearest context word before the digits, unless a reference word comes first."""
        for word in reversed(words_before):
            if word in context:
                return word
            if word in self.REFERENCE_WORDS:
                return None
        return None

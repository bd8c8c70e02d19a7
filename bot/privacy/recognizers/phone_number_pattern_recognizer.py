"""What Candor's phone number recognizers share: how a number is written, and how context is read.

A phone number is digits with at most one separator between any two of them (a space, a dot, a
hyphen, a slash or a bracket), so "07911 123456", "06.12.34.56.78" and "(020) 7946 0018" are one
shape, counted by their digits. Counting digits, not groups, lets a pattern stop where the
number ends even when another number follows ("07911 123456 104502").

Context is read by whole words. Presidio's own reading matches a context word anywhere inside a
word ("ring" in "during", "cell" in "cancellation") and skips spaCy's stop words, among them
"call"; a recognizer here decides with the words themselves and tells Presidio it has decided.
"""

from __future__ import annotations

from typing import List, Optional, Sequence

import regex as re
from presidio_analyzer import Pattern, PatternRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from bot.privacy.recognizers.word_lists import word_list, word_set

# Between two digits: nothing, one separator, or a bracket with a space or hyphen beside it.
SEPARATOR = r"(?:[ .\-/]|\)[ .\-]?|[ .\-]?\()?"
# "x204", "ext. 12", "extn 3", "extension 5" or "#204" after the number.
EXTENSION = r"(?:,?[ ]?(?:x|ext\.?|extn\.?|extension|\#)[ ]?\d{1,6})?"
# Not inside a word, a price, a decimal or a reference ("#0123...", "RF-000105").
NOT_IN_A_WORD = r"(?<![\w+£$€¥₹#.,/-])"
# Not the middle of a longer run of digit groups.
NOT_IN_A_NUMBER = r"(?<!\d[ .\-/])"
# Not followed by letters or the rest of a decimal or a time. Another group of digits may follow:
# "07911 123456 104502" is a phone number and an order number.
NOT_BEFORE = r"(?![\w]|[.,:/]\d)"

# Presidio's own numbers for a context word: added to the score, and the least it then is.
CONTEXT_BOOST = 0.35
MIN_SCORE_WITH_CONTEXT = 0.4
# A phone number by its shape alone, or only near a word about phoning.
BY_SHAPE = 0.5
# A shape so plain a phone number's that it is one with fewer digits than `DIGITS_ALONE` asks.
SURE_BY_SHAPE = 0.6
IN_CONTEXT = 0.1

_WORD = re.compile(r"[a-z]+")
# A date and then more digits ("06/12/2026 12 lamps") is not a phone number.
_DATE_FIRST = re.compile(
    r"^(?:\d{1,2}([-./ ])\d{1,2}\1(?:19|20)\d\d|\d{1,2}/\d{1,2}/\d\d|(?:19|20)\d\d([-./ ])\d{1,2}\2\d{1,2})(?!\d)"
)


def digits(text: str) -> int:
    return sum(character.isdigit() for character in text)


class PhoneNumberPatternRecognizer(PatternRecognizer):
    """A phone number pattern recognizer that reads context by whole words and spares references.

    - `DIGITS`: how many digits a number of this kind has, fewest to most;
    - `DIGITS_ALONE`: from how many a shape is a phone number with no word about phoning near it
      (a pattern scoring `SURE_BY_SHAPE` or more is one with fewer);
    - a match whose pattern scores `IN_CONTEXT`, or with fewer digits, needs such a word within
      `WORDS_BEFORE` words before it or `WORDS_AFTER` after ("call me on", "is my mobile"), and
      none straight after a reference ("order 3707955617", "invoice number 0123456789").
    """

    PATTERNS: List[Pattern] = []
    CONTEXT: Sequence[str] = word_list("phone_context_words")
    DIGITS = (7, 15)
    DIGITS_ALONE = 10
    WORDS_BEFORE = 5
    WORDS_AFTER = 3
    # A reference word, then perhaps "number", "no", "is" ...: the number is that reference.
    REFERENCE_WORDS = word_set("reference_words")
    REFERENCE_FILLERS = word_set("reference_filler_words")

    def __init__(self, patterns: Optional[List[Pattern]] = None, context: Optional[List[str]] = None) -> None:
        super().__init__(
            supported_entity="PHONE_NUMBER",
            patterns=patterns or self.PATTERNS,
            context=list(context or self.CONTEXT),
            supported_language="en",
        )

    def validate_result(self, pattern_text: str) -> Optional[bool]:
        low, high = self.DIGITS
        if not low <= digits(_without_extension(pattern_text)) <= high or _DATE_FIRST.match(pattern_text):
            return False
        return None

    def enhance_using_context(
        self,
        text: str,
        raw_recognizer_results: List[RecognizerResult],
        other_raw_recognizer_results: List[RecognizerResult],
        nlp_artifacts: NlpArtifacts,
        context: Optional[List[str]] = None,
    ) -> List[RecognizerResult]:
        """Raise a number that needs context when a word about phoning is near and it is no reference."""
        context_words = {word.lower() for word in self.context}
        for result in raw_recognizer_results:
            before = _WORD.findall(text[max(0, result.start - 80) : result.start].lower())
            after = _WORD.findall(text[result.end : result.end + 60].lower())
            near = before[-self.WORDS_BEFORE :] + after[: self.WORDS_AFTER] + [word.lower() for word in context or []]
            found = _without_extension(text[result.start : result.end])
            needs_context = result.score < BY_SHAPE or (digits(found) < self.DIGITS_ALONE and result.score < SURE_BY_SHAPE)
            supporting = next((word for word in near if word in context_words), None)
            if needs_context:
                if supporting and not self._follows_a_reference(before):
                    result.score = max(result.score + CONTEXT_BOOST, MIN_SCORE_WITH_CONTEXT)
                    result.analysis_explanation.set_supportive_context_word(supporting)
                    result.analysis_explanation.set_improved_score(result.score)
                else:
                    result.score = min(result.score, IN_CONTEXT)
            # Presidio's own context reading would match words inside words: it is skipped.
            result.recognition_metadata[RecognizerResult.IS_SCORE_ENHANCED_BY_CONTEXT_KEY] = True
        return raw_recognizer_results

    def _follows_a_reference(self, words_before: List[str]) -> bool:
        """Whether the nearest words before, past "number", "no", "is" and the like, name a reference."""
        for word in reversed(words_before):
            if word not in self.REFERENCE_FILLERS:
                return word in self.REFERENCE_WORDS
        return False


_EXTENSION_AT_END = re.compile(rf"{EXTENSION}$", re.IGNORECASE)


def _without_extension(text: str) -> str:
    return _EXTENSION_AT_END.sub("", text)

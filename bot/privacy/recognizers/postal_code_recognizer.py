"""US ZIP codes and Indian PIN codes: digits that are a postal code because the customer says so,
or because they end an address."""

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
    Where an address is written out, its end says so instead: five digits right after a US state
    ("Phoenix, AZ 85004", "Austin, Texas 78701"), or five or six just after a street address
    another recognizer found ("22 MG Road, Kochi 682018"). A ZIP+4 code is one by its shape. Context is read by whole words: Presidio's own reading
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
    # The US states and territories, by their postal abbreviation ("AZ") and their name ("arizona").
    STATES = word_set("us_states")
    # How far after a street address its postal code may come: room for a town, a state, commas.
    AFTER_ADDRESS_CHARS = 40

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
        addresses = [other for other in other_raw_recognizer_results if other.entity_type == "STREET_ADDRESS"]
        for result in raw_recognizer_results:
            before = _WORD.findall(text[max(0, result.start - 60) : result.start].lower())[-self.WORDS_BEFORE :]
            supporting = (
                self._supporting_word(before, words)
                or self._state_before(text, result)
                or self._after_an_address(text, result, addresses)
            )
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

    def _state_before(self, text: str, result: RecognizerResult) -> Optional[str]:
        """The US state just before five digits ("AZ 85004", "new mexico, 87501"), if one is.

        An abbreviation counts in capitals only: in lower case "in", "me" and "or" are words.
        """
        if sum(character.isdigit() for character in text[result.start : result.end]) != 5:
            return None
        before = text[max(0, result.start - 30) : result.start]
        if not _ENDS_IN_A_WORD.search(before):
            return None
        words = _LETTERS.findall(before)
        last, last_two = words[-1], " ".join(words[-2:])
        if len(last) == 2:
            return last if last.isupper() and last.lower() in self.STATES else None
        return next((name for name in (last_two, last) if name.lower() in self.STATES), None)

    def _after_an_address(self, text: str, result: RecognizerResult, addresses: List[RecognizerResult]) -> Optional[str]:
        """"street address" if one ends just before the digits, with only a town or a state between."""
        for address in addresses:
            between = text[address.end : result.start]
            if address.end <= result.start and len(between) <= self.AFTER_ADDRESS_CHARS and _ONLY_PLACE_WORDS.fullmatch(between):
                if not set(_WORD.findall(between.lower())) & self.REFERENCE_WORDS:
                    return "street address"
        return None


# A word, then only a comma or spaces, just before the digits: "AZ ", "New Mexico, ".
_ENDS_IN_A_WORD = re.compile(r"[A-Za-z][,\s]+$")
_LETTERS = re.compile(r"[A-Za-z]+")
# Between an address and its postal code: words, commas, hyphens and line breaks, no sentence end or digit.
_ONLY_PLACE_WORDS = re.compile(r"[^\d.!?;:]*")

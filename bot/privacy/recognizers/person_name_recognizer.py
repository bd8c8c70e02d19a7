"""People's names, where the wording gives them away; there is no NER model to ask.

Candor runs spaCy blank (nothing is downloaded), so a name is found only by its wording: an
introduction ("my name is ..."), a title ("Mrs ..."), or a given name or surname from the lists
in `words/`. A name in none of those shapes is missed; `candor eval-redaction` reports how often.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_left
from typing import Iterable, List, Optional, Tuple

import regex as re
from presidio_analyzer import AnalysisExplanation, LocalRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc, Token

from bot.privacy.recognizers.word_lists import word_list, word_set


class PersonNameRecognizer(LocalRecognizer):
    """People's names where the wording gives them away; there is no NER model to ask.

    Five shapes, strongest first: after an introduction ("my name is sam", "call me Sam"),
    after a title ("Mrs Okafor"), after a casual introduction when the word is a known given
    name ("I'm priya"), a known given name or surname next to another capitalised word
    ("Grace Whitlock", "Thomas Wright"), and two capitalised words around a middle initial
    ("Zora K. Adamczyk"). Given names that are also everyday words ("Grace", "Will", "Olive")
    count only with a capitalised surname or an introduction. Accents are ignored when looking
    names up ("José" is "jose").
    """

    ENTITY = "PERSON"
    INTRODUCTIONS = word_list("name_introductions")
    CASUAL_INTRODUCTIONS = word_list("casual_introductions")
    TITLES = word_set("name_titles")
    NOT_NAMES = word_set("not_names")
    GIVEN_NAMES = word_set("given_names")
    AMBIGUOUS_GIVEN_NAMES = word_set("ambiguous_given_names")
    SURNAMES = word_set("surnames")
    # Surnames that are also street types: "Larkspur Lane" is an address, not a person.
    STREET_WORDS = word_set("street_types")
    # Given names that are also months ("Jan", "June"): beside a number they are a date.
    MONTHS = word_set("months")

    def __init__(self) -> None:
        super().__init__(supported_entities=[self.ENTITY], name="PersonNameRecognizer", supported_language="en")

    def load(self) -> None:
        self._introductions = _phrase_regex(self.INTRODUCTIONS)
        self._casual = _phrase_regex(self.CASUAL_INTRODUCTIONS)
        self._all_given_names = self.GIVEN_NAMES | self.AMBIGUOUS_GIVEN_NAMES

    def analyze(
        self, text: str, entities: List[str], nlp_artifacts: Optional[NlpArtifacts] = None
    ) -> List[RecognizerResult]:
        if self.ENTITY not in entities or nlp_artifacts is None or not nlp_artifacts.tokens:
            return []
        doc: Doc = nlp_artifacts.tokens
        starts = [token.idx for token in doc]
        found: List[Tuple[int, int, float, str]] = []
        for match in self._introductions.finditer(text):
            span = self._name_from(doc, bisect_left(starts, match.end()), any_case=True)
            found += [(*span, 0.85, "introduction")] if span else []
        for match in self._casual.finditer(text):
            index = bisect_left(starts, match.end())
            if index < len(doc) and self._is_given_name(doc[index]):
                span = self._name_from(doc, index, any_case=True, max_words=1, then_capitalised=2)
                found += [(*span, 0.75, "casual introduction and a given name")] if span else []
        for token in doc:
            found += self._after_title(doc, token) + self._known_name(doc, token) + self._with_initial(doc, token)
        return [self._result(start, end, score, reason) for start, end, score, reason in found]

    def _is_given_name(self, token: Token) -> bool:
        """A listed given name; one that is also an everyday word only when capitalised ("its page")."""
        name = _fold(token.text)
        return name in self.GIVEN_NAMES or (name in self.AMBIGUOUS_GIVEN_NAMES and _is_capitalised(token))

    def _after_title(self, doc: Doc, token: Token) -> List[Tuple[int, int, float, str]]:
        if token.lower_.rstrip(".") not in self.TITLES:
            return []
        index = token.i + 1
        if index < len(doc) and doc[index].text == "." and not token.whitespace_:
            index += 1
        # "Mrs okafor" but not "200 ms later": a lower-case title needs a capitalised name.
        span = self._name_from(doc, index, any_case=_is_capitalised(token), max_words=1, then_capitalised=2)
        return [(*span, 0.8, "title")] if span else []

    def _known_name(self, doc: Doc, token: Token) -> List[Tuple[int, int, float, str]]:
        """A listed given name (with what follows it) or a listed surname (with what precedes it)."""
        if not self._is_name_word(token) or self._is_month_of_a_date(doc, token):
            return []
        name = _fold(token.text)
        found: List[Tuple[int, int, float, str]] = []
        if name in self._all_given_names:
            if _is_capitalised(token):
                span = self._name_from(doc, token.i, any_case=False, max_words=1, then_capitalised=2)
                long_enough = span is not None and span[1] > token.idx + len(token.text)
                if span and (long_enough or name not in self.AMBIGUOUS_GIVEN_NAMES):
                    found.append((*span, 0.7, "known given name"))
            elif name not in self.AMBIGUOUS_GIVEN_NAMES and token.i + 1 < len(doc):
                surname = doc[token.i + 1]
                if _fold(surname.text) in self.SURNAMES and self._is_name_word(surname):
                    found.append((token.idx, _end(surname), 0.6, "known given name and surname"))
        if name in self.SURNAMES and name not in self.STREET_WORDS and _is_capitalised(token) and token.i > 0:
            given = doc[token.i - 1]
            if _is_capitalised(given) and self._is_name_word(given):
                found.append((given.idx, _end(token), 0.6, "known surname"))
        return found

    def _is_month_of_a_date(self, doc: Doc, token: Token) -> bool:
        """"arrive on 01 Jan", "Jun 2026": a month beside a number is a date, though Jan is a name."""
        if _fold(token.text) not in self.MONTHS:
            return False
        neighbours = (doc[i] for i in (token.i - 1, token.i + 1) if 0 <= i < len(doc))
        return any(neighbour.text[:1].isdigit() for neighbour in neighbours)

    def _with_initial(self, doc: Doc, token: Token) -> List[Tuple[int, int, float, str]]:
        """Given name, middle initial, surname: "Mijail C. Adomo" is a person whatever the names."""
        if not (_is_capitalised(token) and self._is_name_word(token)) or not _is_initial(doc, token.i + 1):
            return []
        after = token.i + (3 if token.i + 2 < len(doc) and doc[token.i + 2].text == "." else 2)
        if after < len(doc) and _is_capitalised(doc[after]) and self._is_name_word(doc[after]):
            return [(token.idx, _end(doc[after]), 0.6, "name with a middle initial")]
        return []

    def _name_from(
        self, doc: Doc, index: int, *, any_case: bool, max_words: int = 3, then_capitalised: int = 0
    ) -> Optional[Tuple[int, int]]:
        """The character span of the name starting at token `index`, if one starts there.

        Takes up to `max_words` name words (any case, or capitalised only), then up to
        `then_capitalised` more that are capitalised, or known surnames when the customer writes
        in lower case ("i'm priya sharma" but not "Olive wood"); initials ("C.") may sit between.
        """
        words: List[Token] = []
        limit = max_words + then_capitalised
        while index < len(doc) and len(words) < limit:
            token = doc[index]
            lower_case_surname = bool(words) and not _is_capitalised(words[0]) and _fold(token.text) in self.SURNAMES
            if self._is_name_word(token) and (
                (any_case and len(words) < max_words) or _is_capitalised(token) or lower_case_surname
            ):
                words.append(token)
                index += 1
            elif words and _is_initial(doc, index):
                index += 2 if index + 1 < len(doc) and doc[index + 1].text == "." else 1
            elif words and token.text in ("-", "'", "’") and not doc[index - 1].whitespace_ and not token.whitespace_:
                index += 1  # double-barrelled: Smith-Jones
            else:
                break
        if not words:
            return None
        return words[0].idx, words[-1].idx + len(words[-1].text)

    def _is_name_word(self, token: Token) -> bool:
        text = token.text.replace("'", "").replace("’", "")
        lower = token.lower_
        return (
            len(text) >= 2
            and text.isalpha()
            and lower not in STOP_WORDS
            and lower not in self.NOT_NAMES
            and lower.rstrip(".") not in self.TITLES
        )

    def _result(self, start: int, end: int, score: float, reason: str) -> RecognizerResult:
        explanation = AnalysisExplanation(
            recognizer=self.name, original_score=score, textual_explanation=f"person's name: {reason}"
        )
        return RecognizerResult(self.ENTITY, start, end, score, analysis_explanation=explanation)


def _phrase_regex(phrases: Iterable[str]) -> re.Pattern:
    """Any of `phrases` as whole words, typed with either apostrophe, then spaces or a comma."""
    alternatives = sorted((re.escape(p).replace("'", "['’]") for p in phrases), key=len, reverse=True)
    return re.compile(rf"\b(?:{'|'.join(alternatives)})\b[\s,:]*", re.IGNORECASE)


def _fold(word: str) -> str:
    """Lower case without accents, so "José" is found as "jose" in the lists."""
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c)).lower()


def _end(token: Token) -> int:
    return token.idx + len(token.text)


def _is_capitalised(token: Token) -> bool:
    return token.text[:1].isupper()


def _is_initial(doc: Doc, index: int) -> bool:
    """A middle initial: one capital letter, maybe with its full stop, with more name after it."""
    if index + 1 >= len(doc):
        return False
    text = doc[index].text.rstrip(".")
    return len(text) == 1 and text.isupper()

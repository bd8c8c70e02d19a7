"""Text cut to sizes NLP work handles in linear time, without dropping a character.

Two costs grow with the square of what one call sees, so one long message could hold the whole
Rasa server (20,000 emoji took 40 s in the distress detector; 20,000 characters of postcodes took
11 s in redaction):

* spaCy's tokenizer, on one run of characters without whitespace that it splits into many
  tokens (emoji, quotes, "'s's's"): it peels one token at a time off the run, copying the rest.
  `bounded_doc` (and `BoundedTokenizer`, for pipelines Candor does not call itself) hands the
  tokenizer such runs in parts of at most `max_run_chars`; the Doc's text is the original text,
  character for character, with a token boundary where a run was cut.
* Presidio's analyzer and anonymizer, in the number of findings in one text: `pieces` cuts a long
  text into consecutive pieces of at most `max_piece_chars`, at a line end if it can, else a
  sentence end, else between words, and only inside a word when a word is longer than a piece.

Short everyday messages are one piece with no long run, so they are processed exactly as before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, List, Tuple

from spacy.tokens import Doc

# Where a piece may end, best first: after a line break, after a sentence's closing
# punctuation and the space after it, after any whitespace.
_LINE_END = re.compile(r"\n")
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\s")
_WORD_END = re.compile(r"\s")
_BOUNDARIES = (_LINE_END, _SENTENCE_END, _WORD_END)

Span = Tuple[int, int]
_TOKENIZER_ATTRS = ["ORTH", "NORM"]  # and whitespace, which from_docs always keeps


@dataclass(frozen=True)
class TextBounds:
    """How much text one NLP call may see.

    `max_piece_chars`: the longest piece of a message analysed in one call. `max_run_chars`: the
    longest run without whitespace handed to spaCy's tokenizer in one go. `context_chars`: how
    much of the neighbouring text a piece is analysed with, for work that needs to see across a
    cut (redaction); the analysed text is then up to `max_piece_chars + 2 * context_chars` long.
    """

    max_piece_chars: int
    max_run_chars: int
    context_chars: int = 0

    def __post_init__(self) -> None:
        for name, least in (("max_piece_chars", 1), ("max_run_chars", 1), ("context_chars", 0)):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < least:
                raise ValueError(f"{name} must be a whole number of characters, at least {least} (got {value!r})")

    @property
    def max_analysed_chars(self) -> int:
        """The most text one call sees: a piece and its context on both sides."""
        return self.max_piece_chars + 2 * self.context_chars


def pieces(text: str, max_chars: int) -> List[Span]:
    """(start, end) of consecutive pieces that cover `text` exactly, none longer than `max_chars`.

    Each piece ends at the last good boundary in the second half of its allowance (so pieces are
    never needlessly short): a line end, else a sentence end, else whitespace, else a hard cut.
    """
    if max_chars < 1:
        raise ValueError(f"max_chars must be at least 1 (got {max_chars})")
    spans: List[Span] = []
    start = 0
    while len(text) - start > max_chars:
        end = _cut(text, start + max_chars // 2, start + max_chars)
        spans.append((start, end))
        start = end
    spans.append((start, len(text)))
    return spans


def _cut(text: str, earliest: int, latest: int) -> int:
    """The best place to end a piece in text[earliest:latest]: just after its last best boundary."""
    for boundary in _BOUNDARIES:
        last = None
        for last in boundary.finditer(text, earliest, latest):
            pass
        if last is not None:
            return last.end()
    return latest


def run_cuts(text: str, max_run: int) -> List[int]:
    """Positions inside runs without whitespace longer than `max_run`, every `max_run` characters."""
    if max_run < 1:
        raise ValueError(f"max_run must be at least 1 (got {max_run})")
    cuts: List[int] = []
    for run in re.finditer(r"\S{%d,}" % (max_run + 1), text):
        cuts.extend(range(run.start() + max_run, run.end(), max_run))
    return cuts


def bounded_doc(tokenizer: Callable[[str], Doc], text: str, max_run: int) -> Doc:
    """`tokenizer(text)`, with every run longer than `max_run` tokenized in parts of that length.

    The Doc's text is `text` exactly (offsets stay valid); a token boundary falls wherever a long
    run was cut. A text without long runs is tokenized in one call, exactly as before.
    """
    cuts = run_cuts(text, max_run)
    if not cuts:
        return tokenizer(text)
    bounds = [0, *cuts, len(text)]
    docs = [tokenizer(text[start:end]) for start, end in zip(bounds, bounds[1:])]
    # Only what a tokenizer sets: from_docs would otherwise mark where each part began as the
    # start of a sentence.
    return Doc.from_docs(docs, ensure_whitespace=False, attrs=_TOKENIZER_ATTRS)


class BoundedTokenizer:
    """A spaCy tokenizer that never sees a run longer than `max_run`, for `nlp.tokenizer = ...`.

    spaCy lets a pipeline's tokenizer be any callable from text to Doc; this one wraps the
    pipeline's own, so pipelines Candor hands to a library (Presidio's) are bounded too.
    """

    def __init__(self, tokenizer: Callable[[str], Doc], max_run: int) -> None:
        self.tokenizer = tokenizer
        self.max_run = max_run

    def __call__(self, text: str) -> Doc:
        return bounded_doc(self.tokenizer, text, self.max_run)

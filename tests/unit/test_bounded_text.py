"""Long text is cut into bounded pieces and runs that cover it exactly, at the best places available."""

from __future__ import annotations

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.bounded_text import BoundedTokenizer, TextBounds, bounded_doc, pieces, run_cuts

NLP = spacy.blank("en")


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=st.sampled_from("ab .!?\n😀'"), max_size=400), max_chars=st.integers(1, 60))
def test_pieces_cover_the_text_exactly_and_none_is_too_long(text: str, max_chars: int) -> None:
    spans = pieces(text, max_chars)

    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(end == next_start for (_, end), (next_start, _) in zip(spans, spans[1:]))
    assert all(0 < end - start <= max_chars for start, end in spans) or text == ""


def test_a_text_that_fits_is_one_piece() -> None:
    assert pieces("where is my order?", 100) == [(0, 18)]


def test_a_piece_ends_at_a_line_end_before_a_sentence_end() -> None:
    text = "first line. still the first\nsecond line. and more words here"

    (start, end), *_ = pieces(text, 40)

    assert text[start:end] == "first line. still the first\n"


def test_a_piece_ends_at_a_sentence_end_before_a_space() -> None:
    text = "My parcel is very late again. It was due on Monday and it has not come"

    (start, end), *_ = pieces(text, 40)

    assert text[start:end] == "My parcel is very late again. "


def test_without_a_line_or_sentence_end_a_piece_ends_between_words() -> None:
    text = "one two three four five six seven eight nine ten"

    (start, end), *_ = pieces(text, 20)

    assert text[start:end] == "one two three four "


def test_a_run_longer_than_a_piece_is_cut_inside() -> None:
    assert pieces("x" * 25, 10) == [(0, 10), (10, 20), (20, 25)]


def test_pieces_are_not_needlessly_short() -> None:
    text = "a. " + "b" * 50

    assert pieces(text, 20)[0] == (0, 20)  # the sentence end at 3 is too early to be worth it


def test_long_runs_are_cut_every_max_run_characters_and_short_ones_never() -> None:
    text = "short " + "x" * 25 + " tail"

    assert run_cuts(text, 10) == [16, 26]
    assert run_cuts("every word here is short", 10) == []


@pytest.mark.parametrize(
    "text",
    ["😀" * 200, "hello " + "'s" * 150 + " world", "a" * 301, "  spaces  " + "\"" * 90 + "\n\n x", "", "just words"],
)
def test_a_bounded_doc_has_exactly_the_texts_characters(text: str) -> None:
    doc = bounded_doc(NLP.tokenizer, text, 32)

    assert doc.text == text
    assert all(token.idx == text.index(token.text, token.idx) for token in doc)


def test_a_text_without_long_runs_is_tokenized_exactly_as_before() -> None:
    text = "I'm not suicidal, just cross: where's order 104512? 😀😀"

    assert [t.text for t in bounded_doc(NLP.tokenizer, text, 32)] == [t.text for t in NLP.make_doc(text)]


class Recording:
    """A tokenizer that remembers what it was given."""

    def __init__(self) -> None:
        self.texts: list = []

    def __call__(self, text: str) -> spacy.tokens.Doc:
        self.texts.append(text)
        return NLP.tokenizer(text)


def test_the_tokenizer_never_sees_a_run_longer_than_the_limit_and_sees_every_character() -> None:
    recording = Recording()
    text = "hi " + "😀" * 1000 + " there " + "'s" * 500

    BoundedTokenizer(recording, 50)(text)

    assert max(len(run) for seen in recording.texts for run in seen.split()) <= 50
    assert "".join(recording.texts) == text


def test_a_pipeline_with_a_bounded_tokenizer_still_runs_its_components() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.tokenizer = BoundedTokenizer(nlp.tokenizer, 16)

    doc = nlp("First sentence. " + "x" * 40 + " second.")

    assert len(list(doc.sents)) == 2
    assert doc.text == "First sentence. " + "x" * 40 + " second."


@pytest.mark.parametrize(
    "settings, problem",
    [
        ({"max_piece_chars": 0, "max_run_chars": 10}, "max_piece_chars"),
        ({"max_piece_chars": 100, "max_run_chars": "ten"}, "max_run_chars"),
        ({"max_piece_chars": 100, "max_run_chars": 10, "context_chars": -1}, "context_chars"),
        ({"max_piece_chars": True, "max_run_chars": 10}, "max_piece_chars"),
    ],
)
def test_limits_that_are_not_whole_positive_numbers_are_refused_by_name(settings: dict, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        TextBounds(**settings)


def test_what_one_call_may_analyse_is_a_piece_and_its_context_on_both_sides() -> None:
    assert TextBounds(max_piece_chars=500, max_run_chars=64, context_chars=50).max_analysed_chars == 600

"""The domain language model: a proper probability model, and only of words the recogniser knows."""

from __future__ import annotations

from typing import Dict, Tuple

import pytest

from accessibility.speech.language_model import START, build_arpa

SENTENCES = [["where", "is", "my", "order"], ["where", "is", "my", "refund"], ["cancel", "my", "order"], ["yes"]]

Gram = Tuple[str, ...]


def sections(arpa: str) -> Dict[Gram, Tuple[float, float]]:
    """Every n-gram in `arpa`: (log10 probability, log10 backoff weight)."""
    grams, n = {}, 0
    for line in arpa.splitlines():
        if line.endswith("-grams:"):
            n = int(line[1])
        elif n and line.strip() and not line.startswith("\\"):
            fields = line.split("\t")
            grams[tuple(fields[1].split())] = (float(fields[0]), float(fields[2]) if len(fields) > 2 else 0.0)
    return grams


def logprob(grams: Dict[Gram, Tuple[float, float]], gram: Gram) -> float:
    """ARPA backoff: the n-gram's own probability, or the context's weight times the shorter one's."""
    if gram in grams:
        return grams[gram][0]
    return grams.get(gram[:-1], (0.0, 0.0))[1] + logprob(grams, gram[1:])


def test_after_every_context_the_probabilities_add_up_to_one() -> None:
    grams = sections(build_arpa(SENTENCES, known=lambda word: True))
    words = [gram[0] for gram in grams if len(gram) == 1 and gram != (START,)]
    contexts = [gram for gram in grams if len(gram) < 3 and gram[-1] != "</s>"]

    for context in contexts:
        assert sum(10 ** logprob(grams, context + (word,)) for word in words) == pytest.approx(1.0, abs=1e-4)


def test_what_the_data_says_often_is_more_likely() -> None:
    grams = sections(build_arpa(SENTENCES, known=lambda word: True))

    assert logprob(grams, ("is", "my", "order")) > logprob(grams, ("is", "my", "yes"))


def test_words_the_recogniser_does_not_know_are_left_out_with_their_ngrams() -> None:
    grams = sections(build_arpa([["cancel", "order", "xq", "now"]], known=lambda word: word != "xq"))

    assert not any("xq" in gram for gram in grams)
    assert ("cancel", "order") in grams and ("now", "</s>") in grams
    assert ("order", "now") not in grams


def test_training_data_with_no_known_word_is_refused_with_a_reason() -> None:
    with pytest.raises(ValueError, match="no sentence"):
        build_arpa([["xq"]], known=lambda word: False)

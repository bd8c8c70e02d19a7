"""A small domain language model for open transcription, built from Candor's own training data.

pocketsphinx's general English model expects news and dictation; callers to a shop say "where is
my order" and "I want a refund". A trigram model of the example sentences in `data/nlu/` tells the
recogniser which words follow which *here*, so it has far fewer wrong sentences to choose from.

The model is an interpolated Witten-Bell trigram (Witten & Bell 1991; as in SRILM's `-wbdiscount
-interpolate`), written as an ARPA backoff file, which pocketsphinx reads. Witten-Bell needs no
tuned discount: how much probability a context keeps for words never seen after it is set by how
many *different* words were seen after it, which suits a corpus of a few thousand sentences.

In a context h with c(h) occurrences followed by T(h) distinct words:

    P(w | h) = (c(h, w) + T(h) * P(w | h')) / (c(h) + T(h))     where h' is h without its oldest word

and in ARPA form the backoff weight of h is simply T(h) / (c(h) + T(h)). Unigrams interpolate the
same way with the uniform distribution over the vocabulary.

Only words in the recogniser's dictionary can be recognised, so an n-gram with any other word in
it (a typo, a shop name) is not counted; the words around it still are.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Callable, Dict, Iterable, List, Sequence, Tuple

ORDER = 3
START, END = "<s>", "</s>"
# ARPA's stand-in for log10(0): <s> is never predicted, only conditioned on.
NEVER = -99.0

Gram = Tuple[str, ...]


def build_arpa(sentences: Iterable[Sequence[str]], known: Callable[[str], bool], order: int = ORDER) -> str:
    """The ARPA text of an interpolated Witten-Bell `order`-gram model of `sentences` (lists of
    words), leaving out every n-gram that has a word for which `known(word)` is false."""
    counts: List[Counter] = [Counter() for _ in range(order + 1)]  # counts[n][gram], n = 1..order
    for words in sentences:
        tokens = [START, *words, END]
        for n in range(1, order + 1):
            for i in range(len(tokens) - n + 1):
                gram = tuple(tokens[i : i + n])
                if all(token in (START, END) or known(token) for token in gram):
                    counts[n][gram] += 1
    if not any(gram[0] not in (START, END) for gram in counts[1]):
        raise ValueError("no sentence has a word the recogniser knows; is the training data empty?")

    # Per context: how often it was followed by anything, and by how many different words.
    seen: List[Counter] = [Counter() for _ in range(order + 1)]
    types: List[Counter] = [Counter() for _ in range(order + 1)]
    for n in range(2, order + 1):
        for gram, count in counts[n].items():
            seen[n][gram[:-1]] += count
            types[n][gram[:-1]] += 1

    vocabulary = sorted({gram[0] for gram in counts[1]} | {START, END})
    predicted = [word for word in vocabulary if word != START]
    total, distinct = sum(c for g, c in counts[1].items() if g != (START,)), len(predicted)
    prob: Dict[Gram, float] = {}
    for word in predicted:
        prob[(word,)] = (counts[1][(word,)] + distinct / len(predicted)) / (total + distinct)
    for n in range(2, order + 1):
        for gram, count in counts[n].items():
            context = gram[:-1]
            lower = prob[gram[1:]]
            prob[gram] = (count + types[n][context] * lower) / (seen[n][context] + types[n][context])

    def backoff(context: Gram) -> float:
        n = len(context) + 1
        return types[n][context] / (seen[n][context] + types[n][context])

    lines = ["\\data\\"]
    grams_by_order = [sorted(g for g in prob if len(g) == n) for n in range(1, order + 1)]
    grams_by_order[0] = [(word,) for word in vocabulary]
    for n, grams in enumerate(grams_by_order, start=1):
        lines.append(f"ngram {n}={len(grams)}")
    for n, grams in enumerate(grams_by_order, start=1):
        lines += ["", f"\\{n}-grams:"]
        for gram in grams:
            logprob = NEVER if gram == (START,) else math.log10(prob[gram])
            line = f"{logprob:.6f}\t{' '.join(gram)}"
            if n < order and gram in types[n + 1]:
                line += f"\t{math.log10(backoff(gram)):.6f}"
            lines.append(line)
    lines += ["", "\\end\\", ""]
    return "\n".join(lines)

"""The word lists beside the recognizers (`words/*.txt`), each read once per process.

Names, titles and street types are data, so a team adds a surname or a street type by editing a
text file, not a pattern. One entry a line, kept in the order written (some become regular
expression alternatives); `#` starts a comment line, blank lines are skipped.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import FrozenSet, Tuple

WORDS_DIR = Path(__file__).parent / "words"


@lru_cache(maxsize=None)
def word_list(name: str) -> Tuple[str, ...]:
    """The entries of `words/<name>.txt`, in file order."""
    path = WORDS_DIR / f"{name}.txt"
    if not path.is_file():
        raise FileNotFoundError(f"word list {path} is missing: restore it, or remove the recognizer that reads it")
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return tuple(line for line in lines if line and not line.startswith("#"))


def word_set(name: str) -> FrozenSet[str]:
    """The entries of `words/<name>.txt`, for membership tests."""
    return frozenset(word_list(name))

"""Listening offline: pocketsphinx 5 (its own US English acoustic model, shipped in the wheel).

Two searches run over what a caller said, both built from Candor's own training data:

- open transcription with a domain language model: a trigram model of every example sentence in
  `data/nlu/` (plus the short answers below), so the recogniser expects "where is my order" rather
  than the news and dictation its general English model was made for (`language_model.py`);
- a grammar of the short answers the training data already lists (yes and no, thanks, "speak
  slower", a person on request), the numbers that pick a choice, and the words that always reach
  a person ("agent", "operator", "zero").

The domain model decides what kind of utterance it was: if it heard a sentence, that is the
transcript, however short the audio (no utterance is forced into the grammar by its length). If it
heard at most two words, the caller gave a short answer, and the grammar, which can only choose
among the answers, says which one, unless the domain model's own words already are one of them.

The recogniser is not thread-safe: one decoder per `Transcriber`, used by one thread at a time. A
decoder that fails on a recording is rebuilt at once, so no recording can leave it unusable. The
voice channel runs transcribers in processes of their own (`listening.py`): pocketsphinx holds
Python's GIL while it decodes.
"""

from __future__ import annotations

import re
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, List, Optional, Sequence, Set

import yaml

from accessibility.choices import WORDS as CHOICE_WORDS
from accessibility.speech.audio import Recording
from accessibility.speech.language_model import build_arpa

if TYPE_CHECKING:
    from pocketsphinx import Decoder

# Intents whose short examples a caller says on their own, as answers.
SHORT_ANSWER_INTENTS = (
    "affirm", "deny", "contact_human_agent", "speak_slower", "speak_faster", "greet", "goodbye",
    "thank", "stop", "ask_why", "report_wrong_answer", "bot_challenge",
)
# Said on their own, these always reach a person (bot/channels/voice.py).
HANDOFF_WORDS = ("agent", "person", "operator", "zero", "human")
MAX_ANSWER_WORDS = 2
# The training data is written chat; the language model is of speech. Chat spellings become the
# words a caller says, and single letters other than "a" and "I" (pieces of e-mail addresses and
# postcodes in the examples) are left out of the model.
SPOKEN_FORMS = {
    "u": "you", "ur": "your", "r": "are", "abt": "about", "pls": "please", "plz": "please",
    "thx": "thanks", "ty": "thank you", "msg": "message", "acct": "account",
}
SPOKEN_LETTERS = {"a", "i"}
ENTITY_MARKUP = re.compile(r"\[([^\]]+)\]\([^)]*\)|\[([^\]]+)\]\{[^}]*\}")


@dataclass(frozen=True)
class Transcript:
    """What was heard, and how: "open" (the domain language model) or "grammar" (the short answers)."""

    text: str
    method: str


def short_answers(nlu_dir: Path, intents: Sequence[str] = SHORT_ANSWER_INTENTS) -> List[str]:
    """The short answers a caller may give, from the training examples of `intents`, plus the
    handoff words and the numbers that pick a choice."""
    answers: Set[str] = set(HANDOFF_WORDS) | set(CHOICE_WORDS) | {f"number {word}" for word in CHOICE_WORDS}
    for example in _examples(nlu_dir, set(intents)):
        words = spoken_words(example)
        if 0 < len(words) <= MAX_ANSWER_WORDS:
            answers.add(" ".join(words))
    return sorted(answers)


def spoken_sentences(nlu_dir: Path) -> List[List[str]]:
    """Every example sentence of every intent in `nlu_dir`, entity markup stripped, as the words a
    caller would say (see `SPOKEN_FORMS`)."""
    sentences = []
    for example in _examples(nlu_dir):
        words = " ".join(SPOKEN_FORMS.get(word, word) for word in spoken_words(example)).split()
        if words:
            sentences.append(words)
    return sentences


def _examples(nlu_dir: Path, intents: Optional[Set[str]] = None) -> Iterable[str]:
    for path in sorted(Path(nlu_dir).glob("*.yml")):
        for item in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu") or []:
            if item.get("intent") and (intents is None or item["intent"] in intents):
                for line in str(item.get("examples") or "").splitlines():
                    line = line.strip()
                    if line.startswith("- "):
                        yield ENTITY_MARKUP.sub(lambda m: m.group(1) or m.group(2), line[2:])


def spoken_words(text: str) -> List[str]:
    """The words of `text` as a recogniser hears them: lower case, no punctuation."""
    return re.findall(r"[a-z]+(?:'[a-z]+)?", text.lower().replace("’", "'"))


class TranscriptionFailed(RuntimeError):
    """The recogniser failed on a recording. It has been rebuilt: the next recording is heard."""


class Transcriber:
    """A pocketsphinx decoder with two searches: the domain language model and the short-answer grammar."""

    def __init__(self, answers: Sequence[str], sentences: Sequence[Sequence[str]] = ()) -> None:
        self._decoder = _new_decoder()
        self.answers = [answer for answer in answers if all(self._known(word) for word in answer.split())]
        # Building the model takes a few tenths of a second: no cache is worth keeping. It is kept
        # in memory, so a decoder that failed is rebuilt with exactly the same searches.
        self._language_model = build_arpa([*sentences, *(answer.split() for answer in self.answers)], self._known)
        self._add_searches(self._decoder)
        self._lock = threading.Lock()

    @classmethod
    def from_training_data(cls, nlu_dir: Path) -> "Transcriber":
        """The short answers and the domain language model, both from the examples in `nlu_dir`."""
        return cls(short_answers(nlu_dir), spoken_sentences(nlu_dir))

    def _known(self, word: str) -> bool:
        return (len(word) > 1 or word in SPOKEN_LETTERS) and self._decoder.lookup_word(word) is not None

    def _add_searches(self, decoder: "Decoder") -> None:
        decoder.add_jsgf_string("answers", grammar(self.answers))
        with tempfile.NamedTemporaryFile("w", suffix=".arpa", encoding="utf-8") as model:
            model.write(self._language_model)
            model.flush()
            decoder.add_lm_file("domain", model.name)

    def transcribe(self, recording: Recording) -> Transcript:
        """What the caller said: a sentence as the domain model heard it, or the short answer
        it was ("" if nothing was heard). Raises TranscriptionFailed, with the decoder rebuilt."""
        with self._lock:
            try:
                return self._heard(recording.samples)
            except Exception as error:
                # A decoder that failed may refuse every later search ("Unable to set search"):
                # a new one, so that one bad recording never deafens Candor to the next caller.
                self._decoder = _new_decoder()
                self._add_searches(self._decoder)
                failure = f"the recogniser failed ({type(error).__name__}: {error}) and was restarted"
                raise TranscriptionFailed(failure) from error

    def _heard(self, samples: bytes) -> Transcript:
        heard = self._decode("domain", samples)
        if len(heard.split()) > MAX_ANSWER_WORDS or heard in self.answers:
            return Transcript(heard, "open")
        # The domain model heard a short answer but not a known one: the grammar, which can only
        # choose among the answers, says which.
        answer = self._decode("answers", samples)
        if answer:
            return Transcript(answer, "grammar")
        return Transcript(heard, "open")

    def _decode(self, search: str, samples: bytes) -> str:
        self._decoder.activate_search(search)
        self._decoder.start_utt()
        try:
            self._decoder.process_raw(samples, full_utt=True)
        finally:
            self._decoder.end_utt()  # never left mid-utterance, whatever the samples did
        hypothesis = self._decoder.hyp()
        return hypothesis.hypstr.strip() if hypothesis is not None else ""


def _new_decoder() -> "Decoder":
    from pocketsphinx import Decoder

    return Decoder(loglevel="FATAL")


def grammar(answers: Sequence[str]) -> str:
    """A JSGF grammar that accepts exactly one of `answers`."""
    alternatives = " | ".join(answers)
    return f"#JSGF V1.0;\ngrammar answers;\npublic <answer> = {alternatives};\n"


_shared: Optional[Transcriber] = None
_shared_lock = threading.Lock()


def shared_transcriber(nlu_dir: Path) -> Transcriber:
    """The process's transcriber (building and loading the models takes about a second), made on first use."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = Transcriber.from_training_data(nlu_dir)
        return _shared

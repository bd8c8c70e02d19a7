"""`candor bench-voice`: how quickly a caller hears an answer, and how well Candor hears callers.

Speed: every response in the domain, voiced and cut into parts exactly as the voice channel does,
synthesized through the channel's own code into a fresh cache (cold: nothing synthesized yet),
then again (cached). The time measured is from handing the reply to the channel to the moment
its last WAV is complete and playable, per reply. It excludes the assistant's own thinking.

Hearing: each phrase of a list (default `accessibility/speech/bench_phrases.txt`) spoken by two
espeak-ng US voices (a male and a female one, so the numbers are not about one voice) and
transcribed by the channel's transcriber; accuracy is the share heard exactly, for the short
answers and the longer sentences apart, and for sentences also the word error rate (word
substitutions, deletions and insertions over the words said). Punctuation and case are ignored.
Synthetic speech is not a caller on a phone line: read the numbers as an upper bound.
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

from accessibility.speech.transcription import spoken_words
from bot.cli.errors import CommandError
from bot.cli.percentiles import nearest_rank_percentile
from bot.settings import PROJECT_ROOT

PHRASES = PROJECT_ROOT / "accessibility" / "speech" / "bench_phrases.txt"
VOICES = ("en-us", "en-us+f2")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "bench-voice", help="time to playable audio (cold and cached) and transcription accuracy",
        description=__doc__.split("\n\n")[0],
    )
    parser.add_argument("--phrases", type=Path, default=PHRASES, help="phrases to transcribe, one a line")
    parser.add_argument("--voices", nargs="+", default=list(VOICES), help="espeak-ng voices that say the phrases")
    parser.add_argument("--replies", type=int, default=60, help="how many domain responses to speak (0: all)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if not args.phrases.is_file():
        raise CommandError(f"no phrase list at {args.phrases}; give one with --phrases")
    replies = domain_replies()[: args.replies or None]
    cold, cached = asyncio.run(time_to_audio(replies))
    print(f"time from reply to playable audio, {len(replies)} replies (ms):")
    for name, times in (("cold", cold), ("cached", cached)):
        print(f"  {name:7} p50 {nearest_rank_percentile(times, 50):8.1f}   p95 {nearest_rank_percentile(times, 95):8.1f}")
    groups = read_phrases(args.phrases)
    for voice in args.voices:
        print(f"transcription of espeak-ng speech, voice {voice} (exact match; WER for sentences):")
        for group, result in transcription_accuracy(groups, voice).items():
            wer = f"   WER {result.word_error_rate:.0%}" if group == "sentences" else ""
            print(f"  {group:13} {result.heard}/{result.total} = {result.heard / result.total:.0%}{wer}")
            for said, got in result.misses:
                print(f"      said {said!r}, heard {got!r}")
    return 0


def domain_replies() -> List[Dict[str, object]]:
    """Every response's standard variant, as the assistant would send it."""
    from rasa.shared.core.domain import Domain

    domain = Domain.load(str(PROJECT_ROOT / "bot" / "domain"))
    replies = []
    for variants in domain.responses.values():
        standard = [v for v in variants if not v.get("condition") and v.get("text")]
        if standard:
            replies.append({"text": standard[0]["text"], "buttons": standard[0].get("buttons") or []})
    return replies


async def time_to_audio(replies: Sequence[Dict[str, object]]) -> Tuple[List[float], List[float]]:
    """Milliseconds per reply until its audio is playable: into an empty cache, then from it."""
    from bot.channels.voice import VoiceInput, VoiceSettings

    with tempfile.TemporaryDirectory(prefix="candor-bench-voice-") as cache:
        channel = VoiceInput(VoiceSettings(cache_directory=Path(cache)))
        rate = channel.settings.rate.at(0)
        passes: List[List[float]] = []
        for _ in ("cold", "cached"):
            times = []
            for reply in replies:
                started = time.perf_counter()
                parts = await channel.spoken([dict(reply)], rate)
                times.append((time.perf_counter() - started) * 1000)
                if any(part.audio is None for part in parts):
                    raise CommandError("synthesis failed; is espeak-ng installed? (see the log above)")
            passes.append(times)
    return passes[0], passes[1]


def read_phrases(path: Path) -> Dict[str, List[str]]:
    """Phrases by group: up to the "Longer" comment, short answers; after it, sentences."""
    groups: Dict[str, List[str]] = {"short answers": [], "sentences": []}
    group = "short answers"
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# Longer"):
            group = "sentences"
        elif line.strip() and not line.startswith("#"):
            groups[group].append(line.strip())
    return groups


@dataclass(frozen=True)
class Accuracy:
    """How well one group of phrases was heard."""

    heard: int
    total: int
    misses: List[Tuple[str, str]]
    errors: int  # word substitutions, deletions and insertions
    words: int  # words said

    @property
    def word_error_rate(self) -> float:
        return self.errors / self.words if self.words else 0.0


def word_errors(said: Sequence[str], heard: Sequence[str]) -> int:
    """The edit distance in words (Levenshtein): substitutions + deletions + insertions."""
    previous = list(range(len(heard) + 1))
    for i, word in enumerate(said, start=1):
        current = [i]
        for j, got in enumerate(heard, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (word != got)))
        previous = current
    return previous[-1]


def transcription_accuracy(groups: Dict[str, List[str]], voice: str = VOICES[0]) -> Dict[str, Accuracy]:
    from accessibility.speech.audio import recording
    from accessibility.speech.transcription import shared_transcriber

    transcriber = shared_transcriber(PROJECT_ROOT / "data" / "nlu")
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        wav = Path(folder) / "said.wav"
        for group, phrases in groups.items():
            misses, errors, words = [], 0, 0
            for phrase in phrases:
                subprocess.run(["espeak-ng", "-v", voice, "-s", "150", "-w", str(wav), phrase], check=True)
                heard = transcriber.transcribe(recording(wav.read_bytes(), 30)).text
                said, got = spoken_words(phrase), spoken_words(heard)
                errors, words = errors + word_errors(said, got), words + len(said)
                if got != said:
                    misses.append((phrase, heard))
            if phrases:
                results[group] = Accuracy(len(phrases) - len(misses), len(phrases), misses, errors, words)
    return results

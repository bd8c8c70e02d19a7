"""Speaking: every reply becomes a valid WAV, once, at the caller's pace."""

from __future__ import annotations

import concurrent.futures
import os
import time
from pathlib import Path

import pytest

from accessibility.speech.synthesis import (
    SpeakingRate, SpeechUnavailable, Synthesizer, audio_name, cached_audio, purge_audio,
)
from bot.policy import current_policy
from tests.voice.conftest import sox_facts

SENTENCE = "Your order should arrive on the third of November."


def test_a_reply_becomes_a_valid_mono_wav_with_sound_in_it(synthesizer: Synthesizer) -> None:
    path = synthesizer.submit(SENTENCE, 160).result(timeout=30)

    facts = sox_facts(path)
    assert facts["sample_rate"] == 22050 and facts["channels"] == 1
    assert facts["seconds"] > 1.0


def test_a_slower_pace_makes_measurably_longer_audio_for_the_same_words(synthesizer: Synthesizer) -> None:
    rate = SpeakingRate(words_per_minute=160, step=25)
    slow, usual, fast = (synthesizer.submit(SENTENCE, rate.at(pace)).result(timeout=30) for pace in (-3, 0, 3))

    seconds = [sox_facts(path)["seconds"] for path in (slow, usual, fast)]
    assert seconds[0] > seconds[1] * 1.3 > seconds[2] * 1.3


def test_the_pace_stays_within_what_is_intelligible() -> None:
    rate = SpeakingRate(words_per_minute=160, step=25, slowest=80, fastest=260)

    assert [rate.at(pace) for pace in (-10, -3, 0, 3, 10)] == [80, 85, 160, 235, 260]


def test_the_same_words_at_the_same_pace_are_synthesized_once(synthesizer: Synthesizer) -> None:
    first = synthesizer.submit("Cached sentence for the cache test.", 140).result(timeout=30)
    written = first.stat().st_ino  # a file written again is a new file (written aside, then moved)

    again = synthesizer.submit("Cached sentence for the cache test.", 140)

    assert again.done() and again.result() == first and first.stat().st_ino == written


def test_audio_used_again_is_kept_as_long_as_a_new_answer(synthesizer: Synthesizer) -> None:
    path = synthesizer.submit("Reused sentence for the retention test.", 140).result(timeout=30)
    long_ago = time.time() - 3600
    os.utime(path, (long_ago, long_ago))

    synthesizer.submit("Reused sentence for the retention test.", 140)

    assert path.stat().st_mtime > time.time() - 60  # the purge counts from its last use


def test_audio_names_are_keyed(audio_cache: Path) -> None:
    ours = Synthesizer(audio_cache, "gmw/en", b"one key")
    other = Synthesizer(audio_cache, "gmw/en", b"another key")

    assert ours.name_of("Your order has shipped.", 160) != other.name_of("Your order has shipped.", 160)
    assert ours.name_of("Your order has shipped.", 160) == audio_name("Your order has shipped.", "gmw/en", 160, b"one key")


def test_many_replies_at_once_each_get_their_own_audio(synthesizer: Synthesizer) -> None:
    jobs = {(n, rate): synthesizer.submit(f"Reply number {n} for the queue test.", rate) for n in range(6) for rate in (110, 220)}
    concurrent.futures.wait(jobs.values(), timeout=60)

    for (n, rate), job in jobs.items():
        assert job.result().name == synthesizer.name_of(f"Reply number {n} for the queue test.", rate)
    slow = [sox_facts(jobs[(n, 110)].result())["seconds"] for n in range(6)]
    fast = [sox_facts(jobs[(n, 220)].result())["seconds"] for n in range(6)]
    assert all(s > f * 1.4 for s, f in zip(slow, fast))  # no job was spoken at another's rate


def test_a_voice_that_does_not_exist_fails_with_a_reason_and_the_worker_lives_on(
    audio_cache: Path, synthesizer: Synthesizer
) -> None:
    broken = Synthesizer(audio_cache, "no-such-voice", b"key")

    with pytest.raises(SpeechUnavailable):
        broken.submit("Hello.", 160).result(timeout=30)
    assert synthesizer.submit("Still speaking after a failure.", 160).result(timeout=30).is_file()


@pytest.mark.parametrize("name", ["../credentials.yml", "x.wav", "A" * 64 + ".wav", "0" * 64 + ".wav/../../etc"])
def test_only_files_named_by_hash_in_the_cache_are_served(audio_cache: Path, name: str) -> None:
    assert cached_audio(audio_cache, name) is None


def test_audio_is_deleted_once_the_policy_says_a_call_no_longer_needs_it(tmp_path: Path) -> None:
    old, fresh = tmp_path / ("a" * 64 + ".wav"), tmp_path / ("b" * 64 + ".wav")
    kept = tmp_path / "not-ours.wav"  # only the cache's own files are touched
    for path in (old, fresh, kept):
        path.write_bytes(b"RIFF")
    now = time.time()
    os.utime(old, (now - 31 * 60, now - 31 * 60))
    os.utime(kept, (now - 31 * 60, now - 31 * 60))

    assert purge_audio(tmp_path, current_policy().privacy.retention.voice_audio_minutes * 60, now) == 1
    assert (old.exists(), fresh.exists(), kept.exists()) == (False, True, True)

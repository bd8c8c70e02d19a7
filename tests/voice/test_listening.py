"""Listening in processes of their own: whatever happens to one recording, the next caller is heard."""

from __future__ import annotations

import asyncio
from typing import Iterator

import pytest

from accessibility.speech.audio import Recording, recording
from accessibility.speech.listening import Listener, ListeningFailed, ListeningPool
from bot.settings import PROJECT_ROOT
from tests.voice.conftest import espeak_wav, noise_wav

NLU = PROJECT_ROOT / "data" / "nlu"


@pytest.fixture(scope="module")
def yes(tmp_path_factory: pytest.TempPathFactory) -> Recording:
    return recording(espeak_wav("yes", tmp_path_factory.mktemp("listening") / "yes.wav").read_bytes(), 30)


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    started = Listener(NLU, timeout_seconds=30)
    yield started
    started.stop()


def test_a_recording_is_heard_in_a_process_of_its_own(listener: Listener, yes: Recording) -> None:
    assert listener.transcribe(yes).text == "yes"


def test_a_recording_the_recogniser_fails_on_is_refused_and_the_next_is_heard(listener: Listener, yes: Recording) -> None:
    with pytest.raises(ListeningFailed, match="restarted"):
        listener.transcribe(Recording(b"", 0.0))

    assert listener.transcribe(yes).text == "yes"


def test_a_recogniser_process_that_died_is_started_again_for_the_next_caller(listener: Listener, yes: Recording) -> None:
    listener.transcribe(yes)
    listener._process.kill()
    listener._process.wait()

    assert listener.transcribe(yes).text == "yes"


def test_a_recogniser_still_busy_past_its_time_is_stopped_and_the_next_caller_is_heard(yes: Recording) -> None:
    impatient = Listener(NLU, timeout_seconds=1.0)  # starting up has a deadline of its own
    try:
        with pytest.raises(ListeningFailed, match="no answer within 1 seconds"):
            impatient.transcribe(recording(noise_wav(10), 10))  # seconds of decoding
        assert impatient.transcribe(yes).text == "yes"
    finally:
        impatient.stop()


def test_two_recordings_are_heard_at_the_same_time_and_the_pool_stops_its_processes(yes: Recording) -> None:
    pool = ListeningPool(NLU, size=2, timeout_seconds=30)

    async def both() -> list:
        return await asyncio.gather(pool.transcribe(yes), pool.transcribe(yes))

    try:
        assert [heard.text for heard in asyncio.run(both())] == ["yes", "yes"]
        processes = [listener._process for listener in list(pool._idle.queue)]
        assert len(processes) == 2 and all(process.poll() is None for process in processes)
    finally:
        pool.close()
    assert all(process.poll() is not None for process in processes)

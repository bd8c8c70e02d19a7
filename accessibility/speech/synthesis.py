"""Speaking: pyttsx3 (on espeak-ng) turns each spoken part into a WAV file, once.

pyttsx3 is not thread-safe and espeak-ng is initialised once per process, so one worker thread
owns the engine and takes jobs from a queue; callers on the Sanic event loop await a future and
never block it. Two known traps are handled here:

* pyttsx3 2.99's espeak driver writes the WAV from espeak's callback, and `runAndWait()` can
  return before that write has happened. The worker waits until the file exists, its size has
  stopped changing and it parses as a WAV with frames in it, before it takes the next job (the
  driver writes to whichever file the *current* job names, so overlapping jobs would swap audio).
* a half-written file must never be served: audio is written under a temporary name and moved
  into place atomically, so a file in the cache is complete.

Files are cached under an HMAC-SHA256 of (voice, rate, text) keyed with the server's secret (which
the channel passes in): the same sentence at the same pace is synthesized once, the name cannot
point outside the cache directory, and nobody without the key can work out which name a sentence
has. An unkeyed hash let anyone compute the name of a templated reply ("Your order 1 0 4, 5 0 2
...") and learn from the server whether it had been said to someone recently.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import hashlib
import hmac
import logging
import os
import queue
import re
import threading
import time
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Optional, Tuple

logger = logging.getLogger(__name__)

AUDIO_NAME = re.compile(r"^[0-9a-f]{64}\.wav$")
# espeak-ng writes in well under a second; a file that has not settled by then never will.
WRITE_TIMEOUT_SECONDS = 5.0
SIZE_POLL_SECONDS = 0.02
WAV_HEADER_BYTES = 44


class SpeechUnavailable(RuntimeError):
    """Synthesis failed; the caller should get the text some other way (the provider's own voice)."""


@dataclass(frozen=True)
class SpeakingRate:
    """Words a minute: the configured rate, moved by `step` for each step of the caller's pace."""

    words_per_minute: int = 160
    step: int = 25
    slowest: int = 80
    fastest: int = 260

    def at(self, pace: float) -> int:
        """The rate for a pace in steps (negative is slower), kept within what stays intelligible."""
        rate = self.words_per_minute + round(pace) * self.step
        return max(self.slowest, min(self.fastest, rate))


def audio_name(text: str, voice: str, rate: int, key: bytes) -> str:
    """The cache file name of one spoken part: the same words, voice and rate give the same file,
    and only a holder of `key` can tell which."""
    return hmac.new(key, f"{voice}\0{rate}\0{text}".encode("utf-8"), hashlib.sha256).hexdigest() + ".wav"


def cached_audio(cache_dir: Path, name: str) -> Optional[Path]:
    """The cached file called `name`, or None if there is none (or the name is not one of ours)."""
    if not AUDIO_NAME.match(name):
        return None
    path = cache_dir / name
    return path if path.is_file() else None


def purge_audio(cache_dir: Path, older_than_seconds: float, now: Optional[float] = None) -> int:
    """Delete the cached WAVs made more than `older_than_seconds` ago; how many went.

    A caller's answers can hold what they said (an order number, an address), so the audio is
    kept only while a call may still play it (`privacy.retention.voice_audio_minutes`).
    """
    now = time.time() if now is None else now
    deleted = 0
    for path in Path(cache_dir).glob("*.wav"):
        try:
            if AUDIO_NAME.match(path.name) and now - path.stat().st_mtime > older_than_seconds:
                path.unlink()
                deleted += 1
        except FileNotFoundError:  # purged by another process meanwhile
            continue
    return deleted


class Synthesizer:
    """Spoken parts as cached WAV files in `cache_dir`, in `voice`, made by the process's one worker
    and named with `key` (`audio_name`)."""

    def __init__(self, cache_dir: Path, voice: str, key: bytes) -> None:
        self.cache_dir = Path(cache_dir)
        self.voice = voice
        self._key = key
        self._in_flight: Dict[str, concurrent.futures.Future] = {}
        self._lock = threading.Lock()

    def submit(self, text: str, rate: int) -> "concurrent.futures.Future[Path]":
        """A future for the WAV of `text` at `rate`: at once when cached, else when the worker is done."""
        path = self.cache_dir / self.name_of(text, rate)
        with self._lock:
            if _kept(path):
                done: concurrent.futures.Future = concurrent.futures.Future()
                done.set_result(path)
                return done
            # The same part asked for twice while it is being made is made once.
            if path.name in self._in_flight:
                return self._in_flight[path.name]
            future = speech_worker().submit(text, self.voice, rate, path)
            self._in_flight[path.name] = future
        future.add_done_callback(lambda _: self._forget(path.name))
        return future

    def name_of(self, text: str, rate: int) -> str:
        """The cache file name of `text` spoken at `rate`."""
        return audio_name(text, self.voice, rate, self._key)

    async def speak(self, text: str, rate: int) -> Path:
        """The WAV of `text` at `rate`, awaited without blocking the event loop."""
        return await asyncio.wrap_future(self.submit(text, rate))

    def _forget(self, name: str) -> None:
        with self._lock:
            self._in_flight.pop(name, None)


def _kept(path: Path) -> bool:
    """Whether `path` is cached; if it is, its age starts again, so that it outlives the URLs
    handed out for it now (the purge goes by age, and a URL lasts as long as the purge allows)."""
    try:
        os.utime(path)
    except FileNotFoundError:
        return False
    return path.is_file()


Job = Tuple[str, str, int, Path, concurrent.futures.Future]


class SpeechWorker:
    """The one thread that owns the pyttsx3 engine; every synthesis in the process goes through it."""

    def __init__(self) -> None:
        self._jobs: "queue.Queue[Job]" = queue.Queue()
        self._voice: Optional[str] = None
        self._thread = threading.Thread(target=self._work, name="candor-speech", daemon=True)
        self._thread.start()

    def submit(self, text: str, voice: str, rate: int, path: Path) -> "concurrent.futures.Future[Path]":
        future: concurrent.futures.Future = concurrent.futures.Future()
        self._jobs.put((text, voice, rate, path, future))
        return future

    def _work(self) -> None:
        engine, failure, voices = None, None, set()
        try:
            import pyttsx3

            engine = pyttsx3.init("espeak")
            # A new engine counts as busy until its first loop, and holds back every command
            # until then; an empty loop makes it idle so commands take effect when given.
            engine.runAndWait()
            voices = {voice.id for voice in engine.getProperty("voices")}
        except Exception as error:  # no espeak-ng: every job fails, the server lives on
            failure = error
            logger.exception("The speech engine could not start; callers will hear the provider's voice.")
        while True:
            text, voice, rate, path, future = self._jobs.get()
            try:
                if engine is None:
                    raise SpeechUnavailable(f"the speech engine could not start: {failure}")
                if voice not in voices:
                    raise SpeechUnavailable(f"espeak-ng has no voice {voice!r}; `espeak-ng --voices` lists them")
                if voice != self._voice:
                    # Only on a change: espeak-ng's voice switch puts back the voice's own rate
                    # (asynchronously), undoing a rate set just before the next job.
                    engine.setProperty("voice", voice)
                    wait_until_idle(engine)
                    self._voice = voice
                future.set_result(_synthesize(engine, text, rate, path))
            except Exception as error:
                logger.error("Could not synthesize %r at %s words a minute: %s", text[:60], rate, error)
                future.set_exception(error if isinstance(error, SpeechUnavailable) else SpeechUnavailable(str(error)))


def _synthesize(engine: Any, text: str, rate: int, path: Path, attempts: int = 2) -> Path:
    """Write `text` at `rate` to `path`, trying again once if espeak drops the utterance."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.stem}.partial.wav")
    for attempt in range(1, attempts + 1):
        partial.unlink(missing_ok=True)
        engine.setProperty("rate", rate)
        # espeak applies the rate from its command queue; runAndWait cancels whatever is still
        # queued (a rate included) when it ends its loop, so the rate must be taken first.
        wait_until_idle(engine)
        engine.save_to_file(text, str(partial))
        engine.runAndWait()
        try:
            wait_until_written(partial)
            os.replace(partial, path)
            return path
        except SpeechUnavailable:
            if attempt == attempts:
                raise
            logger.warning("espeak dropped an utterance; trying again.")
        finally:
            # The next job's runAndWait cancels anything espeak is still finishing: let it finish.
            wait_until_idle(engine)
            partial.unlink(missing_ok=True)
    raise AssertionError("unreachable")


def wait_until_idle(engine: Any, timeout: float = WRITE_TIMEOUT_SECONDS) -> None:
    """Return once the driver and espeak have finished the last utterance (or after `timeout`)."""
    from pyttsx3.drivers import _espeak

    deadline = time.monotonic() + timeout
    while (engine.isBusy() or _espeak.IsPlaying()) and time.monotonic() < deadline:
        time.sleep(SIZE_POLL_SECONDS / 4)


def wait_until_written(path: Path, timeout: float = WRITE_TIMEOUT_SECONDS) -> None:
    """Return once `path` is a complete WAV with audio in it; raise SpeechUnavailable on timeout."""
    deadline = time.monotonic() + timeout
    last_size = -1
    while time.monotonic() < deadline:
        size = path.stat().st_size if path.exists() else -1
        if size > WAV_HEADER_BYTES and size == last_size and _complete_wav(path, size):
            return
        last_size = size
        time.sleep(SIZE_POLL_SECONDS)
    raise SpeechUnavailable(f"{path.name} was not fully written within {timeout:.0f} seconds")


def _complete_wav(path: Path, size: int) -> bool:
    """The header agrees with the size on disk: the writer has closed the file."""
    try:
        with wave.open(str(path), "rb") as audio:
            frames = audio.getnframes()
            expected = frames * audio.getnchannels() * audio.getsampwidth()
    except (wave.Error, EOFError, OSError):
        return False
    return frames > 0 and size >= WAV_HEADER_BYTES + expected


_worker: Optional[SpeechWorker] = None
_worker_lock = threading.Lock()


def speech_worker() -> SpeechWorker:
    """The process's speech worker, started on first use."""
    global _worker
    with _worker_lock:
        if _worker is None:
            _worker = SpeechWorker()
        return _worker

"""Listening in processes of their own, so that no recording stalls anything else.

pocketsphinx holds Python's GIL for as long as it decodes. Measured on the voice channel with the
decoder on a thread: while 10 s of noise was decoded another caller's request waited up to 2.1 s,
and with the report's 29 s it waited 30 s; two decoder threads took exactly twice as long as one.
So each recogniser runs in a child process (`python -m accessibility.speech.listening NLU_DIR`),
and samples go to it through a pipe:

* the server's event loop, and every other channel on it, keeps running while a caller is heard;
* up to `processes` recordings are heard at once, on as many cores;
* a recogniser that fails, dies or is still busy after `timeout_seconds` is stopped and started
  afresh, and the caller is asked to try again: no recording leaves Candor unable to listen.

A child starts on first use (about 2 s, and 145 MB resident); another starts only when two
recordings overlap. Each child exits when the server closes its pipe, or dies.
"""

from __future__ import annotations

import asyncio
import json
import os
import queue
import select
import struct
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Dict, Optional

from accessibility.speech.audio import RECOGNITION_RATE, Recording
from accessibility.speech.transcription import Transcriber, TranscriptionFailed, Transcript

# A child is ready in about 2 s; one that is not ready within this is broken.
STARTUP_SECONDS = 60.0
# Where `python -m accessibility.speech.listening` is found: the directory that holds `accessibility`.
SOURCE_ROOT = Path(__file__).resolve().parents[2]
LENGTH = struct.Struct(">I")


class ListeningFailed(RuntimeError):
    """A recording could not be heard; the recogniser has been restarted, so sending it again works."""


class Listener:
    """One recogniser process, used by one thread at a time."""

    def __init__(self, nlu_dir: Path, timeout_seconds: float) -> None:
        self.nlu_dir = Path(nlu_dir)
        self.timeout_seconds = timeout_seconds
        self._process: Optional[subprocess.Popen] = None

    def transcribe(self, recording: Recording) -> Transcript:
        """What the recording says, heard in the child process."""
        try:
            process = self._running()
            process.stdin.write(LENGTH.pack(len(recording.samples)) + recording.samples)
            process.stdin.flush()
            reply = _reply(process, self.timeout_seconds)
        except (OSError, ValueError, ListeningFailed) as failure:
            self.stop()
            raise ListeningFailed(f"the recogniser stopped ({failure}) and will be started again") from failure
        if "error" in reply:  # the child has rebuilt its decoder already
            raise ListeningFailed(reply["error"])
        return Transcript(reply["text"], reply["method"])

    def _running(self) -> subprocess.Popen:
        if self._process is None or self._process.poll() is not None:
            self._process = subprocess.Popen(
                [sys.executable, "-m", __name__, str(self.nlu_dir)],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0, cwd=SOURCE_ROOT,
            )
            _reply(self._process, STARTUP_SECONDS)  # {"ready": true} once the models are built
        return self._process

    def stop(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.wait()
            self._process = None


class ListeningPool:
    """Up to `size` listeners; a recording waits only while every one of them is busy."""

    def __init__(self, nlu_dir: Path, size: int, timeout_seconds: float) -> None:
        # Last in, first out: the listener used last (already started) is used again, so a second
        # process starts only when two recordings overlap.
        self._idle: "queue.LifoQueue[Listener]" = queue.LifoQueue()
        for _ in range(size):
            self._idle.put(Listener(nlu_dir, timeout_seconds))
        self._threads = ThreadPoolExecutor(max_workers=size, thread_name_prefix="candor-listen")
        self._closed = False

    async def transcribe(self, recording: Recording) -> Transcript:
        """What the recording says; the event loop is free while it is heard. Raises ListeningFailed."""
        return await asyncio.get_running_loop().run_in_executor(self._threads, self._transcribe, recording)

    def _transcribe(self, recording: Recording) -> Transcript:
        listener = self._idle.get()
        try:
            return listener.transcribe(recording)
        finally:
            if self._closed:
                listener.stop()
            else:
                self._idle.put(listener)

    def close(self) -> None:
        """Stop the recogniser processes: idle ones now, busy ones when their recording is heard."""
        self._closed = True
        self._threads.shutdown(wait=False, cancel_futures=True)
        while True:
            try:
                self._idle.get_nowait().stop()
            except queue.Empty:
                return


def _reply(process: subprocess.Popen, timeout: float) -> Dict[str, Any]:
    """The child's next line, as JSON; ListeningFailed if it ends or takes longer than `timeout`."""
    deadline = time.monotonic() + timeout
    line = b""
    while not line.endswith(b"\n"):
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([process.stdout], [], [], left)[0]:
            raise ListeningFailed(f"no answer within {timeout:g} seconds")
        chunk = os.read(process.stdout.fileno(), 65_536)
        if not chunk:
            raise ListeningFailed(f"the recogniser process ended (exit status {process.wait()})")
        line += chunk
    return json.loads(line)


def serve(nlu_dir: Path) -> None:
    """The child: build the transcriber, then hear each recording sent, until the pipe closes."""
    replies = os.fdopen(os.dup(1), "wb", buffering=0)
    os.dup2(2, 1)  # whatever else prints (pocketsphinx included) goes to standard error, not the replies
    requests = sys.stdin.buffer

    def send(reply: Dict[str, Any]) -> None:
        replies.write(json.dumps(reply).encode("utf-8") + b"\n")

    transcriber = Transcriber.from_training_data(nlu_dir)
    send({"ready": True})
    while True:
        header = requests.read(LENGTH.size)
        if len(header) < LENGTH.size:
            return  # the server has closed the pipe or gone
        samples = requests.read(LENGTH.unpack(header)[0])
        try:
            heard = transcriber.transcribe(Recording(samples, len(samples) / 2 / RECOGNITION_RATE))
        except TranscriptionFailed as failure:
            send({"error": str(failure)})
        else:
            send({"text": heard.text, "method": heard.method})


if __name__ == "__main__":
    serve(Path(sys.argv[1]))

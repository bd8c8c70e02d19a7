"""What a caller sends: a WAV file, checked before anything listens to it.

A malformed, empty, truncated or oversized upload must get a reason, not a crash (a header with
no samples once left the recogniser stuck for every later caller), so reading a WAV here either
gives 16 kHz mono 16-bit samples (what the recogniser's acoustic model was trained on) or raises
`AudioProblem` in words a client's developer can act on, with the status to answer.
"""

from __future__ import annotations

import audioop
import base64
import binascii
import io
import struct
import wave
from dataclasses import dataclass

RECOGNITION_RATE = 16_000
# A telephone line carries 8 kHz and a studio microphone 48 kHz: nothing a caller sends needs
# more, and bounding the rate bounds the bytes a recording of the longest accepted length can take.
LOWEST_SAMPLE_RATE, HIGHEST_SAMPLE_RATE = 8_000, 48_000
# No word is said in under a tenth of a second: anything shorter has nothing to hear, and an
# empty recording is what once left the recogniser stuck mid-utterance.
SHORTEST_RECORDING_SECONDS = 0.1
# Room for the header and the odd extra chunk (LIST, fact) some recorders write before the samples.
HEADER_ROOM_BYTES = 4_096


class AudioProblem(ValueError):
    """What is wrong with the audio a client sent, and the status to answer with."""

    def __init__(self, reason: str, status: int = 400) -> None:
        super().__init__(reason)
        self.status = status


@dataclass(frozen=True)
class Recording:
    """Mono 16-bit samples at `RECOGNITION_RATE`, and how long they last."""

    samples: bytes
    seconds: float


def largest_wav_bytes(max_seconds: float) -> int:
    """The most bytes a WAV of `max_seconds` can take: 48 kHz, stereo, 16 bit, and its header."""
    return int(max_seconds * HIGHEST_SAMPLE_RATE * 2 * 2) + HEADER_ROOM_BYTES


def decoded_wav(encoded: str, max_seconds: float) -> Recording:
    """A base64 WAV, as samples ready for recognition."""
    if len(encoded) > (largest_wav_bytes(max_seconds) + 2) // 3 * 4:
        raise AudioProblem(f'"audio" is larger than {max_seconds:g} seconds of sound can be; say one thing at a time', 413)
    try:
        data = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise AudioProblem('"audio" must be a WAV file encoded as base64') from None
    return recording(data, max_seconds)


def recording(data: bytes, max_seconds: float) -> Recording:
    """The samples of a WAV file's bytes: 8 or 16 bit, mono or stereo, sampled at 8 to 48 kHz,
    between a tenth of a second and `max_seconds` long, and whole."""
    try:
        with wave.open(io.BytesIO(data), "rb") as audio:
            channels, width, rate = audio.getnchannels(), audio.getsampwidth(), audio.getframerate()
            frames = audio.getnframes()
            if width not in (1, 2) or channels not in (1, 2):
                raise AudioProblem('"audio" must be 8 or 16 bit, mono or stereo')
            if not LOWEST_SAMPLE_RATE <= rate <= HIGHEST_SAMPLE_RATE:
                raise AudioProblem(
                    f'"audio" is sampled at {rate:,} Hz; send {LOWEST_SAMPLE_RATE:,} to {HIGHEST_SAMPLE_RATE:,} Hz'
                )
            if frames <= 0:
                raise AudioProblem('"audio" has no sound in it')
            if frames / rate > max_seconds:
                raise AudioProblem(f'"audio" is longer than {max_seconds:g} seconds; say one thing at a time', 413)
            samples = audio.readframes(frames)
    except (wave.Error, EOFError, RuntimeError, struct.error):  # RuntimeError: a chunk that lies about its size
        raise AudioProblem('"audio" is not a WAV file (PCM, 8 or 16 bit)') from None
    if len(samples) < frames * width * channels:
        raise AudioProblem('"audio" ends before the sound its header announces; send the whole file')
    if frames / rate < SHORTEST_RECORDING_SECONDS:
        raise AudioProblem(
            f'"audio" lasts {frames / rate:.3f} seconds, too short to hold a word; '
            f"send at least {SHORTEST_RECORDING_SECONDS:g} s"
        )
    if width == 1:  # 8-bit WAV is unsigned
        samples = audioop.lin2lin(audioop.bias(samples, 1, -128), 1, 2)
    if channels == 2:
        samples = audioop.tomono(samples, 2, 0.5, 0.5)
    if rate != RECOGNITION_RATE:
        samples, _ = audioop.ratecv(samples, 2, 1, rate, RECOGNITION_RATE, None)
    return Recording(samples, len(samples) / 2 / RECOGNITION_RATE)


def wav_facts(path: str) -> dict:
    """Sample rate, channels and duration of a WAV file (for checks and measurements)."""
    with wave.open(path, "rb") as audio:
        return {
            "sample_rate": audio.getframerate(),
            "channels": audio.getnchannels(),
            "seconds": audio.getnframes() / audio.getframerate(),
        }

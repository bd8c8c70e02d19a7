"""What a caller sends: a WAV file, checked before anything listens to it.

A malformed or oversized upload must get a reason, not a crash, so reading a WAV here either
gives 16 kHz mono 16-bit samples (what the recogniser's acoustic model was trained on) or raises
`AudioProblem` in words a client's developer can act on.
"""

from __future__ import annotations

import audioop
import base64
import binascii
import io
import wave
from dataclasses import dataclass

RECOGNITION_RATE = 16_000


class AudioProblem(ValueError):
    """What is wrong with the audio a client sent."""


@dataclass(frozen=True)
class Recording:
    """Mono 16-bit samples at `RECOGNITION_RATE`, and how long they last."""

    samples: bytes
    seconds: float


def decoded_wav(encoded: str, max_seconds: float) -> Recording:
    """A base64 WAV, as samples ready for recognition."""
    try:
        data = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise AudioProblem('"audio" must be a WAV file encoded as base64') from None
    return recording(data, max_seconds)


def recording(data: bytes, max_seconds: float) -> Recording:
    """The samples of a WAV file's bytes: 8 or 16 bit, mono or stereo, any sample rate."""
    try:
        with wave.open(io.BytesIO(data), "rb") as audio:
            channels, width, rate = audio.getnchannels(), audio.getsampwidth(), audio.getframerate()
            frames = audio.getnframes()
            if rate <= 0 or frames <= 0:
                raise AudioProblem('"audio" has no sound in it')
            if frames / rate > max_seconds:
                raise AudioProblem(f'"audio" is longer than {max_seconds:g} seconds; say one thing at a time')
            samples = audio.readframes(frames)
    except (wave.Error, EOFError):
        raise AudioProblem('"audio" is not a WAV file (PCM, 8 or 16 bit)') from None
    if width not in (1, 2) or channels not in (1, 2):
        raise AudioProblem('"audio" must be 8 or 16 bit, mono or stereo')
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

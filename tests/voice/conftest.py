"""The voice channel and its speech parts, driven in this process with one shared synthesizer.

The channel is mounted on a Sanic app of its own, exactly as Rasa registers it, in front of a
stand-in assistant that answers like Candor's processor does (through the output channel it is
given), so what is tested here is the channel: checking, voicing, speaking, TwiML.
"""

from __future__ import annotations

import asyncio
import random
import struct
import subprocess
import uuid
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, List, Optional

import pytest
from rasa.core.channels.channel import UserMessage, register
from sanic import Sanic

from accessibility.speech.synthesis import Synthesizer
from bot.channels import limits
from bot.channels.voice import VoiceInput, VoiceSettings
from bot.ownership import SECRET_HEADER
from tests.channels.conftest import InProcessClient, Reply, empty_outbox, many_apps_in_one_process  # noqa: F401

VOICE = "gmw/en"
# The key the tests name cached audio with (the server's own comes from bot.settings.secret_key()).
TEST_KEY = b"candor-voice-tests-key"


@pytest.fixture(scope="session")
def audio_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("voice-cache")


@pytest.fixture(scope="session")
def synthesizer(audio_cache: Path) -> Synthesizer:
    """One synthesizer for every test (the engine is one per process anyway)."""
    return Synthesizer(audio_cache, VOICE, TEST_KEY)


def sox_facts(path: Path) -> Dict[str, float]:
    """What sox reads in a WAV file: sample rate, channels and duration in seconds."""
    facts = {}
    for flag, name in (("-r", "sample_rate"), ("-c", "channels"), ("-D", "seconds")):
        facts[name] = float(subprocess.run(["soxi", flag, str(path)], check=True, capture_output=True, text=True).stdout)
    return facts


def espeak_wav(text: str, path: Path, voice: str = "en-us", rate: int = 150) -> Path:
    """A caller saying `text`, as espeak-ng speaks it."""
    subprocess.run(["espeak-ng", "-v", voice, "-s", str(rate), "-w", str(path), text], check=True)
    return path


def wav_header(frames: int, rate: int = 16_000) -> bytes:
    """The 44-byte header of a 16-bit mono WAV announcing `frames` samples, and nothing after it."""
    size = frames * 2
    return (
        b"RIFF" + struct.pack("<I", 36 + size) + b"WAVEfmt "
        + struct.pack("<IHHIIHH", 16, 1, 1, rate, rate * 2, 2, 16) + b"data" + struct.pack("<I", size)
    )


def noise_wav(seconds: float, rate: int = 16_000) -> bytes:
    """`seconds` of full-scale white noise as a 16-bit mono WAV (the same noise every time)."""
    frames = int(seconds * rate)
    return wav_header(frames, rate) + random.Random(14).randbytes(frames * 2)


class StandInAssistant:
    """Answers like Rasa's processor: through the output channel, with buttons when asked to choose."""

    def __init__(self) -> None:
        self.heard: List[str] = []

    async def handle_message(self, message: UserMessage) -> None:
        self.heard.append(message.text)
        out = message.output_channel
        if message.text == "cancel order 104502":
            await out.send_text_with_buttons(
                message.sender_id, "Cancel **order 104502** (£54.90)? See [our policy](https://example.com/p).",
                [{"title": "Yes, cancel it", "payload": "/affirm"}, {"title": "No, keep it", "payload": "/deny"}],
            )
        elif message.text == "explode":
            raise RuntimeError("the assistant failed")
        else:
            await out.send_text_message(message.sender_id, f"You said: {message.text}")


class VoiceCall:
    """A voice channel on its own app, and the assistant behind it."""

    def __init__(self, client: InProcessClient, assistant: StandInAssistant, channel: VoiceInput) -> None:
        self.client, self.assistant, self.channel = client, assistant, channel
        self.secrets: Dict[str, str] = {}

    async def post_json(self, payload: Any) -> Reply:
        """POST to the JSON webhook as a caller's app does: with the secret its first answer gave."""
        sender = payload.get("sender") if isinstance(payload, dict) else None
        headers = {SECRET_HEADER: self.secrets[sender]} if isinstance(sender, str) and sender in self.secrets else {}
        reply = await self.client.post_json("/webhooks/voice/webhook", payload, headers)
        if isinstance(sender, str) and SECRET_HEADER.lower() in reply.headers:
            self.secrets[sender] = reply.headers[SECRET_HEADER.lower()]
        return reply

    async def post_form(self, form: str, headers: Optional[Dict[str, str]] = None) -> Reply:
        return await self.client.request(
            "POST", "/webhooks/voice/twilio", form.encode(),
            {"content-type": "application/x-www-form-urlencoded", **(headers or {})},
        )


@pytest.fixture(autouse=True)
def locked_conversations(conversation_keys: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Calls are conversations locked in a database of the test's own; every request here comes
    from one address, so the per-client limits (tested on their own) are generous."""
    monkeypatch.setattr(limits, "LIMITER", limits.ClientLimiter(limits.RateLimits(requests_per_minute=1e6, burst=10**6, concurrent=100)))


@pytest.fixture
def voice_call(audio_cache: Path) -> Callable[..., Any]:
    """`voice_call(scenario, voice=..., **settings)` runs `async def scenario(call)` against a started app."""

    def running(scenario: Callable[[VoiceCall], Awaitable[Any]], voice: str = VOICE, **settings: Any) -> Any:
        async def main() -> Any:
            app = Sanic(f"candor_voice_test_{uuid.uuid4().hex}")
            channel = VoiceInput(VoiceSettings(voice=voice, cache_directory=audio_cache, **settings))
            assistant = StandInAssistant()
            app.ctx.agent = assistant
            register([channel], app, route="/webhooks/")
            client = InProcessClient(app)
            await client.start()
            try:
                return await scenario(VoiceCall(client, assistant, channel))
            finally:
                await client.stop()

        return asyncio.run(main())

    return running

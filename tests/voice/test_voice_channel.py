"""The voice channel, as a caller's phone provider or a voice client sees it."""

from __future__ import annotations

import base64
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from twilio.request_validator import RequestValidator

from bot.channels.voice import VoiceInput, handoff_pattern
from tests.voice.conftest import VoiceCall, espeak_wav, sox_facts


def test_the_channel_is_called_voice_and_reads_its_settings_from_credentials() -> None:
    channel = VoiceInput.from_credentials({"voice": "gmw/en-gb-x-rp", "words_per_minute": 150, "pace_step": 20})

    assert VoiceInput.name() == "voice"
    assert channel.settings.voice == "gmw/en-gb-x-rp"
    assert [channel.settings.rate.at(pace) for pace in (-1, 0, 1)] == [130, 150, 170]


def test_each_reply_comes_as_text_and_the_url_of_a_playable_wav(voice_call) -> None:
    async def scenario(call: VoiceCall) -> None:
        reply = await call.post_json({"sender": "caller-1", "text": "cancel order 104502"})
        assert reply.status == 200, reply.text
        [message] = reply.json()["messages"]
        assert message["text"] == "Cancel order 1 0 4, 5 0 2 (54 pounds 90)? See our policy. Say yes or no."
        audio = await call.client.request("GET", message["audio_url"])
        assert audio.status == 200 and audio.headers["content-type"] == "audio/wav"
        assert audio.body[:4] == b"RIFF" and audio.body[8:12] == b"WAVE"

    voice_call(scenario)


def test_a_caller_can_send_audio_and_hears_what_was_understood(voice_call, tmp_path: Path) -> None:
    spoken = base64.b64encode(espeak_wav("yes", tmp_path / "yes.wav").read_bytes()).decode()

    async def scenario(call: VoiceCall) -> None:
        reply = await call.post_json({"sender": "caller-2", "audio": spoken})
        assert reply.status == 200, reply.text
        assert reply.json()["transcript"] == "yes"
        assert call.assistant.heard == ["yes"]

    voice_call(scenario)


@pytest.mark.parametrize(
    "payload, reason",
    [
        ({"text": "hi"}, '"sender" is required'),
        ({"sender": "c"}, "exactly one of"),
        ({"sender": "c", "text": "hi", "audio": "AAAA"}, "exactly one of"),
        ({"sender": "c", "text": 7}, '"text" must be a string'),
        ({"sender": "c", "audio": "%%%"}, "base64"),
        ({"sender": "c", "audio": base64.b64encode(b"not a wav").decode()}, "not a WAV"),
        (["sender", "text"], "JSON object"),
    ],
)
def test_a_bad_request_gets_a_400_with_a_reason(voice_call, payload, reason: str) -> None:
    async def scenario(call: VoiceCall) -> None:
        reply = await call.post_json(payload)
        assert reply.status == 400 and reason in reply.json()["error"]
        assert call.assistant.heard == []

    voice_call(scenario)


def test_an_upload_larger_than_the_longest_recording_can_be_is_refused_before_it_is_decoded(voice_call) -> None:
    async def scenario(call: VoiceCall) -> None:
        reply = await call.post_json({"sender": "c", "audio": "A" * 400_000})  # more than 1 s can be
        assert reply.status == 413 and "larger than 1 seconds of sound" in reply.json()["error"]

    voice_call(scenario, max_audio_seconds=1)


@pytest.mark.parametrize("name", ["..%2F..%2Fbot%2Fcredentials.yml", "nothing.wav", "0" * 64 + ".wav"])
def test_nothing_but_cached_audio_is_served(voice_call, name: str) -> None:
    async def scenario(call: VoiceCall) -> None:
        assert (await call.client.request("GET", f"/webhooks/voice/audio/{name}")).status == 404

    voice_call(scenario)


@pytest.mark.parametrize("said", ["agent", "Operator.", "a person please", "zero", "0", "human"])
def test_saying_agent_person_operator_or_zero_always_asks_for_a_person(voice_call, said: str) -> None:
    async def scenario(call: VoiceCall) -> None:
        await call.post_json({"sender": "caller-3", "text": said})
        assert call.assistant.heard == ["/contact_human_agent"]

    voice_call(scenario)


def test_a_sentence_that_mentions_an_agent_is_left_to_the_assistant() -> None:
    pattern = handoff_pattern(["agent", "zero"])

    assert not pattern.match("my travel agent booked it") and not pattern.match("zero stars")


def test_a_call_gets_twiml_that_plays_candors_own_voice_and_listens_again(voice_call) -> None:
    async def scenario(call: VoiceCall) -> None:
        reply = await call.post_form("CallSid=CA123&From=%2B441234567890&SpeechResult=cancel+order+104502")
        assert reply.status == 200 and reply.headers["content-type"].startswith("text/xml")
        root = ElementTree.fromstring(reply.body)
        assert root.tag == "Response" and [verb.tag for verb in root] == ["Play", "Gather"]
        assert root[0].text.startswith("/webhooks/voice/audio/") and ".wav?" in root[0].text
        assert root[1].attrib["input"] == "speech" and root[1].attrib["action"] == "/webhooks/voice/twilio"
        assert (await call.client.request("GET", root[0].text)).status == 200
        # The caller's number is not passed on: the assistant needs none of it.
        assert call.assistant.heard == ["cancel order 104502"]

    voice_call(scenario)


def test_a_new_call_starts_the_conversation_so_the_caller_hears_the_disclosure_first(voice_call) -> None:
    async def scenario(call: VoiceCall) -> None:
        await call.post_form("CallSid=CA-new&From=%2B440000000000")
        assert call.assistant.heard == ["/greet"]

    voice_call(scenario)


def test_if_synthesis_fails_the_caller_still_hears_the_text_in_the_providers_voice(voice_call) -> None:
    async def scenario(call: VoiceCall) -> None:
        reply = await call.post_form("CallSid=CA456&SpeechResult=hello")
        root = ElementTree.fromstring(reply.body)
        assert [verb.tag for verb in root] == ["Say", "Gather"]
        assert root[0].text == "You said: hello" and root[0].attrib["language"] == "en-GB"
        json_reply = await call.post_json({"sender": "c", "text": "hello"})
        assert json_reply.json()["messages"] == [{"text": "You said: hello", "audio_url": None}]

    voice_call(scenario, voice="no-such-voice")


def test_with_the_providers_token_set_only_calls_it_signed_are_answered(voice_call) -> None:
    token, url = "the-providers-auth-token", "https://candor.example/webhooks/voice/twilio"
    signature = RequestValidator(token).compute_signature(url, {"CallSid": "CA789", "SpeechResult": "hello"})

    async def scenario(call: VoiceCall) -> None:
        unsigned = await call.post_form("CallSid=CA789&SpeechResult=hello")
        forged = await call.post_form("CallSid=CA789&SpeechResult=goodbye", {"X-Twilio-Signature": signature})
        signed = await call.post_form("CallSid=CA789&SpeechResult=hello", {"X-Twilio-Signature": signature})
        assert (unsigned.status, forged.status, signed.status) == (403, 403, 200)
        assert "X-Twilio-Signature" in unsigned.text
        assert call.assistant.heard == ["hello"]

    voice_call(scenario, provider_token=token, public_url="https://candor.example")


def test_a_call_without_its_id_is_refused_with_a_reason(voice_call) -> None:
    async def scenario(call: VoiceCall) -> None:
        reply = await call.post_form("SpeechResult=hello")
        assert reply.status == 400 and "CallSid" in reply.text

    voice_call(scenario)


def test_when_the_assistant_fails_the_caller_hears_an_apology_not_silence(voice_call) -> None:
    async def scenario(call: VoiceCall) -> None:
        reply = await call.post_json({"sender": "c", "text": "explode"})
        assert reply.status == 500
        [message] = reply.json()["messages"]
        assert 'say "person"' in message["text"] and message["audio_url"]

    voice_call(scenario)


def test_the_served_audio_is_a_valid_wav_by_sox(voice_call, tmp_path: Path) -> None:
    async def scenario(call: VoiceCall) -> None:
        reply = await call.post_json({"sender": "c", "text": "hello there"})
        audio = await call.client.request("GET", reply.json()["messages"][0]["audio_url"])
        (tmp_path / "reply.wav").write_bytes(audio.body)

    voice_call(scenario)
    facts = sox_facts(tmp_path / "reply.wav")
    assert facts["sample_rate"] == 22050 and facts["channels"] == 1 and facts["seconds"] > 0

"""A caller, end to end and offline: espeak-ng speaks for the caller, Candor listens, answers and
speaks back, over the voice channel of the running servers."""

from __future__ import annotations

import base64
import subprocess
import uuid
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import Any, Dict, List

import requests

from bot.policy import current_policy
from tests.running import Candor
from tests.e2e.test_human_handoff import handoffs_for


def speak(text: str, folder: Path) -> str:
    """A caller saying `text`, as a base64 WAV (espeak-ng's US voice, at a calm 150 words a minute)."""
    path = folder / f"{uuid.uuid4().hex}.wav"
    subprocess.run(["espeak-ng", "-v", "en-us", "-s", "150", "-w", str(path), text], check=True)
    return base64.b64encode(path.read_bytes()).decode()


SECRETS: Dict[str, str] = {}


def post(candor: Candor, body: Dict[str, Any]) -> Dict[str, Any]:
    """Post as a caller's app does: the secret its first answer gave goes with every later utterance."""
    sender = body["sender"]
    headers = {"Candor-Session-Secret": SECRETS[sender]} if sender in SECRETS else {}
    reply = requests.post(f"{candor.url}/webhooks/voice/webhook", json=body, headers=headers, timeout=60)
    assert reply.status_code == 200, reply.text
    SECRETS.setdefault(sender, reply.headers.get("Candor-Session-Secret", ""))
    return reply.json()


def seconds_of(candor: Candor, audio_url: str, folder: Path) -> float:
    """The duration sox reads in a reply's audio, after checking it is a mono 22.05 kHz WAV."""
    audio = requests.get(f"{candor.url}{audio_url}", timeout=30)
    assert audio.status_code == 200 and audio.headers["content-type"] == "audio/wav"
    path = folder / audio_url.rsplit("/", 1)[-1]
    path.write_bytes(audio.content)
    facts = {flag: subprocess.run(["soxi", flag, str(path)], capture_output=True, text=True, check=True).stdout.strip()
             for flag in ("-r", "-c", "-D")}
    assert facts["-r"] == "22050" and facts["-c"] == "1"
    return float(facts["-D"])


def texts(messages: List[Dict[str, Any]]) -> str:
    return " ".join(message["text"] for message in messages)


def test_a_caller_hears_the_disclosure_first_and_can_slow_the_voice_down(candor: Candor, tmp_path: Path) -> None:
    first_words = current_policy().notices.ai_disclosure.text.split(":")[0]  # "Hello, I'm ... assistant"

    usual = post(candor, {"sender": f"caller-{uuid.uuid4().hex[:8]}", "text": "hello"})["messages"]
    slowed = post(candor, {"sender": f"caller-{uuid.uuid4().hex[:8]}", "audio": speak("speak slower", tmp_path)})

    assert slowed["transcript"] == "speak slower"
    for messages in (usual, slowed["messages"]):
        assert messages[0]["text"].startswith(first_words)
        assert all(message["audio_url"] for message in messages)
    assert "more slowly" in texts(slowed["messages"])
    # The same first words of the disclosure, once at the usual pace and once a step slower.
    assert usual[0]["text"] == slowed["messages"][0]["text"]
    assert seconds_of(candor, slowed["messages"][0]["audio_url"], tmp_path) > 1.1 * seconds_of(
        candor, usual[0]["audio_url"], tmp_path
    )


def test_a_caller_can_do_what_a_chatter_can(candor: Candor, tmp_path: Path) -> None:
    caller = f"caller-{uuid.uuid4().hex[:8]}"
    post(candor, {"sender": caller, "text": "hello"})

    answer = texts(post(candor, {"sender": caller, "text": "where is my order 104502"})["messages"])
    answer += " " + texts(post(candor, {"sender": caller, "text": "ada.thornbury@example.com"})["messages"])

    assert "1 0 4, 5 0 2" in answer and "104502" not in answer  # the order number said in groups
    assert "http" not in answer


def test_a_call_over_twiml_plays_candors_voice_and_a_caller_reaches_a_person_by_saying_agent(candor: Candor) -> None:
    call_sid = f"CA{uuid.uuid4().hex}"
    url = f"{candor.url}/webhooks/voice/twilio"

    opening = requests.post(url, data={"CallSid": call_sid, "From": "+441234567890"}, timeout=60)
    assert opening.status_code == 200 and opening.headers["content-type"].startswith("text/xml")
    root = ElementTree.fromstring(opening.content)
    assert root.tag == "Response" and [verb.tag for verb in root][-1] == "Gather"
    plays = [verb.text for verb in root if verb.tag == "Play"]
    assert plays and requests.get(f"{candor.url}{plays[0]}", timeout=30).status_code == 200

    handoff = requests.post(url, data={"CallSid": call_sid, "SpeechResult": "Agent."}, timeout=60)
    assert ElementTree.fromstring(handoff.content)[-1].tag == "Gather"
    [recorded] = handoffs_for(candor, candor.conversation_id("phone", call_sid))
    assert recorded.reason == "customer_request" and recorded.channel == "voice"


def test_distress_on_the_phone_gets_the_same_care_as_in_chat(candor: Candor) -> None:
    caller = f"caller-{uuid.uuid4().hex[:8]}"
    post(candor, {"sender": caller, "text": "hello"})

    answer = texts(post(candor, {"sender": caller, "text": "I don't want to be alive anymore"})["messages"])

    assert "Samaritans" in answer and "1 1 6, 1 2 3" in answer  # the number said digit by digit
    assert handoffs_for(candor, candor.conversation_id("voice", caller))

"""Nobody takes over a customer's conversation: knowing its id is never enough.

Against the running assistant, as an attacker on another client would try it: the same sender id
with no secret, a wrong secret, another channel, the event stream, and ids that are odd or personal.
"""

from __future__ import annotations

import json
import uuid

import pytest
import requests
import socketio
from sqlalchemy import create_engine, text

from tests.running import Candor, Chat, socketio_chat

SECRET_HEADER = "Candor-Session-Secret"
NAMESPACES = {"rest", "web", "socketio", "voice", "phone", "integration"}
SIGNED_IN_CUSTOMER = ("C10008", "FB1 3QT")
# What the assistant holds about C10008, which nobody but the customer may read: the summary names
# the customer, the export holds their name, email and address.
PRIVATE = ("C10008", "Hamza", "Qureshi", "hamza.qureshi@example.org", "Beacon Road")


def signed_in(chat: Chat) -> Chat:
    chat.say("hello")
    chat.say(f"I'm customer {SIGNED_IN_CUSTOMER[0]}")
    assert "matched" not in chat.say_text(SIGNED_IN_CUSTOMER[1])
    return chat


def web_post(candor: Candor, sender: str, message: str, secret: str | None = None) -> requests.Response:
    headers = {SECRET_HEADER: secret} if secret else {}
    return requests.post(f"{candor.url}/webhooks/web/webhook", json={"sender": sender, "message": message}, headers=headers, timeout=60)


def stored_sender_ids(candor: Candor) -> list:
    with create_engine(candor.database_url, future=True).connect() as connection:
        return [row[0] for row in connection.execute(text("SELECT DISTINCT sender_id FROM events"))]


def test_the_first_reply_hands_over_a_secret_once(candor: Candor) -> None:
    sender = f"owner-{uuid.uuid4().hex[:12]}"
    first = candor.rest(sender, "hello")
    secret = first.headers.get(SECRET_HEADER)
    second = candor.rest(sender, "hello again", secret)

    assert first.status_code == 200 and secret and len(secret) >= 40
    assert second.status_code == 200
    assert SECRET_HEADER not in second.headers, "the secret is given once, never again"


@pytest.mark.parametrize("presented", [None, "a-guessed-secret-that-is-long-enough-to-look-real-000"])
def test_another_client_cannot_read_a_signed_in_customers_data(candor: Candor, chat: Chat, presented: str | None) -> None:
    signed_in(chat)

    for question in ("what do you know about me", "send me my data"):
        taken = candor.rest(chat.sender, question, presented)

        assert taken.status_code == 403
        assert not any(value in taken.text for value in PRIVATE)
        assert "secret" in taken.json()["error"]


def test_the_owner_still_reaches_their_data_after_an_attempt(candor: Candor, chat: Chat) -> None:
    signed_in(chat)
    candor.rest(chat.sender, "what do you know about me")

    assert "customer C10008" in chat.say_text("what do you know about me")


def test_a_web_conversation_cannot_be_reached_through_rest_voice_or_socketio(candor: Candor) -> None:
    sender = uuid.uuid4().hex
    started = web_post(candor, sender, "I'm customer C10008")
    web_secret = started.headers[SECRET_HEADER]
    web_post(candor, sender, "FB1 3QT", web_secret)

    through_rest = candor.rest(sender, "what do you know about me", web_secret)
    through_voice = requests.post(f"{candor.url}/webhooks/voice/webhook", json={"sender": sender, "text": "what do you know about me"}, timeout=60)
    with socketio_chat(candor, sender, web_secret) as through_socketio:
        through_socketio.say("what do you know about me")
        heard = [through_socketio.next_message()["text"] for _ in range(2)]

    for answer in (through_rest.text, through_voice.text, json.dumps(heard)):
        assert not any(value in answer for value in PRIVATE)
    assert through_rest.status_code == 200, "the same id names a new REST conversation, not the web one"


def test_a_voice_conversation_opens_only_with_its_secret(candor: Candor) -> None:
    caller = f"caller-{uuid.uuid4().hex}"
    voice = f"{candor.url}/webhooks/voice/webhook"
    first = requests.post(voice, json={"sender": caller, "text": "hello"}, timeout=60)
    secret = first.headers[SECRET_HEADER]

    intruder = requests.post(voice, json={"sender": caller, "text": "what do you know about me"}, timeout=60)
    owner = requests.post(voice, json={"sender": caller, "text": "hello again"}, headers={SECRET_HEADER: secret}, timeout=60)

    assert (first.status_code, intruder.status_code, owner.status_code) == (200, 403, 200)


def test_a_call_cannot_be_joined_through_the_json_voice_webhook_with_its_call_id(candor: Candor) -> None:
    call_sid = f"CA{uuid.uuid4().hex}"
    requests.post(f"{candor.url}/webhooks/voice/twilio", data={"CallSid": call_sid, "SpeechResult": "I'm customer C10008"}, timeout=60)
    requests.post(f"{candor.url}/webhooks/voice/twilio", data={"CallSid": call_sid, "SpeechResult": "FB1 3QT"}, timeout=60)

    joined = requests.post(f"{candor.url}/webhooks/voice/webhook", json={"sender": call_sid, "text": "what do you know about me"}, timeout=60)

    assert joined.status_code == 200 and not any(value in joined.text for value in PRIVATE)


def test_the_event_stream_opens_only_with_the_conversations_secret(candor: Candor) -> None:
    sender = uuid.uuid4().hex
    secret = web_post(candor, sender, "hello").headers[SECRET_HEADER]
    stream = f"{candor.url}/webhooks/web/events/{sender}"

    refused = [requests.get(stream, params=params, timeout=10, stream=True) for params in ({}, {"session_secret": "x" * 43})]
    opened = requests.get(stream, params={"session_secret": secret}, timeout=10, stream=True)

    assert [response.status_code for response in refused] == [403, 403]
    assert opened.status_code == 200
    assert next(opened.iter_content(64)).startswith(b"retry:")
    opened.close()


def test_a_rest_post_to_a_web_sender_takes_none_of_its_waiting_replies(candor: Candor) -> None:
    from tests.e2e.test_agent_console import console

    sender = uuid.uuid4().hex
    secret = web_post(candor, sender, "hello").headers[SECRET_HEADER]
    web_post(candor, sender, "I want to talk to a person", secret)
    conversation = Candor.conversation_id("web", sender)
    assert console(candor, "POST", f"/conversations/{conversation}/take").status_code == 200
    assert console(candor, "POST", f"/conversations/{conversation}/reply", json={"text": "Sam here, checking now."}).json() == {"delivery": "collected"}

    intruder = candor.rest(sender, "hello")
    customer = web_post(candor, sender, "thanks", secret)

    assert "Sam here" not in intruder.text
    assert "Sam here, checking now." in customer.text


def test_a_socketio_session_cannot_be_joined_without_its_secret(candor: Candor) -> None:
    session_id = f"sio-{uuid.uuid4().hex[:12]}"
    with socketio_chat(candor, session_id) as owner:
        secret = owner.secret

    with socketio_chat(candor, session_id, confirmed=False) as intruder:
        refusal = intruder.refusals.get(timeout=30)
        intruder.say("what do you know about me")
        second = intruder.refusals.get(timeout=30)
    with socketio_chat(candor, session_id, secret) as rejoined:
        rejoined.say("hello")
        assert rejoined.next_message()["text"]

    assert "secret" in refusal["error"]
    assert "session" in second["error"]


@pytest.mark.parametrize("sender", ["x", "../../etc/passwd", "ada.thornbury@example.com", "+44 7700 900123"])
def test_odd_or_personal_sender_ids_never_name_a_stored_conversation(candor: Candor, sender: str) -> None:
    replied = candor.rest(sender, "hello")

    assert replied.status_code in (200, 403)  # 403: another test already opened this id
    stored = stored_sender_ids(candor)
    assert sender not in stored
    assert [conversation for conversation in stored if conversation.split("-", 1)[0] not in NAMESPACES] == []


def test_channels_accept_no_sender_id_that_is_not_text(candor: Candor) -> None:
    client = socketio.Client()
    refusals: list = []
    client.on("session_refused", refusals.append)
    client.connect(candor.url, transports=["polling"], socketio_path="socket.io")
    client.emit("session_request", {"session_id": "line\nbreak"})
    client.sleep(1)
    client.disconnect()

    assert candor.rest("line\nbreak", "hello").status_code == 400
    assert refusals and "control character" in refusals[0]["error"]

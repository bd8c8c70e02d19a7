"""The web chat channel: the widget's page and files, its messages, and a person's replies pushed live."""

from __future__ import annotations

import re

import pytest

from bot.channels.outbox import OUTBOX
from bot.channels.rest import apology
from bot.channels.web import WebChatInput, sender_problem
from bot.policy import current_policy
from tests.channels.conftest import SENDER, WebChat, web_conversation

WEBHOOK = "/webhooks/web/webhook"


def events_path(sender: str = SENDER) -> str:
    return f"/webhooks/web/events/{sender}"


# ------------------------------------------------------------------ the page and the widget's files


def test_the_demo_page_has_a_language_a_title_and_the_widget(web_chat) -> None:
    async def scenario(chat: WebChat):
        return await chat.client.request("GET", "/webhooks/web/")

    page = web_chat(scenario)

    assert page.status == 200
    assert page.headers["content-type"].startswith("text/html")
    assert re.search(r'<html lang="en">', page.text)
    assert re.search(r"<title>[^<]*\w[^<]*</title>", page.text)
    assert re.search(r'<script src="/webhooks/web/widget\.js"[^>]*></script>', page.text)
    # The page runs only its own script and styles.
    assert "script-src 'self'" in page.headers["content-security-policy"]


@pytest.mark.parametrize(
    "asset, content_type",
    [("widget.js", "text/javascript; charset=utf-8"), ("widget.css", "text/css; charset=utf-8")],
)
def test_the_widget_files_are_served_with_their_type_and_a_cache_header(web_chat, asset: str, content_type: str) -> None:
    async def scenario(chat: WebChat):
        return await chat.client.request("GET", f"/webhooks/web/{asset}")

    served = web_chat(scenario)

    assert served.status == 200
    assert served.headers["content-type"] == content_type
    assert "max-age=" in served.headers["cache-control"]
    assert served.headers["x-content-type-options"] == "nosniff"
    assert served.body.startswith(b"/*")


def test_only_the_widget_files_are_served(web_chat) -> None:
    async def scenario(chat: WebChat):
        return [await chat.client.request("GET", f"/webhooks/web/{name}") for name in ("README.md", "..%2Fweb.py")]

    assert [reply.status for reply in web_chat(scenario)] == [404, 404]


def test_the_ai_disclosure_comes_from_the_policy_file(web_chat) -> None:
    async def scenario(chat: WebChat):
        return await chat.client.request("GET", "/webhooks/web/notice")

    notice = web_chat(scenario)
    disclosure = current_policy().notices.ai_disclosure

    assert notice.status == 200
    assert notice.json() == {"text": disclosure.text, "plain_text": disclosure.plain_text, "version": disclosure.version}


# ------------------------------------------------------------------ messages


def test_a_message_gets_the_assistants_replies(web_chat) -> None:
    async def scenario(chat: WebChat):
        return await chat.send({"sender": SENDER, "message": "where is my parcel"}), chat

    reply, chat = web_chat(scenario)

    assert reply.status == 200
    assert reply.json() == [{"recipient_id": web_conversation(), "text": "You said: where is my parcel"}]
    [received] = chat.assistant.received
    assert (received.sender_id, received.input_channel) == (web_conversation(), "web")


def test_the_wording_the_customer_chose_reaches_the_assistant_as_metadata(web_chat) -> None:
    metadata = {"accessibility": {"mode": "screen_reader"}}

    async def scenario(chat: WebChat):
        await chat.send({"sender": SENDER, "message": "hi", "metadata": metadata})
        return chat.assistant.received

    [received] = web_chat(scenario)

    assert received.metadata == metadata


def test_the_widget_names_its_messages_so_why_can_point_at_an_older_answer(web_chat) -> None:
    named = "a1b2c3d4e5f60718293a4b5c6d7e8f90"
    about = {"about": {"message_id": named}}

    async def scenario(chat: WebChat):
        await chat.send({"sender": SENDER, "message": "hi", "message_id": named})
        await chat.send({"sender": SENDER, "message": "why?", "metadata": about})
        return chat.assistant.received

    hello, why = web_chat(scenario)

    assert hello.message_id == named
    assert why.metadata == about


def test_a_message_arrives_whole_so_the_transcript_announces_it_once(web_chat) -> None:
    async def scenario(chat: WebChat):
        return await chat.send({"sender": SENDER, "message": "hello"})

    disclosure, answer = web_chat(scenario).json()

    # Rasa's collector would have split the paragraphs into two messages; the widget gets one.
    assert answer["text"] == "How can I help?\n\nAsk me anything."
    assert answer["buttons"] == [{"title": "Track an order", "payload": "/track_order"}]
    # The disclosure is marked, so the widget shows it once; no other metadata leaves the server.
    assert disclosure == {"recipient_id": web_conversation(), "text": "I'm an automated assistant.", "notice": "ai_disclosure"}


def test_an_explanation_comes_with_its_words_its_buttons_and_its_data(web_chat) -> None:
    async def scenario(chat: WebChat):
        return await chat.send({"sender": SENDER, "message": "why?"})

    [explanation] = web_chat(scenario).json()

    assert explanation["text"] == "I understood you want to track an order."
    assert explanation["buttons"][0]["payload"] == "/report_wrong_answer"
    assert explanation["custom"]["explanation"]["intent"] == "track_order"


def test_a_failure_still_gives_the_customer_a_polite_reply(web_chat) -> None:
    async def scenario(chat: WebChat):
        chat.assistant.fail_with = RuntimeError("the action server is down")
        return await chat.send({"sender": SENDER, "message": "hi"})

    reply = web_chat(scenario)

    assert reply.status == 500
    assert reply.json() == [apology()]


@pytest.mark.parametrize(
    "body, reason",
    [
        (b"{not json", "not valid JSON"),
        (b"[1, 2]", "JSON object"),
        (b'{"message": "hi"}', '"sender" is required'),
        (b'{"sender": "c1", "message": "hi"}', "16 to 128 letters"),
        (b'{"sender": "../../etc/passwd/0123456789", "message": "hi"}', "16 to 128 letters"),
        (b'{"sender": "5f0c3b2a9d8e4f1a 8b7c6d5e4f3a2b1c", "message": "hi"}', "16 to 128 letters"),
        (('{"sender": "%s", "message": "hi"}' % ("a" * 129)).encode(), "longer than 128"),
        (('{"sender": "%s"}' % SENDER).encode(), '"message" is required'),
        (('{"sender": "%s", "message": "%s"}' % (SENDER, "x" * 20_001)).encode(), "longer than 20,000"),
        (('{"sender": "%s", "message": "hi", "metadata": []}' % SENDER).encode(), '"metadata"'),
        (('{"sender": "%s", "message": "hi", "metadata": {"accessibility": {"mode": "large"}}}' % SENDER).encode(),
         '"plain"'),
        (('{"sender": "%s", "message": "hi", "metadata": {"accessibility": "plain"}}' % SENDER).encode(),
         '"metadata.accessibility"'),
        (('{"sender": "%s", "message": "hi", "input_channel": "socketio"}' % SENDER).encode(), '"input_channel"'),
        (('{"sender": "%s", "message": "hi", "message_id": "m1"}' % SENDER).encode(), '"message_id"'),
        (('{"sender": "%s", "message": "hi", "message_id": 7}' % SENDER).encode(), '"message_id"'),
        (('{"sender": "%s", "message": "why?", "metadata": {"about": "the last one"}}' % SENDER).encode(),
         '"metadata.about"'),
        (('{"sender": "%s", "message": "why?", "metadata": {"about": {"message_id": "<b>"}}}' % SENDER).encode(),
         '"metadata.about"'),
    ],
)
def test_a_bad_request_is_refused_with_a_reason_and_never_reaches_the_assistant(web_chat, body: bytes, reason: str) -> None:
    async def scenario(chat: WebChat):
        return await chat.client.request("POST", WEBHOOK, body, {"content-type": "application/json"}), chat

    reply, chat = web_chat(scenario)

    assert reply.status == (413 if "longer than 20,000" in reason else 400)  # too large is its own status
    assert reason in reply.json()["error"]
    assert chat.assistant.received == []


def test_the_message_limit_can_be_set_in_credentials() -> None:
    assert WebChatInput.from_credentials({"max_message_characters": 500}).max_characters == 500
    assert WebChatInput.from_credentials(None).max_characters == 20_000
    assert WebChatInput.name() == "web"


@pytest.mark.parametrize("sender", [SENDER, "a" * 16, "A-b_" * 32, "0123456789abcdef0123"])
def test_a_random_id_like_the_widgets_names_a_conversation(sender: str) -> None:
    assert sender_problem(sender) is None


@pytest.mark.parametrize("sender", ["", "a" * 15, "a" * 129, "abc/def/ghi/jkl/mno", "é" * 20, None, 12345678901234567])
def test_a_guessable_or_odd_id_is_refused(sender: object) -> None:
    assert sender_problem(sender)


XSS = [
    '<script>alert("x")</script>',
    '<img src=x onerror="alert(1)">',
    '"><svg onload=alert(1)>',
    "javascript:alert(1)",
    "[click me](javascript:alert(1))",
]


@pytest.mark.parametrize("payload", XSS)
def test_markup_in_a_message_comes_back_as_data_never_as_a_page(web_chat, payload: str) -> None:
    async def scenario(chat: WebChat):
        return await chat.send({"sender": SENDER, "message": payload})

    reply = web_chat(scenario)

    assert reply.headers["content-type"] == "application/json"
    assert reply.json()[0]["text"] == f"You said: {payload}"


# ------------------------------------------------------------------ a person's replies, pushed


def test_a_persons_reply_is_pushed_to_the_open_widget_at_once(web_chat) -> None:
    async def scenario(chat: WebChat):
        await chat.send({"sender": SENDER, "message": "hello"})
        stream = await chat.client.stream(chat.events_path())
        await stream.until(lambda s: "retry:" in s.text)
        delivery = await OUTBOX.deliver(web_conversation(), {"text": "Hello, I'm Sam from the team.", "agent": "Sam"}, "web")
        await stream.until(lambda s: s.events())
        await stream.hang_up()
        return stream, delivery

    stream, delivery = web_chat(scenario)

    assert stream.status == 200
    assert stream.headers["content-type"] == "text/event-stream; charset=utf-8"
    assert stream.headers["cache-control"] == "no-store"
    assert delivery == "pushed"
    assert stream.events() == [{"text": "Hello, I'm Sam from the team.", "agent": "Sam"}]


def test_replies_sent_while_the_widget_was_away_arrive_when_it_reconnects(web_chat) -> None:
    async def scenario(chat: WebChat):
        await chat.send({"sender": SENDER, "message": "hello"})
        delivery = await OUTBOX.deliver(web_conversation(), {"text": "Are you still there?", "agent": "Sam"}, "web")
        stream = await chat.client.stream(chat.events_path())
        await stream.until(lambda s: s.events())
        await stream.hang_up()
        return stream, delivery

    stream, delivery = web_chat(scenario)

    assert delivery == "collected"
    assert stream.events() == [{"text": "Are you still there?", "agent": "Sam"}]


def test_when_the_widget_goes_replies_wait_for_its_next_message(web_chat) -> None:
    async def scenario(chat: WebChat):
        await chat.send({"sender": SENDER, "message": "hello"})
        stream = await chat.client.stream(chat.events_path())
        await stream.until(lambda s: "retry:" in s.text)
        await stream.hang_up()
        delivery = await OUTBOX.deliver(web_conversation(), {"text": "I've refunded it.", "agent": "Sam"}, "web")
        reply = await chat.send({"sender": SENDER, "message": "thanks"})
        return delivery, reply

    delivery, reply = web_chat(scenario)

    assert delivery == "collected"
    assert [message["text"] for message in reply.json()] == ["I've refunded it.", "You said: thanks"]


def test_a_reply_goes_only_to_its_own_conversation(web_chat) -> None:
    other = "0" * 32

    async def scenario(chat: WebChat):
        await chat.send({"sender": SENDER, "message": "hello"})
        await chat.send({"sender": other, "message": "hello"})
        mine = await chat.client.stream(chat.events_path())
        theirs = await chat.client.stream(chat.events_path(other))
        await mine.until(lambda s: "retry:" in s.text)
        await theirs.until(lambda s: "retry:" in s.text)
        await OUTBOX.deliver(web_conversation(other), {"text": "For the other customer.", "agent": "Sam"}, "web")
        await theirs.until(lambda s: s.events())
        await mine.hang_up()
        await theirs.hang_up()
        return mine, theirs

    mine, theirs = web_chat(scenario)

    assert mine.events() == []
    assert theirs.events() == [{"text": "For the other customer.", "agent": "Sam"}]


@pytest.mark.parametrize("payload", XSS)
def test_markup_in_a_persons_reply_is_pushed_as_data(web_chat, payload: str) -> None:
    async def scenario(chat: WebChat):
        await chat.send({"sender": SENDER, "message": "hello"})
        stream = await chat.client.stream(chat.events_path())
        await stream.until(lambda s: "retry:" in s.text)
        await OUTBOX.deliver(web_conversation(), {"text": payload + "\nsecond line", "agent": "Sam"}, "web")
        await stream.until(lambda s: s.events())
        await stream.hang_up()
        return stream

    stream = web_chat(scenario)

    # One event on one data line: a line break in a message cannot end it or start another.
    assert stream.events() == [{"text": payload + "\nsecond line", "agent": "Sam"}]


def test_an_event_stream_needs_a_conversation_id_nobody_can_guess(web_chat) -> None:
    async def scenario(chat: WebChat):
        return await chat.client.request("GET", events_path("default"))

    refused = web_chat(scenario)

    assert refused.status == 400
    assert "16 to 128 letters" in refused.json()["error"]

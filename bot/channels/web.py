"""Candor's own web chat widget, served by the Rasa server as an input channel named "web".

The widget (`accessibility/web/`) is plain JavaScript and CSS; a shop embeds it with one script
tag. It talks to these routes, all under `/webhooks/web/`:

  GET  /                  the demo page: a shop page with the widget on it
  GET  /widget.js         the widget
  GET  /widget.css        its styles (the widget links them itself)
  GET  /notice            the AI disclosure from `bot/policy.yml`, shown before the first message
                          (if the policy cannot be read: a 503 whose body still holds a short
                          disclosure, `utter_ai_disclosure_unavailable`)
  POST /webhook           {"sender", "message", "message_id"?, "metadata"?}: the assistant's replies,
                          checked exactly like the REST channel (4xx with {"error": reason})
  GET  /events/<sender>?session_secret=...
                          server-sent events: what a person from the team says, pushed at once

A conversation belongs to whoever holds its session secret (`bot.ownership`): the first reply
carries it in the `Candor-Session-Secret` header, and the widget sends it back with every message
and opens the event stream with it. Web conversations are a namespace of their own, so no other
channel can reach one. The widget makes a random sender id (32 hex digits), and this channel
refuses ids that are short enough to guess or that hold anything but letters, digits, "-" and "_".
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from accessibility.modes import Mode
from bot.channels.checks import RequestProblem
from bot.channels.choices import answering_choices_by_number
from bot.channels.limits import limited, rate_limited
from bot.channels.outbox import OUTBOX
from bot.channels.rest import (
    MAX_SENDER_CHARACTERS,
    ValidatingRestInput,
    checked_request,
    refusal,
    replies_to,
    with_access,
)
from bot.nlg import worded_response
from bot.ownership import SECRET_HEADER, AccessRefused, existing_conversation, open_conversation
from bot.policy import current_policy
from bot.policy_sections import PolicyError

logger = logging.getLogger(__name__)

ASSETS = Path(__file__).resolve().parents[2] / "accessibility" / "web"
CONTENT_TYPES = {
    "widget.js": "text/javascript; charset=utf-8",
    "widget.css": "text/css; charset=utf-8",
}
# Short enough that a fixed widget reaches browsers within minutes; the files carry no version.
ASSET_CACHE = "public, max-age=300"
MIN_SENDER_CHARACTERS = 16
SENDER_ID = re.compile(rf"[A-Za-z0-9_-]{{{MIN_SENDER_CHARACTERS},{MAX_SENDER_CHARACTERS}}}")
# A comment on an idle event stream: it keeps proxies from closing it and finds dead connections.
HEARTBEAT_SECONDS = 15.0
# How long a browser waits before it reconnects a dropped event stream.
RECONNECT_MILLISECONDS = 3_000
# Message metadata the widget needs to see: which message is the AI disclosure (so it is not shown
# twice). Everything else in a bot message's metadata stays on the server.
FORWARDED_METADATA = ("notice",)
# The demo page runs only its own code: the widget and its styles from this server.
DEMO_PAGE_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


def sender_problem(sender: Any) -> Optional[str]:
    """Why `sender` cannot name a web conversation, or None when it can."""
    if not isinstance(sender, str) or not SENDER_ID.fullmatch(sender):
        return (
            f'"sender" must be {MIN_SENDER_CHARACTERS} to {MAX_SENDER_CHARACTERS} letters, digits, "-" or "_": '
            "a random id the widget makes, so that nobody can guess another customer's conversation"
        )
    return None


def message_id_problem(message_id: Any) -> Optional[str]:
    """Why `message_id` cannot name a customer's message, or None when it can (or is left out).

    The widget names each message it sends, so that "Why?" on an older answer can say which of the
    customer's messages that answer replied to (`metadata.about.message_id`).
    """
    if message_id is None or (isinstance(message_id, str) and SENDER_ID.fullmatch(message_id)):
        return None
    return f'"message_id" is optional; when given it must be {MIN_SENDER_CHARACTERS} to {MAX_SENDER_CHARACTERS} letters, digits, "-" or "_"'


def metadata_problem(metadata: Optional[Dict[str, Any]]) -> Optional[str]:
    """Why the parts of `metadata` the assistant reads (the accessibility mode, and the earlier
    message a "why?" is about) cannot be honoured, or None when they can."""
    metadata = metadata or {}
    if "accessibility" in metadata:
        accessibility = metadata["accessibility"]
        modes = ", ".join(f'"{mode.value}"' for mode in Mode)
        if not isinstance(accessibility, dict) or accessibility.get("mode") not in {mode.value for mode in Mode}:
            return f'"metadata.accessibility" must be {{"mode": ...}} with one of {modes}'
    if "about" in metadata:
        about = metadata["about"]
        if not isinstance(about, dict) or about.get("message_id") is None or message_id_problem(about["message_id"]):
            return '"metadata.about" must be {"message_id": ...} naming one of your earlier messages'
    return None


def event_stream_message(message: Dict[str, Any]) -> str:
    """One server-sent event carrying `message` as JSON (which never holds a raw line break)."""
    return f"data: {json.dumps(message, ensure_ascii=False)}\n\n"


def fallback_disclosure() -> Dict[str, Any]:
    """The short disclosure for when the policy's notice cannot be read, in both wordings, unversioned."""
    return {
        "text": worded_response("utter_ai_disclosure_unavailable", Mode.STANDARD)["text"],
        "plain_text": worded_response("utter_ai_disclosure_unavailable", Mode.PLAIN)["text"],
        "version": None,
    }


class WebOutputChannel(CollectingOutputChannel):
    """Collects the assistant's replies as the widget shows them: one entry per bot message.

    Rasa's collector splits a message into parts (each paragraph, the custom payload) and drops the
    message's metadata. The widget needs a message whole, so that an explanation's text and its
    `custom.explanation` data arrive together and the transcript announces each message once, and
    needs to know which message is the AI disclosure.
    """

    @classmethod
    def name(cls) -> Text:
        return "web"

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        shown = {"recipient_id": recipient_id}
        for key in ("text", "image", "attachment", "custom"):
            if message.get(key):
                shown[key] = message[key]
        buttons = message.get("buttons") or message.get("quick_replies")
        if buttons:
            shown["buttons"] = buttons
        for key in FORWARDED_METADATA:
            if message.get(key):
                shown[key] = message[key]
        if len(shown) > 1:
            await self._persist_message(shown)


class WebChatInput(ValidatingRestInput):
    """The accessible web chat widget's channel (`credentials.yml`: `bot.channels.web.WebChatInput:`).

    A REST channel underneath: the same settings (`max_message_characters`) and the same checks,
    with the widget's own routes and the checks it adds.
    """

    @classmethod
    def name(cls) -> Text:
        return "web"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        web = Blueprint("candor_web_chat", __name__)
        on_new_message = answering_choices_by_number(on_new_message)

        @web.route("/", methods=["GET"])
        async def demo_page(_request: Request) -> HTTPResponse:
            """A shop page with the widget on it, to try it and to test it in a browser."""
            return response.html(
                (ASSETS / "demo.html").read_text(encoding="utf-8"),
                headers={"Content-Security-Policy": DEMO_PAGE_POLICY, "X-Content-Type-Options": "nosniff"},
            )

        @web.route("/widget.js", methods=["GET"])
        async def widget_script(_request: Request) -> HTTPResponse:
            """The widget, which a shop's page loads from here with one script tag."""
            return _asset("widget.js")

        @web.route("/widget.css", methods=["GET"])
        async def widget_styles(_request: Request) -> HTTPResponse:
            """The widget's styles; the widget links them into its own shadow root."""
            return _asset("widget.css")

        @web.route("/notice", methods=["GET"])
        async def notice(_request: Request) -> HTTPResponse:
            """The AI disclosure, so the widget says what it is before the customer writes anything.

            If the policy cannot be read, a 503 still carries a short disclosure to show
            (`utter_ai_disclosure_unavailable`), so the widget holds no wording of its own.
            """
            try:
                disclosure = current_policy().notices.ai_disclosure
            except PolicyError as error:
                logger.error("The web widget has no AI disclosure to show: %s", error)
                return response.json({"error": "the AI disclosure is not available", **fallback_disclosure()}, status=503)
            return response.json(
                {"text": disclosure.text, "plain_text": disclosure.plain_text, "version": disclosure.version},
                headers={"Cache-Control": "no-cache"},
            )

        @web.route("/webhook", methods=["POST"])
        @limited
        async def receive(request: Request) -> HTTPResponse:
            """Handle one customer message; reply with the assistant's messages as a JSON list."""
            try:
                fields = self._checked(request)
                access = open_conversation(self.name(), fields["sender"], request.headers.get(SECRET_HEADER))
            except (RequestProblem, AccessRefused) as problem:
                return refusal(problem)
            collector = WebOutputChannel()
            message = UserMessage(
                fields["message"],
                collector,
                access.conversation_id,
                input_channel=self.name(),
                message_id=fields["message_id"],
                metadata=fields["metadata"],
            )
            return with_access(await replies_to(message, on_new_message), access)

        @web.route("/events/<sender>", methods=["GET"])
        @rate_limited
        async def events(request: Request, sender: str) -> Optional[HTTPResponse]:
            """Server-sent events: each message a person sends this conversation, as `data: {json}`.

            Only for the conversation's owner (`?session_secret=`, since a browser's EventSource
            cannot send headers). Messages that waited in the outbox (sent while no stream was open)
            come first. The stream stays open until the browser goes; it reconnects by itself.
            """
            problem = sender_problem(sender)
            if problem:
                return response.json({"error": problem}, status=400)
            try:
                conversation = existing_conversation(self.name(), sender, request.args.get("session_secret"))
            except AccessRefused as refused:
                return refusal(refused)
            stream = await request.respond(
                content_type="text/event-stream; charset=utf-8",
                headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
            )
            with OUTBOX.listening(conversation) as arrivals:
                await stream.send(f"retry: {RECONNECT_MILLISECONDS}\n\n")
                for waiting in OUTBOX.collect(conversation):
                    await stream.send(event_stream_message(waiting))
                while True:
                    try:
                        pushed = await asyncio.wait_for(arrivals.get(), HEARTBEAT_SECONDS)
                    except asyncio.TimeoutError:
                        await stream.send(": still here\n\n")
                        continue
                    await stream.send(event_stream_message(pushed))
            return None  # not reached: the stream ends when the browser leaves (the task is cancelled)

        return web

    def _checked(self, request: Request) -> Dict[str, Any]:
        """The REST channel's checks, and those the web channel adds: a sender id nobody can guess,
        an accessibility mode the assistant knows, and no other channel claimed."""
        fields = checked_request(request, self.limits)
        fields["message_id"] = request.json.get("message_id")
        problem = (
            sender_problem(fields["sender"])
            or message_id_problem(fields["message_id"])
            or metadata_problem(fields["metadata"])
        )
        if fields["input_channel"] not in (None, self.name()):
            problem = f'"input_channel" is always "{self.name()}" here; leave it out'
        if problem:
            raise RequestProblem(problem)
        return fields


def _asset(name: str) -> HTTPResponse:
    return response.raw(
        (ASSETS / name).read_bytes(),
        content_type=CONTENT_TYPES[name],
        headers={"Cache-Control": ASSET_CACHE, "X-Content-Type-Options": "nosniff"},
    )

"""Rasa's REST channel, with the request checked before the assistant sees it.

Rasa's own REST channel answers malformed input with a server error, files every message without
a `sender` under one shared conversation called "default", and replies with an empty list when
handling fails. Here a bad request gets a 400 with a reason the client can act on, every
conversation needs its own sender id, and a failure still gives the customer a polite reply.
"""

from __future__ import annotations

import logging
from asyncio import CancelledError
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.exceptions import InvalidUsage
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.choices import answering_choices_by_number
from bot.channels.outbox import OUTBOX

logger = logging.getLogger(__name__)

MAX_MESSAGE_CHARACTERS = 20_000
MAX_SENDER_CHARACTERS = 128
APOLOGY = {
    "text": "Sorry, something went wrong on our side and I couldn't answer that. "
    "Please try again, or type \"person\" to talk to a person."
}


class RequestProblem(ValueError):
    """What is wrong with a request, in words for the client's developer."""


def checked_request(request: Request, max_characters: int) -> Dict[str, Any]:
    """The request body as `{sender, message, metadata, input_channel}`, or a RequestProblem."""
    try:
        body = request.json
    except InvalidUsage:
        raise RequestProblem("the body is not valid JSON") from None
    if not isinstance(body, dict):
        raise RequestProblem('the body must be a JSON object like {"sender": "...", "message": "..."}')
    sender, message, metadata = checked_sender(body.get("sender")), body.get("message"), body.get("metadata")
    if not isinstance(message, str):
        raise RequestProblem('"message" is required and must be a string')
    if len(message) > max_characters:
        raise RequestProblem(f'"message" is longer than {max_characters:,} characters; please send it in parts')
    if metadata is not None and not isinstance(metadata, dict):
        raise RequestProblem('"metadata", when given, must be a JSON object')
    input_channel = body.get("input_channel")
    if input_channel is not None and not isinstance(input_channel, str):
        raise RequestProblem('"input_channel", when given, must be a string')
    return {"sender": sender, "message": message, "metadata": metadata, "input_channel": input_channel}


def checked_sender(sender: Any) -> str:
    """The conversation id a client sent, or a RequestProblem saying what is wrong with it."""
    if not isinstance(sender, str) or not sender.strip():
        raise RequestProblem('"sender" is required: a non-empty string that identifies the conversation')
    if len(sender) > MAX_SENDER_CHARACTERS:
        raise RequestProblem(f'"sender" is longer than {MAX_SENDER_CHARACTERS} characters')
    return sender


class ValidatingRestInput(RestInput):
    """`POST /webhooks/rest/webhook` with `{"sender": str, "message": str, "metadata"?: object}`."""

    @classmethod
    def name(cls) -> Text:
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "ValidatingRestInput":
        credentials = credentials or {}
        return cls(max_characters=int(credentials.get("max_message_characters", MAX_MESSAGE_CHARACTERS)))

    def __init__(self, max_characters: int = MAX_MESSAGE_CHARACTERS) -> None:
        self.max_characters = max_characters

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> Blueprint:
        webhook = Blueprint(f"custom_webhook_{type(self).__name__}", __name__)
        on_new_message = answering_choices_by_number(on_new_message)

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            """Handle one customer message; reply with the assistant's messages as a JSON list."""
            try:
                fields = checked_request(request, self.max_characters)
            except RequestProblem as problem:
                return response.json({"error": str(problem)}, status=400)
            collector = CollectingOutputChannel()
            message = UserMessage(
                fields["message"],
                collector,
                fields["sender"],
                input_channel=fields["input_channel"] or self.name(),
                metadata=fields["metadata"],
            )
            return await replies_to(message, on_new_message)

        return webhook


async def replies_to(message: UserMessage, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> HTTPResponse:
    """The assistant's replies to `message`, collected by its output channel, as a JSON list.

    Anything a person from the team wrote since the customer's last request goes out first. A
    failure still gives the customer a polite reply, after whatever was already said.
    """
    collector: CollectingOutputChannel = message.output_channel
    try:
        await on_new_message(message)
    except CancelledError:
        logger.error("Handling a %s message timed out.", message.input_channel)
        return response.json(collector.messages + [APOLOGY], status=503)
    except Exception:
        logger.exception("Handling a %s message failed.", message.input_channel)
        return response.json(collector.messages + [APOLOGY], status=500)
    return response.json(OUTBOX.collect(message.sender_id) + collector.messages)

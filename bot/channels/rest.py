"""Rasa's REST channel, with the request checked and the conversation's owner proven first.

Rasa's own REST channel answers malformed input with a server error, files every message without
a `sender` under one shared conversation called "default", lets anyone who knows a sender id read
and act in that conversation, and replies with an empty list when handling fails. Here:

* a bad request gets a 4xx with a reason the client can act on (`bot.channels.checks`);
* the first message of a conversation is answered with its session secret (the
  `Candor-Session-Secret` header), which every later message must carry (`bot.ownership`); a
  server-to-server integration may instead send `Authorization: Bearer $CANDOR_INTEGRATION_TOKEN`
  on every request, and then addresses its own conversations by sender id alone;
* a failure, including a database that could not store the turn, still gives the customer a
  polite reply, with a 5xx status.
"""

from __future__ import annotations

import hmac
import logging
import traceback
from asyncio import CancelledError
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from accessibility.modes import Mode
from bot import settings
from bot.channels.checks import RequestProblem, checked_identifier, checked_metadata, checked_text, json_object
from bot.channels.choices import answering_choices_by_number
from bot.channels.limits import limited
from bot.channels.outbox import OUTBOX
from bot.nlg import worded_response
from bot.ownership import CONVERSATION_HEADER, SECRET_HEADER, Access, AccessRefused, conversation_id, open_conversation
from bot.tracker_store import watching_storage

logger = logging.getLogger(__name__)

MAX_MESSAGE_CHARACTERS = 20_000
MAX_SENDER_CHARACTERS = 128
MAX_METADATA_BYTES = 16_384
MAX_METADATA_DEPTH = 8
# The namespace of conversations an integration holds with its token instead of session secrets.
INTEGRATION_NAMESPACE = "integration"
# What a customer reads when their message could not be handled (a domain response).
APOLOGY_RESPONSE = "utter_something_went_wrong"


def apology() -> Dict[str, Any]:
    """The apology for a message that could not be handled, as a message to send.

    Worded in the standard mode: when handling failed, the conversation's mode may not be known.
    The domain's files are read once per process (they are not the store that may have failed).
    """
    return {"text": worded_response(APOLOGY_RESPONSE, Mode.STANDARD)["text"]}


@dataclass(frozen=True)
class MessageLimits:
    """How much one message may carry (credentials.yml, per channel)."""

    max_characters: int = MAX_MESSAGE_CHARACTERS
    max_metadata_bytes: int = MAX_METADATA_BYTES
    max_metadata_depth: int = MAX_METADATA_DEPTH

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "MessageLimits":
        given = credentials or {}
        return cls(
            max_characters=int(given.get("max_message_characters") or cls.max_characters),
            max_metadata_bytes=int(given.get("max_metadata_bytes") or cls.max_metadata_bytes),
            max_metadata_depth=int(given.get("max_metadata_depth") or cls.max_metadata_depth),
        )


def checked_request(request: Request, limits: MessageLimits) -> Dict[str, Any]:
    """The request body as `{sender, message, metadata, input_channel}`, or a RequestProblem."""
    body = json_object(request, '{"sender": "...", "message": "..."}')
    input_channel = body.get("input_channel")
    if input_channel is not None:
        input_channel = checked_identifier("input_channel", input_channel, 40)
    return {
        "sender": checked_identifier("sender", body.get("sender"), MAX_SENDER_CHARACTERS),
        "message": checked_text("message", body.get("message"), limits.max_characters),
        "metadata": checked_metadata(body.get("metadata"), limits.max_metadata_bytes, limits.max_metadata_depth),
        "input_channel": input_channel,
    }


def presented_secret(request: Request) -> Optional[str]:
    return request.headers.get(SECRET_HEADER) or None


def with_access(reply: HTTPResponse, access: Access) -> HTTPResponse:
    """Tell the client which conversation this was, and hand over its secret if it was just issued."""
    reply.headers[CONVERSATION_HEADER] = access.conversation_id
    if access.issued_secret is not None:
        reply.headers[SECRET_HEADER] = access.issued_secret
    return reply


def refusal(problem: Exception) -> HTTPResponse:
    """A 4xx for a request that failed its checks or did not prove it owns the conversation."""
    if isinstance(problem, AccessRefused):
        return response.json({"error": str(problem)}, status=getattr(problem, "status", 403))
    status = problem.status if isinstance(problem, RequestProblem) else 400
    return response.json({"error": str(problem)}, status=status)


class IntegrationRefused(AccessRefused):
    status = 401


class ValidatingRestInput(RestInput):
    """`POST /webhooks/rest/webhook` with `{"sender": str, "message": str, "metadata"?: object}`."""

    @classmethod
    def name(cls) -> Text:
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "ValidatingRestInput":
        return cls(MessageLimits.from_credentials(credentials))

    def __init__(self, limits: Optional[MessageLimits] = None) -> None:
        self.limits = limits or MessageLimits()

    @property
    def max_characters(self) -> int:
        return self.limits.max_characters

    def access(self, request: Request, sender: str) -> Access:
        """Which conversation the request may speak in: by its session secret, or as the integration."""
        token = settings.integration_token()
        if token is None:
            return open_conversation(self.name(), sender, presented_secret(request))
        given = request.headers.get("authorization", "")
        if not given.lower().startswith("bearer ") or not hmac.compare_digest(given[7:].strip().encode(), token.encode()):
            raise IntegrationRefused("this server takes REST messages from its integration only: send 'Authorization: Bearer <integration token>'")
        return Access(conversation_id(INTEGRATION_NAMESPACE, sender))

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> Blueprint:
        webhook = Blueprint(f"custom_webhook_{type(self).__name__}", __name__)
        on_new_message = answering_choices_by_number(on_new_message)

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        @limited
        async def receive(request: Request) -> HTTPResponse:
            """Handle one customer message; reply with the assistant's messages as a JSON list."""
            try:
                fields = checked_request(request, self.limits)
                access = self.access(request, fields["sender"])
            except (RequestProblem, AccessRefused) as problem:
                return refusal(problem)
            message = UserMessage(
                fields["message"],
                CollectingOutputChannel(),
                access.conversation_id,
                input_channel=fields["input_channel"] or self.name(),
                metadata=fields["metadata"],
            )
            return with_access(await replies_to(message, on_new_message), access)

        return webhook


async def replies_to(message: UserMessage, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> HTTPResponse:
    """The assistant's replies to `message`, collected by its output channel, as a JSON list.

    Anything a person from the team wrote since the customer's last request goes out first. A
    failure still gives the customer a polite reply, after whatever was already said.
    """
    collector: CollectingOutputChannel = message.output_channel
    with watching_storage() as storage:
        try:
            await on_new_message(message)
        except CancelledError:
            logger.error("Handling a %s message timed out.", message.input_channel)
            return response.json(collector.messages + [apology()], status=503)
        except Exception as error:
            # The error's text can quote the message; its kind and where it was raised are enough.
            logger.error("Handling a %s message failed: %s.", message.input_channel, described(error))
            return response.json(collector.messages + [apology()], status=500)
    if storage.failure is not None:
        return response.json([apology()], status=500)
    return response.json(OUTBOX.collect(message.sender_id) + collector.messages)


def described(error: BaseException) -> str:
    """An error's kind and the line that raised it, without its message (which can quote a customer)."""
    frames = traceback.extract_tb(error.__traceback__)
    where = f" at {frames[-1].filename}:{frames[-1].lineno} in {frames[-1].name}" if frames else ""
    return f"{type(error).__name__}{where}"


def checked_sender(sender: Any) -> str:
    """The conversation id a client sent, or a RequestProblem saying what is wrong with it."""
    return checked_identifier("sender", sender, MAX_SENDER_CHARACTERS)

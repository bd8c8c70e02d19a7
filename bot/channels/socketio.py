"""Rasa's socket.io protocol, with each conversation bound to its owner and every message checked.

The events are Rasa's (`session_request` / `session_confirm`, `user_uttered` / `bot_uttered`), so
existing web chat clients keep working, with three differences:

* A conversation belongs to whoever holds its session secret (`bot.ownership`). The first
  `session_request` for a `session_id` locks it, and `session_confirm` answers
  `{"session_id", "session_secret"}`; a client that reconnects sends `{"session_id", "session_secret"}`
  again. Without it, `session_refused` says why. A socket can only speak in the conversation its
  session request opened.
* Browsers may connect only from this server's own origin, or from `CANDOR_WIDGET_ORIGINS`.
* Every message is checked like a REST message (`bot.channels.checks`), counts against its
  client's limits (`bot.channels.limits`), and a failure is answered with an apology.

A person's replies reach the conversation's room at once (`bot.channels.outbox`).
"""

from __future__ import annotations

import json
import logging
import uuid
from typing import Any, Awaitable, Callable, Dict, Optional, Text

import rasa.core.channels.channel
from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer

from bot import settings
from bot.channels.checks import RequestProblem, checked_identifier, checked_metadata, checked_text
from bot.channels.choices import answering_choices_by_number
from bot.channels import limits
from bot.channels.limits import client_of
from bot.channels.outbox import OUTBOX
from bot.channels.rest import MAX_SENDER_CHARACTERS, MessageLimits, apology, described
from bot.ownership import AccessRefused, conversation_id, open_conversation
from bot.tracker_store import watching_storage

logger = logging.getLogger(__name__)

REFUSED_EVENT = "session_refused"
# Enough for the longest message and its metadata; socket.io's own default is 1 MB.
MAX_PACKET_BYTES = 131_072


class CandorSocketIOInput(SocketIOInput):
    """Rasa's socket.io channel (same name, same events), owned conversations, checked messages."""

    @classmethod
    def name(cls) -> Text:
        return "socketio"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "CandorSocketIOInput":
        channel = super().from_credentials(credentials)
        channel.limits = MessageLimits.from_credentials(credentials)
        return channel

    limits = MessageLimits()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> SocketBlueprint:
        on_new_message = answering_choices_by_number(on_new_message)
        origins = settings.widget_origins()
        sio = AsyncServer(
            async_mode="sanic",
            cors_allowed_origins=origins or None,  # None: this server's own origin only
            max_http_buffer_size=MAX_PACKET_BYTES,
        )
        blueprint = SocketBlueprint(sio, self.socketio_path, "socketio_webhook", __name__)
        self.sio = sio
        OUTBOX.connect_socketio(sio, self.bot_message_evt)
        namespace = self.namespace

        @blueprint.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @sio.on("connect", namespace=namespace)
        async def connect(sid: Text, environ: Dict, auth: Optional[Dict]) -> bool:
            if self.jwt_key and not _valid_jwt(auth, self.jwt_key, self.jwt_algorithm):
                return False
            # engine.io's own REMOTE_ADDR is always 127.0.0.1 under Sanic; the request knows better.
            request = environ.get("sanic.request")
            state: Dict[str, Any] = {"client": client_of(request) if request is not None else "unknown"}
            if not self.session_persistence:  # the connection itself is the conversation
                state["conversation"] = conversation_id(self.name(), f"sid:{sid}")
                sio.enter_room(sid, state["conversation"])
            await sio.save_session(sid, state, namespace=namespace)
            return True

        @sio.on("session_request", namespace=namespace)
        async def session_request(sid: Text, data: Optional[Dict]) -> None:
            state = await sio.get_session(sid, namespace=namespace)
            data = data if isinstance(data, dict) else {}
            try:
                session_id = data.get("session_id") or uuid.uuid4().hex
                session_id = checked_identifier("session_id", session_id, MAX_SENDER_CHARACTERS)
                secret = data.get("session_secret")
                secret = checked_identifier("session_secret", secret) if secret is not None else None
                if limits.LIMITER.admit(state["client"], hold=False) is not None:
                    raise RequestProblem("too many requests from your address; please try again shortly", 429)
                access = open_conversation(self.name(), session_id, secret)
            except (RequestProblem, AccessRefused) as problem:
                await sio.emit(REFUSED_EVENT, {"error": str(problem)}, room=sid, namespace=namespace)
                return
            for room in sio.rooms(sid, namespace=namespace):
                if room not in (sid, access.conversation_id):
                    sio.leave_room(sid, room, namespace=namespace)
            sio.enter_room(sid, access.conversation_id, namespace=namespace)
            state.update(conversation=access.conversation_id, session_id=session_id)
            await sio.save_session(sid, state, namespace=namespace)
            confirmation: Dict[str, str] = {"session_id": session_id}
            if access.issued_secret is not None:
                confirmation["session_secret"] = access.issued_secret
            await sio.emit("session_confirm", confirmation, room=sid, namespace=namespace)

        @sio.on(self.user_message_evt, namespace=namespace)
        async def handle_message(sid: Text, data: Any) -> None:
            state = await sio.get_session(sid, namespace=namespace)
            conversation = state.get("conversation")
            try:
                if conversation is None:
                    raise RequestProblem('ask for a session first: emit "session_request" with your session_id')
                fields = self._checked(data, state.get("session_id"))
            except RequestProblem as problem:
                await sio.emit(REFUSED_EVENT, {"error": str(problem)}, room=sid, namespace=namespace)
                return
            wait = limits.LIMITER.admit(state["client"])
            if wait is not None:
                await sio.emit(REFUSED_EVENT, {"error": "too many requests from your address", "retry_after": wait}, room=sid, namespace=namespace)
                return
            output = SocketIOOutput(sio, self.bot_message_evt)
            message = UserMessage(fields["message"], output, conversation, input_channel=self.name(), metadata=fields["metadata"])
            try:
                await self._handle(message, on_new_message, output)
            finally:
                limits.LIMITER.release(state["client"])

        return blueprint

    def _checked(self, data: Any, session_id: Optional[str]) -> Dict[str, Any]:
        """A `user_uttered` payload's message and metadata; it may only name its own session."""
        if not isinstance(data, dict):
            raise RequestProblem('send {"message": "...", "session_id": "..."}')
        if self.session_persistence and data.get("session_id") not in (None, session_id):
            raise RequestProblem("this socket speaks only in the session it asked for")
        metadata = data.get(self.metadata_key)
        if isinstance(metadata, str):  # Rasa's clients may send it as a JSON string
            try:
                metadata = json.loads(metadata)
            except ValueError:
                raise RequestProblem('"metadata" is not valid JSON') from None
        return {
            "message": checked_text("message", data.get("message", ""), self.limits.max_characters),
            "metadata": checked_metadata(metadata, self.limits.max_metadata_bytes, self.limits.max_metadata_depth),
        }

    async def _handle(self, message: UserMessage, on_new_message: Callable[[UserMessage], Awaitable[Any]], output: SocketIOOutput) -> None:
        """Let the assistant answer; on any failure, the customer still hears an apology."""
        with watching_storage() as storage:
            try:
                await on_new_message(message)
            except Exception as error:
                logger.error("Handling a socketio message failed: %s.", described(error))
                storage.failure = storage.failure or "handling failed"
        if storage.failure is not None:
            await output.send_text_message(message.sender_id, apology()["text"])


def _valid_jwt(auth: Optional[Dict], key: str, algorithm: str) -> bool:
    """Rasa's own check, when the channel is configured with a JWT key."""
    token = (auth or {}).get("token")
    return bool(token and rasa.core.channels.channel.decode_bearer_token(token, key, algorithm))

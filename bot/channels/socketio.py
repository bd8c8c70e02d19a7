"""Rasa's socket.io channel, introduced to the outbox so a person's replies reach web chats at once."""

from __future__ import annotations

from typing import Any, Awaitable, Callable, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput

from bot.channels.choices import answering_choices_by_number
from bot.channels.outbox import OUTBOX


class CandorSocketIOInput(SocketIOInput):
    """Exactly Rasa's socket.io channel (same name, same events), plus a push route for agents
    and choices answered by number."""

    @classmethod
    def name(cls) -> Text:
        return "socketio"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> SocketBlueprint:
        blueprint = super().blueprint(answering_choices_by_number(on_new_message))
        OUTBOX.connect_socketio(self.sio, self.bot_message_evt)
        return blueprint

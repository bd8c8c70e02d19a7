"""Messages from a person (an agent) on their way to a customer, whatever channel the customer uses.

A web chat (socket.io) gets them pushed at once. A REST client only hears from the server when it
sends something, so its messages wait here and go out with the next reply (Rasa's "collected"
delivery). The outbox lives in the Rasa server's memory; every message is also in the
conversation's tracker, so a restart loses a delivery, never the record.
"""

from __future__ import annotations

from collections import defaultdict, deque
from typing import Any, Deque, Dict, List, Optional

from socketio import AsyncServer

BOT_MESSAGE_EVENT = "bot_uttered"


class Outbox:
    def __init__(self) -> None:
        self._waiting: Dict[str, Deque[Dict[str, Any]]] = defaultdict(deque)
        self._socketio: Optional[AsyncServer] = None
        self._socketio_event = BOT_MESSAGE_EVENT

    def connect_socketio(self, server: AsyncServer, bot_message_event: str) -> None:
        """Called by Candor's socket.io channel once its server exists."""
        self._socketio, self._socketio_event = server, bot_message_event

    async def deliver(self, conversation_id: str, message: Dict[str, Any], channel: Optional[str]) -> str:
        """Push to a web chat, or keep for the customer's next REST request; says which."""
        if channel == "socketio" and self._socketio is not None:
            await self._socketio.emit(self._socketio_event, message, room=conversation_id)
            return "pushed"
        self._waiting[conversation_id].append(message)
        return "collected"

    def collect(self, conversation_id: str) -> List[Dict[str, Any]]:
        """Everything waiting for this conversation, oldest first, removed from the outbox."""
        waiting = self._waiting.pop(conversation_id, deque())
        return list(waiting)


OUTBOX = Outbox()

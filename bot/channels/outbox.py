"""Messages from a person (an agent) on their way to a customer, whatever channel the customer uses.

A web chat (socket.io) gets them pushed at once, and so does a customer whose web widget is
listening on its event stream (`listening`, used by `bot.channels.web`). A REST client only hears
from the server when it sends something, so its messages wait here and go out with the next reply
(Rasa's "collected" delivery). The outbox lives in the Rasa server's memory; every message is also
in the conversation's tracker, so a restart loses a delivery, never the record.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict, deque
from contextlib import contextmanager
from typing import Any, Deque, Dict, Iterator, List, Optional, Set

from socketio import AsyncServer

BOT_MESSAGE_EVENT = "bot_uttered"


class Outbox:
    def __init__(self) -> None:
        self._waiting: Dict[str, Deque[Dict[str, Any]]] = defaultdict(deque)
        self._socketio: Optional[AsyncServer] = None
        self._socketio_event = BOT_MESSAGE_EVENT
        self._listeners: Dict[str, Set["asyncio.Queue[Dict[str, Any]]"]] = defaultdict(set)

    def connect_socketio(self, server: AsyncServer, bot_message_event: str) -> None:
        """Called by Candor's socket.io channel once its server exists."""
        self._socketio, self._socketio_event = server, bot_message_event

    @contextmanager
    def listening(self, conversation_id: str) -> Iterator["asyncio.Queue[Dict[str, Any]]"]:
        """While inside, this conversation's messages are pushed into the queue yielded, not kept.

        For a client that holds a connection open (the web widget's event stream). Whatever was
        pushed but not taken when it leaves goes back to wait for the next connection or request.
        """
        arrivals: "asyncio.Queue[Dict[str, Any]]" = asyncio.Queue()
        self._listeners[conversation_id].add(arrivals)
        try:
            yield arrivals
        finally:
            listeners = self._listeners[conversation_id]
            listeners.discard(arrivals)
            if not listeners:
                del self._listeners[conversation_id]
            while not arrivals.empty():
                self._waiting[conversation_id].append(arrivals.get_nowait())

    async def deliver(self, conversation_id: str, message: Dict[str, Any], channel: Optional[str]) -> str:
        """Push to a web chat or a listening widget, or keep for the customer's next request; says which."""
        if channel == "socketio" and self._socketio is not None:
            await self._socketio.emit(self._socketio_event, message, room=conversation_id)
            return "pushed"
        if self._listeners.get(conversation_id):
            for arrivals in self._listeners[conversation_id]:
                arrivals.put_nowait(message)
            return "pushed"
        self._waiting[conversation_id].append(message)
        return "collected"

    def collect(self, conversation_id: str) -> List[Dict[str, Any]]:
        """Everything waiting for this conversation, oldest first, removed from the outbox."""
        waiting = self._waiting.pop(conversation_id, deque())
        return list(waiting)


OUTBOX = Outbox()

"""A conversation belongs to whoever holds the secret issued with its first message.

A conversation id alone never gives access. The first message a channel receives for a new
conversation locks it with a random session secret, which goes back to that client only (the
`Candor-Session-Secret` response header, or the socket.io session confirmation). Every later
message, and the stream of a person's replies, must carry it. The store keeps only its SHA-256.

Each channel has its own namespace, and the id the assistant uses is derived from the client's
id with the server's key (`conversation_id`): a web chat cannot be reached through REST, voice
or socket.io whatever id is sent there, and a client id that is personal (an email address, a
phone number) is never stored or logged.

Signing in, consent and every other decision live in the conversation, so they are bound to
this secret: a client with another secret is in another conversation, signed in as nobody.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timezone
from threading import Lock
from typing import Optional

from bot import settings
from bot.store.conversation_keys import claim, forget_keys, key_of
from bot.store.database import open_session

SECRET_HEADER = "Candor-Session-Secret"
CONVERSATION_HEADER = "Candor-Conversation"
# Keys never change once written, so a verified one can be remembered; this many per process.
REMEMBERED_KEYS = 20_000


class AccessRefused(PermissionError):
    """The request may not speak in this conversation; the reason is safe to show the client."""


@dataclass(frozen=True)
class Access:
    """The conversation a request may speak in, and the secret to hand back if it was just locked."""

    conversation_id: str
    issued_secret: Optional[str] = None


def conversation_id(channel: str, client_id: str) -> str:
    """The assistant's id for a channel's conversation: `<channel>-<32 hex digits>`, keyed and one-way."""
    digest = hmac.new(settings.secret_key(), f"{channel}\0{client_id}".encode("utf-8"), hashlib.sha256)
    return f"{channel}-{digest.hexdigest()[:32]}"


def open_conversation(channel: str, client_id: str, secret: Optional[str], now: Optional[datetime] = None) -> Access:
    """Access to a channel's conversation: a new one is locked with a new secret, an existing one
    opens only with its secret. Raises AccessRefused otherwise."""
    conversation = conversation_id(channel, client_id)
    known = _KEYS.get(conversation)
    if known is None:
        with open_session() as session:
            key = key_of(session, conversation)
            if key is None:
                issued = new_secret()
                if claim(session, conversation, channel, _digest(issued), now or datetime.now(timezone.utc)):
                    _KEYS.put(conversation, _digest(issued))
                    return Access(conversation, issued)
                key = key_of(session, conversation)  # another request locked it a moment ago
            known = key.secret_sha256 if key is not None else None
        if known is not None:
            _KEYS.put(conversation, known)
    if secret and known and hmac.compare_digest(known, _digest(secret)):
        return Access(conversation)
    raise AccessRefused(_refusal(secret))


def existing_conversation(channel: str, client_id: str, secret: Optional[str]) -> str:
    """The id of a conversation that exists and opens with `secret` (never locks a new one)."""
    conversation = conversation_id(channel, client_id)
    known = _KEYS.get(conversation)
    if known is None:
        with open_session() as session:
            key = key_of(session, conversation)
            known = key.secret_sha256 if key is not None else None
        if known is not None:
            _KEYS.put(conversation, known)
    if secret and known and hmac.compare_digest(known, _digest(secret)):
        return conversation
    raise AccessRefused(_refusal(secret))


def forget_conversation(conversation: str) -> None:
    """Unlock an erased conversation: its next message starts a new one, with a new secret."""
    with open_session() as session:
        forget_keys(session, [conversation])
    _KEYS.forget(conversation)


def new_secret() -> str:
    """256 random bits, URL-safe: a header, a JSON string or a query parameter carries it as is."""
    return secrets.token_urlsafe(32)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _refusal(secret: Optional[str]) -> str:
    if not secret:
        return (
            f"this conversation has already started: send the session secret it was given "
            f"(the {SECRET_HEADER} header of its first reply), or start a new conversation with a new id"
        )
    return "that session secret does not open this conversation"


class _RememberedKeys:
    """A small thread-safe LRU of (database, conversation id) → secret hash, so most messages need
    no query."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._keys: "OrderedDict[tuple[str, str], str]" = OrderedDict()
        self._lock = Lock()

    def get(self, conversation: str) -> Optional[str]:
        entry = (settings.database_url(), conversation)
        with self._lock:
            known = self._keys.get(entry)
            if known is not None:
                self._keys.move_to_end(entry)
            return known

    def forget(self, conversation: str) -> None:
        with self._lock:
            self._keys.pop((settings.database_url(), conversation), None)

    def put(self, conversation: str, digest: str) -> None:
        entry = (settings.database_url(), conversation)
        with self._lock:
            self._keys[entry] = digest
            self._keys.move_to_end(entry)
            while len(self._keys) > self._size:
                self._keys.popitem(last=False)


_KEYS = _RememberedKeys(REMEMBERED_KEYS)

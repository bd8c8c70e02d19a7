"""Candor's lock store: Redis when `CANDOR_REDIS_URL` is set, otherwise in memory.

The lock store keeps the messages of one conversation in order. In memory is right for a single
server process; several replicas must share Redis. Rasa builds custom lock stores from
`endpoints.yml` by class path, so this class picks the backend from the environment and
delegates to Rasa's own implementations.
"""

from __future__ import annotations

from typing import Optional
from urllib.parse import unquote, urlsplit

from rasa.core.lock import TicketLock
from rasa.core.lock_store import InMemoryLockStore, LockStore, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

from bot import settings


class CandorLockStore(LockStore):
    """Rasa's `RedisLockStore` or `InMemoryLockStore`, chosen by `CANDOR_REDIS_URL`."""

    def __init__(self, endpoint_config: Optional[EndpointConfig] = None) -> None:
        url = settings.redis_url()
        self.backend: LockStore = redis_lock_store(url) if url else InMemoryLockStore()

    def get_lock(self, conversation_id: str) -> Optional[TicketLock]:
        return self.backend.get_lock(conversation_id)

    def delete_lock(self, conversation_id: str) -> None:
        self.backend.delete_lock(conversation_id)

    def save_lock(self, lock: TicketLock) -> None:
        self.backend.save_lock(lock)


def redis_lock_store(url: str) -> RedisLockStore:
    """A `RedisLockStore` for a URL such as `redis://:secret@127.0.0.1:6379/1`."""
    parts = urlsplit(url)
    if parts.scheme not in ("redis", "rediss"):
        raise ValueError(f"CANDOR_REDIS_URL must start with redis:// or rediss://, not {url!r}")
    database = parts.path.lstrip("/") or "1"
    if not database.isdigit():
        raise ValueError(f"CANDOR_REDIS_URL: the database after the last '/' must be a number, not {database!r}")
    return RedisLockStore(
        host=parts.hostname or "localhost",
        port=parts.port or 6379,
        db=int(database),
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        use_ssl=parts.scheme == "rediss",
    )

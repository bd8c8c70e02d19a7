"""Real slot values a live conversation still needs, held in this process's memory only, briefly.

Why this exists: the tracker store writes only redacted events, and Rasa reloads the tracker from
the store for every message. Without help, an address typed one turn would come back as
"<STREET_ADDRESS>" the next, and the address change it was typed for would fail at "yes"; an
email address given to prove an order is yours would be gone when the next question is answered.
So the tracker store remembers, per conversation, each slot whose value redaction changed: the
real value, its redacted form and the event that set it. On the next retrieve it puts the real
value back, into the slot and into that event (Rasa replays events too: a form's validation
rebuilds the tracker from them), but only if the slot still holds exactly that redacted form,
set by that same event; anything else means the slot has moved on, perhaps on another server.

The values are never written anywhere: not to the database, not to Redis, not to a log. They
expire `privacy.retention.live_values_minutes` after the conversation last saved them, and an
erased conversation's values are forgotten at once.

The trade-off: memory is per process. With one Rasa server (Candor's default) this is invisible.
With several replicas behind a load balancer, or after a restart, a message can reach a process
that never saw the value; the slot then holds the placeholder, which matches no customer or
order, and the customer is asked again. Sticky sessions make that rare. Candor accepts re-asking
as the price of never persisting personal data in clear.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Callable, Dict, Mapping, Tuple


@dataclass(frozen=True)
class LiveValue:
    """A slot's real value, the redacted form written instead, and when it was set.

    `set_at` is the timestamp of the `SlotSet` event that set it: a slot holding the same
    placeholder because another server set another address is not given this address back.
    """

    real: Any
    redacted: Any
    set_at: float


class LiveValues:
    """Per-conversation slot values in memory, each conversation's set expiring after `ttl`."""

    def __init__(self, ttl: timedelta, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl = ttl
        self._clock = clock
        self._held: Dict[str, Tuple[float, Dict[str, LiveValue]]] = {}
        # Rasa handles messages on one event loop, but event brokers and tests may use threads.
        self._lock = threading.Lock()

    def remember(self, conversation_id: str, values: Mapping[str, LiveValue]) -> None:
        """Hold exactly `values` for this conversation (replacing what was held) for another `ttl`."""
        with self._lock:
            self._drop_expired()
            if values:
                self._held[conversation_id] = (self._clock() + self.ttl.total_seconds(), dict(values))
            else:
                self._held.pop(conversation_id, None)

    def recall(self, conversation_id: str) -> Dict[str, LiveValue]:
        """What is held for this conversation, or nothing once it has expired."""
        with self._lock:
            self._drop_expired()
            _, values = self._held.get(conversation_id, (0.0, {}))
            return dict(values)

    def forget(self, conversation_id: str) -> None:
        with self._lock:
            self._held.pop(conversation_id, None)

    def __len__(self) -> int:
        """How many conversations have values held (expired ones excluded)."""
        with self._lock:
            self._drop_expired()
            return len(self._held)

    def _drop_expired(self) -> None:
        now = self._clock()
        for conversation_id in [key for key, (expires, _) in self._held.items() if expires <= now]:
            del self._held[conversation_id]

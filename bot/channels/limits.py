"""Per-client rate and concurrency limits for the routes customers call.

One client must not be able to make everyone else wait. Each client (its address, as Sanic sees
it: behind a proxy, set `SANIC_PROXIES_COUNT` so that is the customer's and not the proxy's) has
a token bucket for arrivals and a count of requests in hand. Over either limit it gets a 429 with
`Retry-After` at once, before any work is done. A message costs a token, and one more for every
`bytes_per_token` of its body (up to a full bucket): the time the assistant spends on a message
grows with its length, so twenty long messages a minute cost what twenty short ones would not. The limits are set in `credentials.yml`
(`bot.channels.guard.RequestGuard`), and `CANDOR_REQUESTS_PER_MINUTE` overrides the rate for a
load test.

The counts live in this process: each replica of a cluster limits on its own.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass, field
from functools import wraps
from typing import Any, Awaitable, Callable, Dict, Optional

from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import settings

# Buckets idle this long are forgotten, so the table does not grow with every address ever seen.
FORGET_AFTER_SECONDS = 600.0


@dataclass(frozen=True)
class RateLimits:
    """What one client may do: arrivals per minute (with a burst) and requests in hand at once."""

    requests_per_minute: float = 120.0
    burst: int = 30
    concurrent: int = 4
    bytes_per_token: int = 1_000

    @classmethod
    def from_settings(cls, given: Optional[Dict[str, Any]] = None) -> "RateLimits":
        given = given or {}
        rate = settings.requests_per_minute() or given.get("requests_per_minute") or cls.requests_per_minute
        return cls(
            requests_per_minute=float(rate),
            burst=int(given.get("burst") or cls.burst),
            concurrent=int(given.get("concurrent_requests") or cls.concurrent),
            bytes_per_token=int(given.get("bytes_per_token") or cls.bytes_per_token),
        )

    def cost(self, body_bytes: int) -> float:
        """Tokens a request of this size takes: one, and one per `bytes_per_token`, at most a bucket."""
        return float(min(self.burst, 1 + body_bytes // self.bytes_per_token))


@dataclass
class _Client:
    tokens: float
    updated: float
    in_hand: int = 0


@dataclass
class ClientLimiter:
    """Token buckets and in-hand counts per client; thread-safe, with an injectable clock."""

    limits: RateLimits = field(default_factory=RateLimits)
    clock: Callable[[], float] = time.monotonic
    _clients: Dict[str, _Client] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def admit(self, client: str, hold: bool = True, cost: float = 1.0) -> Optional[float]:
        """None if the request may go ahead (and, with `hold`, it is now in hand); otherwise the
        seconds to wait before trying again. It takes `cost` tokens from the client's bucket."""
        now = self.clock()
        with self._lock:
            self._forget_idle(now)
            state = self._clients.get(client) or _Client(tokens=float(self.limits.burst), updated=now)
            self._clients[client] = state
            per_second = self.limits.requests_per_minute / 60.0
            state.tokens = min(float(self.limits.burst), state.tokens + (now - state.updated) * per_second)
            state.updated = now
            if hold and state.in_hand >= self.limits.concurrent:
                return 1.0
            cost = min(cost, float(self.limits.burst))
            if state.tokens < cost:
                return (cost - state.tokens) / per_second if per_second > 0 else 60.0
            state.tokens -= cost
            if hold:
                state.in_hand += 1
            return None

    def release(self, client: str) -> None:
        with self._lock:
            state = self._clients.get(client)
            if state is not None and state.in_hand > 0:
                state.in_hand -= 1

    def _forget_idle(self, now: float) -> None:
        if len(self._clients) < 1024:
            return
        for client in [name for name, state in self._clients.items() if state.in_hand == 0 and now - state.updated > FORGET_AFTER_SECONDS]:
            del self._clients[client]


LIMITER = ClientLimiter()


def client_of(request: Request) -> str:
    """The client's address: the forwarded one when Sanic is told to trust a proxy, else the peer's."""
    return request.remote_addr or request.ip or "unknown"


def too_many(retry_after: float) -> HTTPResponse:
    seconds = max(1, math.ceil(retry_after))
    return response.json(
        {"error": f"too many requests from your address; please try again in {seconds} second{'s' if seconds != 1 else ''}"},
        status=429,
        headers={"Retry-After": str(seconds)},
    )


def limited(handler: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
    """A route that counts against its client's rate (by the size of what it sends) and
    concurrency limits."""
    return _limited(handler, sized=True)


def limited_per_request(handler: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
    """As `limited`, but every request costs one token whatever its size: for a route whose big
    bodies (a recording) are not what costs the server its time."""
    return _limited(handler, sized=False)


def _limited(handler: Callable[..., Awaitable[Any]], sized: bool) -> Callable[..., Awaitable[Any]]:
    @wraps(handler)
    async def guarded(request: Request, *args: Any, **kwargs: Any) -> Any:
        client = client_of(request)
        wait = LIMITER.admit(client, cost=LIMITER.limits.cost(len(request.body or b"")) if sized else 1.0)
        if wait is not None:
            return too_many(wait)
        try:
            return await handler(request, *args, **kwargs)
        finally:
            LIMITER.release(client)

    return guarded


def rate_limited(handler: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
    """A route that counts against its client's rate only: a long-lived stream is not "in hand"."""

    @wraps(handler)
    async def guarded(request: Request, *args: Any, **kwargs: Any) -> Any:
        wait = LIMITER.admit(client_of(request), hold=False)
        if wait is not None:
            return too_many(wait)
        return await handler(request, *args, **kwargs)

    return guarded

"""Not a chat channel: the protections every route of the Rasa server gets.

Rasa adds routes and listeners to its server only through input channels, so this one, listed in
`credentials.yml`, sets them up when the server starts:

* a limit on the size of any request body (Sanic's `REQUEST_MAX_SIZE`): a bigger one gets a 413;
* security headers on every response: `nosniff`, no referrer, no framing, and a Content-Security-
  Policy that allows nothing unless the page sets a policy of its own (the demo page, the agent
  console); `Cache-Control: no-store` on the channels' answers, which can hold personal data;
* the HTTP API token (an admin credential: it can replace the model) checked in constant time
  before Rasa sees it, and accepted as `Authorization: Bearer <token>` as well as `?token=`;
* the per-client rate and concurrency limits of `bot.channels.limits`;
* no customer text in the server's logs (`bot.privacy.logs`).

`GET /webhooks/guard/` says which limits are in force.
"""

from __future__ import annotations

import asyncio
import hmac
from dataclasses import asdict
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import settings
from bot.channels import limits
from bot.ownership import CONVERSATION_HEADER, SECRET_HEADER
from bot.privacy.logs import install_log_privacy

MAX_BODY_BYTES = 2_000_000  # a 15-second recording, base64-encoded, with room to spare
# For responses that set no policy of their own: a JSON answer or an error page needs nothing.
DEFAULT_CONTENT_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
# Routes whose answers are the customer's conversation (never cached) and those that are not Rasa's API.
CHANNEL_PREFIXES = ("/webhooks/", "/socket.io")
UNPROTECTED_API_ROUTES = ("/", "/version")


class RequestGuard(InputChannel):
    """The server's protections, configured in `credentials.yml` (`bot.channels.guard.RequestGuard`)."""

    @classmethod
    def name(cls) -> Text:
        return "guard"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "RequestGuard":
        credentials = credentials or {}
        return cls(limits.RateLimits.from_settings(credentials), int(credentials.get("max_body_bytes") or MAX_BODY_BYTES))

    def __init__(self, rate_limits: Optional[limits.RateLimits] = None, max_body_bytes: int = MAX_BODY_BYTES) -> None:
        self.rate_limits = rate_limits or limits.RateLimits.from_settings()
        self.max_body_bytes = max_body_bytes

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        guard = Blueprint("candor_guard", __name__)

        @guard.listener("before_server_start")
        async def protect(app: Sanic, _loop: Optional[asyncio.AbstractEventLoop] = None) -> None:
            protect_server(app, self.rate_limits, self.max_body_bytes)

        @guard.route("/", methods=["GET"])
        async def status(_request: Request) -> HTTPResponse:
            return response.json({"limits": asdict(limits.LIMITER.limits), "max_body_bytes": self.max_body_bytes})

        return guard


def protect_server(app: Sanic, rate_limits: limits.RateLimits, max_body_bytes: int) -> None:
    """Everything this module promises, applied to `app` (once, before it serves anything)."""
    if getattr(app.ctx, "candor_guarded", False):
        return
    app.ctx.candor_guarded = True
    app.config.REQUEST_MAX_SIZE = max_body_bytes
    limits.LIMITER.limits = rate_limits
    install_log_privacy()
    app.register_middleware(check_api_token, "request")
    app.register_middleware(add_security_headers, "response")


async def add_security_headers(request: Request, reply: HTTPResponse) -> None:
    headers = reply.headers
    for name, value in SECURITY_HEADERS.items():
        headers.setdefault(name, value)
    headers.setdefault("Content-Security-Policy", DEFAULT_CONTENT_POLICY)
    if request.path.startswith(CHANNEL_PREFIXES):
        headers.setdefault("Cache-Control", "no-store")
        # A widget on a shop's own site reads the conversation's secret from its first reply.
        headers.setdefault("Access-Control-Expose-Headers", f"{SECRET_HEADER}, {CONVERSATION_HEADER}")


async def check_api_token(request: Request) -> Optional[HTTPResponse]:
    """Check a presented API token in constant time; a wrong one never reaches Rasa's `==`.

    Rasa reads its token from `?token=` only, so a right `Authorization: Bearer` token is handed to
    it there. A request that presents no token is left to Rasa, which refuses it where it must.
    """
    if request.path.startswith(CHANNEL_PREFIXES) or request.path in UNPROTECTED_API_ROUTES:
        return None
    expected = settings.api_token()
    if expected is None:
        return None
    in_query = request.args.get("token")
    header = request.headers.get("authorization", "")
    if in_query is not None:
        return None if _same(in_query, expected) else _not_authenticated()
    if header.lower().startswith("bearer ") and not request.app.config.get("USE_JWT"):
        if not _same(header[7:].strip(), expected):
            return _not_authenticated()
        request.args["token"] = [expected]
    return None


def _same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode("utf-8", "surrogatepass"), expected.encode("utf-8"))


def _not_authenticated() -> HTTPResponse:
    return response.json(
        {"status": "failure", "reason": "NotAuthenticated", "message": "User is not authenticated.", "code": 401},
        status=401,
    )

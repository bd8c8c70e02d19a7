"""The agent console: where a person takes over a conversation and gives it back.

The console only translates: HTTP in, a call to the handoff service (`bot.handoff`), HTTP out.
Served by the Rasa server as an input channel (`credentials.yml`), so it sees the same
conversations, lock store and tracker store as the assistant. Every route needs the agent token
(`CANDOR_AGENT_TOKEN`, sent as `Authorization: Bearer ...`); each agent names themselves with the
`X-Candor-Agent` header, and everything they do is recorded in `agent_actions`.

  GET  /webhooks/agent/                          the console page (its script and styles beside it)
  GET  /webhooks/agent/queue                     conversations waiting, first to serve first
  GET  /webhooks/agent/conversations/<id>        summary and transcript (as stored: redacted)
  POST /webhooks/agent/conversations/<id>/take   take it out of the queue
  POST /webhooks/agent/conversations/<id>/reply  {"text": "..."}: reaches the customer's channel
  POST /webhooks/agent/conversations/<id>/hand-back   back to the assistant, which says so
"""

from __future__ import annotations

import hmac
from datetime import datetime, timezone
from functools import wraps
from pathlib import Path
from typing import Any, Awaitable, Callable, Text

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import settings
from bot.channels.checks import RequestProblem, checked_text, json_object
from bot.channels.outbox import OUTBOX
from bot.handoff import briefing
from bot.handoff.queue import waiting_list
from bot.handoff.rasa_conversation import RasaConversation
from bot.handoff.takeover import HandoffConflict, Takeover, record_agent_action

PAGE = Path(__file__).with_name("agent_console.html")
ASSETS = {
    "console.js": (Path(__file__).with_name("agent_console.js"), "text/javascript; charset=utf-8"),
    "console.css": (Path(__file__).with_name("agent_console.css"), "text/css; charset=utf-8"),
}
# The console runs only its own script and styles, talks only to this server, and is never framed.
PAGE_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
MAX_REPLY_CHARACTERS = 4_000


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _asset(name: str) -> HTTPResponse:
    path, content_type = ASSETS[name]
    return response.raw(path.read_bytes(), content_type=content_type, headers={"Cache-Control": "no-cache"})


def _problem(status: int, reason: str) -> HTTPResponse:
    return response.json({"error": reason}, status=status)


def agents_only(handler: Callable[..., Awaitable[HTTPResponse]]) -> Callable[..., Awaitable[HTTPResponse]]:
    """401 without the token, 403 with a wrong one, 503 when no token is configured at all."""

    @wraps(handler)
    async def checked(request: Request, *args: Any, **kwargs: Any) -> HTTPResponse:
        expected = settings.agent_token()
        if expected is None:
            return _problem(503, "the agent console is switched off: set CANDOR_AGENT_TOKEN")
        given = request.headers.get("authorization", "")
        if not given.lower().startswith("bearer "):
            return _problem(401, "send the agent token as 'Authorization: Bearer <token>'")
        if not hmac.compare_digest(given[7:].strip().encode(), expected.encode()):
            return _problem(403, "that agent token is not valid")
        agent = (request.headers.get("x-candor-agent") or "").strip()
        if not agent or len(agent) > 80:
            return _problem(400, "name yourself with the 'X-Candor-Agent' header (up to 80 characters)")
        return await handler(request, agent, *args, **kwargs)

    return checked


def _takeover(request: Request) -> Takeover:
    """The handoff service working on this Rasa server's conversations and outbox."""
    rasa_agent = request.app.ctx.agent
    return Takeover(lambda conversation_id: RasaConversation(rasa_agent, conversation_id), OUTBOX.deliver)


class AgentConsoleChannel(InputChannel):
    """Not a customer channel: the people behind the assistant work here."""

    @classmethod
    def name(cls) -> Text:
        return "agent"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        console = Blueprint("candor_agent_console", __name__)

        @console.route("/", methods=["GET"])
        async def page(_request: Request) -> HTTPResponse:
            return response.html(PAGE.read_text(encoding="utf-8"), headers={"Content-Security-Policy": PAGE_POLICY})

        @console.route("/console.js", methods=["GET"])
        async def script(_request: Request) -> HTTPResponse:
            return _asset("console.js")

        @console.route("/console.css", methods=["GET"])
        async def styles(_request: Request) -> HTTPResponse:
            return _asset("console.css")

        @console.route("/queue", methods=["GET"])
        @agents_only
        async def queue(_request: Request, agent: str) -> HTTPResponse:
            return response.json([
                {
                    "conversation_id": entry.conversation_id, "reason": entry.reason, "priority": entry.priority,
                    "channel": entry.channel, "waiting_minutes": entry.waiting_minutes,
                }
                for entry in waiting_list(_now())
            ])

        @console.route("/conversations/<conversation_id>", methods=["GET"])
        @agents_only
        async def conversation(_request: Request, agent: str, conversation_id: str) -> HTTPResponse:
            events = briefing.stored_events(conversation_id)
            if not events:
                return _problem(404, f"no conversation {conversation_id!r}")
            record_agent_action(agent, "view", conversation_id)
            return response.json({
                "summary": briefing.summary(conversation_id, events, _now()), "transcript": briefing.transcript(events),
            })

        @console.route("/conversations/<conversation_id>/take", methods=["POST"])
        @agents_only
        async def take(request: Request, agent: str, conversation_id: str) -> HTTPResponse:
            try:
                status = await _takeover(request).take(conversation_id, agent)
            except HandoffConflict as conflict:
                return _problem(409, str(conflict))
            return response.json({"status": status.value})

        @console.route("/conversations/<conversation_id>/reply", methods=["POST"])
        @agents_only
        async def reply(request: Request, agent: str, conversation_id: str) -> HTTPResponse:
            try:
                text = checked_text("text", json_object(request, '{"text": "..."}').get("text"), MAX_REPLY_CHARACTERS)
            except RequestProblem as problem:
                return _problem(problem.status, str(problem))
            if not text or not text.strip():
                return _problem(400, f'send {{"text": "..."}} with 1 to {MAX_REPLY_CHARACTERS:,} characters')
            try:
                delivery = await _takeover(request).reply(conversation_id, agent, text.strip())
            except HandoffConflict as conflict:
                return _problem(409, str(conflict))
            return response.json({"delivery": delivery})

        @console.route("/conversations/<conversation_id>/hand-back", methods=["POST"])
        @agents_only
        async def hand_back(request: Request, agent: str, conversation_id: str) -> HTTPResponse:
            try:
                status = await _takeover(request).hand_back(conversation_id, agent)
            except HandoffConflict as conflict:
                return _problem(409, str(conflict))
            return response.json({"status": status.value})

        return console

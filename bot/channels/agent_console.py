"""The agent console: where a person takes over a conversation and gives it back.

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
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet
from sanic import Blueprint, response
from sqlalchemy import select
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import settings
from bot.channels.checks import RequestProblem, checked_text, json_object
from bot.channels.outbox import OUTBOX
from bot.conversation.names import CUSTOMER_ID_SLOT, HANDOFF_STATUS_SLOT
from bot.privacy.conversations import conversation_events, tracker_engine
from bot.privacy.history import ORDER_HISTORY, history_if_allowed
from bot.store.agent_console import AgentAction
from bot.store.database import open_session
from bot.store.distress import DistressDetection
from bot.store.handoffs import HandoffStatus, assign_handoff, close_handoff, handoff_queue, open_handoff
from bot.store.shop_records import Customer

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
HANDED_BACK = "utter_handed_back"
AGENT_JOINED = "utter_agent_joined"


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _record(agent: str, action: str, conversation_id: Optional[str]) -> None:
    with open_session() as session:
        session.add(AgentAction(agent=agent, action=action, conversation_id=conversation_id, at=_now()))


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


def transcript(events: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """Who said what, when, from the events as stored (personal data already redacted)."""
    lines = []
    for event in events:
        if event.get("event") == "user":
            lines.append({"from": "customer", "text": event.get("text") or "", "at": event.get("timestamp")})
        elif event.get("event") == "bot":
            agent = (event.get("metadata") or {}).get("agent")
            lines.append({"from": f"agent {agent}" if agent else "assistant", "text": event.get("text") or "", "at": event.get("timestamp")})
    return lines


def _latest_slot(events: List[Dict[str, Any]], name: str) -> Any:
    value = None
    for event in events:
        if event.get("event") == "slot" and event.get("name") == name:
            value = event.get("value")
        elif event.get("event") in ("reset_slots", "restart"):
            value = None
    return value


def summary(conversation_id: str, events: List[Dict[str, Any]]) -> Dict[str, Any]:
    """What an agent needs first: why the customer is here, how long they waited, who they are."""
    now = _now()
    with open_session() as session:
        handoff = open_handoff(session, conversation_id)
        detections = session.execute(
            select(DistressDetection).where(DistressDetection.conversation_id == conversation_id)
        ).scalars().all()
        customer_id = _latest_slot(events, CUSTOMER_ID_SLOT)
        customer = session.get(Customer, int(customer_id)) if str(customer_id or "").isdigit() else None
        history = history_if_allowed(session, customer.id if customer else None, ORDER_HISTORY, now)
        return {
            "conversation_id": conversation_id,
            "handoff": None if handoff is None else {
                "reason": handoff.reason, "priority": handoff.priority, "status": handoff.status.value,
                "channel": handoff.channel, "waiting_minutes": int((now - handoff.requested_at).total_seconds() // 60),
            },
            "distress": [{"category": d.category, "score": d.score, "response": d.response} for d in detections],
            "customer": None if customer is None else customer.customer_number,
            # Past orders only where the customer agreed to their history being used.
            "recent_orders": None if history is None else [
                {"order": order.id, "status": order.status.value, "placed": order.placed_at.date().isoformat()}
                for order in history.recent_orders(limit=5)
            ],
            "messages": sum(1 for event in events if event.get("event") in ("user", "bot")),
        }


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
            now = _now()
            with open_session() as session:
                waiting = [
                    {
                        "conversation_id": h.conversation_id, "reason": h.reason, "priority": h.priority,
                        "channel": h.channel, "waiting_minutes": int((now - h.requested_at).total_seconds() // 60),
                    }
                    for h in handoff_queue(session)
                ]
            return response.json(waiting)

        @console.route("/conversations/<conversation_id>", methods=["GET"])
        @agents_only
        async def conversation(_request: Request, agent: str, conversation_id: str) -> HTTPResponse:
            events = conversation_events(tracker_engine(), [conversation_id])[conversation_id]
            if not events:
                return _problem(404, f"no conversation {conversation_id!r}")
            _record(agent, "view", conversation_id)
            return response.json({"summary": summary(conversation_id, events), "transcript": transcript(events)})

        @console.route("/conversations/<conversation_id>/take", methods=["POST"])
        @agents_only
        async def take(request: Request, agent: str, conversation_id: str) -> HTTPResponse:
            with open_session() as session:
                handoff = assign_handoff(session, conversation_id, _now())
                channel = handoff.channel if handoff else None
            if handoff is None:
                return _problem(409, "that conversation is not waiting for a person")
            # The customer is told at once that a person is now in the chat, in their own wording.
            words = await _worded_for(request, conversation_id, AGENT_JOINED, agent=agent)
            await _append(request, conversation_id, [BotUttered(words, metadata={"joined_by": agent})])
            await OUTBOX.deliver(conversation_id, {"text": words, "notice": "agent_joined", "agent": agent}, channel)
            _record(agent, "take", conversation_id)
            return response.json({"status": HandoffStatus.ASSIGNED.value})

        @console.route("/conversations/<conversation_id>/reply", methods=["POST"])
        @agents_only
        async def reply(request: Request, agent: str, conversation_id: str) -> HTTPResponse:
            try:
                text = checked_text("text", json_object(request, '{"text": "..."}').get("text"), MAX_REPLY_CHARACTERS)
            except RequestProblem as problem:
                return _problem(problem.status, str(problem))
            if not text or not text.strip():
                return _problem(400, f'send {{"text": "..."}} with 1 to {MAX_REPLY_CHARACTERS:,} characters')
            with open_session() as session:
                handoff = open_handoff(session, conversation_id)
                if handoff is None or handoff.status is not HandoffStatus.ASSIGNED:
                    return _problem(409, "take the conversation before replying")
                channel = handoff.channel
            await _append(request, conversation_id, [BotUttered(text.strip(), metadata={"agent": agent})])
            delivery = await OUTBOX.deliver(conversation_id, {"text": text.strip(), "agent": agent}, channel)
            _record(agent, "reply", conversation_id)
            return response.json({"delivery": delivery})

        @console.route("/conversations/<conversation_id>/hand-back", methods=["POST"])
        @agents_only
        async def hand_back(request: Request, agent: str, conversation_id: str) -> HTTPResponse:
            with open_session() as session:
                handoff = close_handoff(session, conversation_id, _now())
                channel = handoff.channel if handoff else None
            if handoff is None:
                return _problem(409, "no person was due in that conversation")
            words = await _worded_for(request, conversation_id, HANDED_BACK)
            await _append(request, conversation_id, [SlotSet(HANDOFF_STATUS_SLOT, None), BotUttered(words, metadata={"handed_back_by": agent})])
            await OUTBOX.deliver(conversation_id, {"text": words, "notice": "agent_left", "agent": agent}, channel)
            _record(agent, "hand_back", conversation_id)
            return response.json({"status": HandoffStatus.CLOSED.value})

        return console


async def _worded_for(request: Request, conversation_id: str, response_name: str, **values: Any) -> str:
    """A domain response in the words the customer's accessibility mode calls for (the NLG's choice).

    Read under the conversation's lock, like any turn: a turn still being saved is read whole.
    """
    rasa_agent = request.app.ctx.agent
    async with rasa_agent.lock_store.lock(conversation_id):
        tracker = await rasa_agent.processor.fetch_tracker_with_initial_session(conversation_id)
    message = await rasa_agent.nlg.generate(response_name, tracker, "agent_console", **values) or {}
    return message.get("text") or ""


async def _append(request: Request, conversation_id: str, events: list) -> None:
    """Add events to the conversation under its lock, then listen, as after any bot turn.

    The closing `action_listen` matters: when Rasa later rewinds a misunderstood message, it
    undoes back to the previous action, and would otherwise undo what the agent did too.
    """
    rasa_agent = request.app.ctx.agent
    async with rasa_agent.lock_store.lock(conversation_id):
        tracker = await rasa_agent.processor.fetch_tracker_with_initial_session(conversation_id)
        for event in [*events, ActionExecuted(ACTION_LISTEN_NAME)]:
            tracker.update(event)
        await rasa_agent.processor.save_tracker(tracker)

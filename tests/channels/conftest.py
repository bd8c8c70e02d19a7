"""The web chat channel, mounted on a Sanic app of its own and driven in this process.

No Rasa server, no port: requests go straight into the app's ASGI interface, the way a server
would hand them over. The assistant is a stand-in that answers through the channel's own output
channel, so what comes back is what the real assistant's messages would look like.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable, Dict, List, Optional, Tuple

import pytest
from rasa.core.channels.channel import UserMessage, register
from sanic import Sanic

from bot.channels import limits
from bot.channels.outbox import OUTBOX
from bot.channels.web import WebChatInput
from bot.ownership import SECRET_HEADER, conversation_id

# A sender id like the widget's: 32 random hex digits.
SENDER = "5f0c3b2a9d8e4f1a8b7c6d5e4f3a2b1c"
WEBHOOK = "/webhooks/web/webhook"


@dataclass
class Reply:
    status: int
    headers: Dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    def json(self) -> Any:
        return json.loads(self.body)


class InProcessClient:
    """Requests to a Sanic app through ASGI, inside the test's event loop."""

    def __init__(self, app: Sanic) -> None:
        self.app = app

    async def start(self) -> None:
        # The ASGI lifespan start is what finalises Sanic's routes; the app needs no more.
        inbox: "asyncio.Queue[Dict[str, Any]]" = asyncio.Queue()
        outbox: "asyncio.Queue[Dict[str, Any]]" = asyncio.Queue()
        self._lifespan = asyncio.create_task(self.app({"type": "lifespan"}, inbox.get, outbox.put))
        await inbox.put({"type": "lifespan.startup"})
        await asyncio.wait_for(outbox.get(), 10)
        self._lifespan_inbox = inbox

    async def stop(self) -> None:
        await self._lifespan_inbox.put({"type": "lifespan.shutdown"})
        try:
            await asyncio.wait_for(self._lifespan, 10)
        except AttributeError:
            pass  # Sanic 21.12 handles a finished lifespan as if it were a request, and trips over it

    def _scope(self, method: str, path: str, headers: Dict[str, str]) -> Dict[str, Any]:
        raw_headers = [(b"host", b"testserver")] + [(k.lower().encode(), v.encode()) for k, v in headers.items()]
        path, _, query = path.partition("?")
        return {
            "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method,
            "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": query.encode(), "root_path": "",
            "headers": raw_headers, "client": ("127.0.0.1", 50000), "server": ("testserver", 80),
        }

    async def request(
        self, method: str, path: str, body: bytes = b"", headers: Optional[Dict[str, str]] = None
    ) -> Reply:
        started: Dict[str, Any] = {}
        chunks: List[bytes] = []
        done = asyncio.Event()
        sent_body = False

        async def receive() -> Dict[str, Any]:
            nonlocal sent_body
            if not sent_body:
                sent_body = True
                return {"type": "http.request", "body": body, "more_body": False}
            await done.wait()
            return {"type": "http.disconnect"}

        async def send(message: Dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                started.update(message)
            else:
                chunks.append(message.get("body", b""))
                if not message.get("more_body"):
                    done.set()

        await asyncio.wait_for(self.app(self._scope(method, path, headers or {}), receive, send), 10)
        return Reply(started["status"], _headers(started), b"".join(chunks))

    async def post_json(self, path: str, payload: Any, headers: Optional[Dict[str, str]] = None) -> Reply:
        return await self.request("POST", path, json.dumps(payload).encode(), {"content-type": "application/json", **(headers or {})})

    async def stream(self, path: str) -> "OpenStream":
        """Open a streaming GET (server-sent events) and return as soon as the response starts."""
        stream = OpenStream()
        scope = self._scope("GET", path, {"accept": "text/event-stream"})
        stream.task = asyncio.create_task(self.app(scope, stream.receive, stream.send))
        await asyncio.wait_for(stream.started.wait(), 10)
        return stream


@dataclass
class OpenStream:
    """A response still arriving: what it has said so far, and a way to hang up."""

    chunks: List[bytes] = field(default_factory=list)
    headers: Dict[str, str] = field(default_factory=dict)
    status: int = 0
    started: asyncio.Event = field(default_factory=asyncio.Event)
    arrived: asyncio.Event = field(default_factory=asyncio.Event)
    task: Optional["asyncio.Task[None]"] = None
    requested: bool = False

    async def receive(self) -> Dict[str, Any]:
        if not self.requested:
            self.requested = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await asyncio.Event().wait()  # the client hangs up by cancelling (`hang_up`)
        return {"type": "http.disconnect"}

    async def send(self, message: Dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            self.status, self.headers = message["status"], _headers(message)
            self.started.set()
        else:
            self.chunks.append(message.get("body", b""))
            self.arrived.set()

    @property
    def text(self) -> str:
        return b"".join(self.chunks).decode("utf-8")

    def events(self) -> List[Any]:
        """The JSON of every `data:` event so far."""
        return [json.loads(line[6:]) for line in self.text.splitlines() if line.startswith("data: ")]

    async def until(self, condition: Callable[["OpenStream"], bool], seconds: float = 5) -> None:
        async def waiting() -> None:
            while not condition(self):
                self.arrived.clear()
                await self.arrived.wait()

        await asyncio.wait_for(waiting(), seconds)

    async def hang_up(self) -> None:
        assert self.task is not None
        self.task.cancel()
        try:
            await self.task
        except asyncio.CancelledError:
            pass


def _headers(start: Dict[str, Any]) -> Dict[str, str]:
    return {key.decode().lower(): value.decode() for key, value in start.get("headers", [])}


class StandInAssistant:
    """Answers like Candor would, through the channel's output channel; remembers what it was sent."""

    def __init__(self) -> None:
        self.received: List[UserMessage] = []
        self.fail_with: Optional[BaseException] = None

    async def handle_message(self, message: UserMessage) -> None:
        self.received.append(message)
        if self.fail_with is not None:
            raise self.fail_with
        say = message.output_channel.send_response
        if message.text == "hello":
            # As Rasa sends a BotUttered: its metadata folded into the message.
            await say(message.sender_id, {"text": "I'm an automated assistant.", "notice": "ai_disclosure",
                                          "notice_version": "2026-11-27", "utter_action": None})
            await say(message.sender_id, {"text": "How can I help?\n\nAsk me anything.",
                                          "buttons": [{"title": "Track an order", "payload": "/track_order"}]})
        elif message.text == "why?":
            await say(message.sender_id, {
                "text": "I understood you want to track an order.",
                "buttons": [{"title": "That's wrong", "payload": "/report_wrong_answer"}],
                "custom": {"explanation": {"recorded": True, "intent": "track_order", "confidence": 0.93}},
            })
        else:
            await say(message.sender_id, {"text": f"You said: {message.text}"})


@dataclass
class WebChat:
    """The widget's side of the channel: it keeps each conversation's secret, as the widget does."""

    client: InProcessClient
    assistant: StandInAssistant
    secrets: Dict[str, str] = field(default_factory=dict)

    async def send(self, body: Dict[str, Any]) -> Reply:
        """POST a message; the secret of its conversation goes with it, and a new one is kept."""
        sender = body.get("sender")
        headers = {SECRET_HEADER: self.secrets[sender]} if sender in self.secrets else {}
        reply = await self.client.post_json(WEBHOOK, body, headers)
        if SECRET_HEADER.lower() in reply.headers:
            self.secrets[sender] = reply.headers[SECRET_HEADER.lower()]
        return reply

    def events_path(self, sender: str = SENDER) -> str:
        """The event stream of a conversation this widget has started, with its secret."""
        return f"/webhooks/web/events/{sender}?session_secret={self.secrets[sender]}"


def web_conversation(sender: str = SENDER) -> str:
    """The assistant's id for a web conversation (what the outbox and the agent console use)."""
    return conversation_id("web", sender)


def web_app(channel: Optional[WebChatInput] = None) -> Tuple[Sanic, StandInAssistant]:
    """A Sanic app with the web channel registered exactly as the Rasa server registers it."""
    app = Sanic(f"candor_web_test_{uuid.uuid4().hex}")
    assistant = StandInAssistant()
    app.ctx.agent = assistant
    register([channel or WebChatInput()], app, route="/webhooks/")
    return app, assistant


@pytest.fixture
def web_chat() -> Callable[[Callable[[WebChat], Awaitable[Any]]], Any]:
    """`web_chat(scenario)` runs `async def scenario(chat)` against a started app, then stops it."""

    def running(scenario: Callable[[WebChat], Awaitable[Any]]) -> Any:
        async def main() -> Any:
            app, assistant = web_app()
            client = InProcessClient(app)
            await client.start()
            try:
                return await scenario(WebChat(client, assistant))
            finally:
                await client.stop()

        return asyncio.run(main())

    return running


@pytest.fixture(autouse=True)
def locked_conversations(conversation_keys: str) -> None:
    """Each test's conversations are locked in a database of its own, under a key of its own."""


@pytest.fixture(autouse=True)
def generous_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every request here comes from one address; the limits have tests of their own."""
    monkeypatch.setattr(limits, "LIMITER", limits.ClientLimiter(limits.RateLimits(requests_per_minute=1e6, burst=10**6, concurrent=100)))


@pytest.fixture(autouse=True)
def empty_outbox() -> None:
    """Each test starts with nothing waiting and nobody listening."""
    OUTBOX._waiting.clear()
    OUTBOX._listeners.clear()


@pytest.fixture(autouse=True)
def many_apps_in_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """Sanic's test mode: without it, a second app's start-up rewrites the first one's server code
    again and fails (it is what Sanic's own test client switches on)."""
    monkeypatch.setattr(Sanic, "test_mode", True)

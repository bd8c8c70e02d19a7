"""A running Candor (action server + Rasa server) for tests that talk to it over HTTP.

The servers are started through `bot.launcher`, exactly as `make run` starts them, once per
configuration (embedded SQLite, or PostgreSQL with Redis) against databases of the tests' own.
"""

from __future__ import annotations

import queue
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from contextlib import ExitStack
from typing import Any, Callable, Dict, Iterator, List, Optional

import pytest
import requests
import socketio

from bot import model
from bot.launcher import Launch, LaunchError, Servers
from bot.store.seed import init_database

API_TOKEN = "e2e-test-token"
AGENT_TOKEN = "e2e-agent-token"


@dataclass
class Candor:
    """The running assistant, as a client sees it."""

    url: str
    token: str
    database_url: str
    log_dir: Path

    def rest(self, sender: str, message: str, **extra: Any) -> requests.Response:
        return requests.post(
            f"{self.url}/webhooks/rest/webhook", json={"sender": sender, "message": message, **extra}, timeout=60
        )

    def tracker(self, sender: str) -> Dict[str, Any]:
        response = requests.get(
            f"{self.url}/conversations/{sender}/tracker", params={"token": self.token}, timeout=30
        )
        response.raise_for_status()
        return response.json()


class Chat:
    """One customer's conversation over the REST channel."""

    def __init__(self, candor: Candor, sender: str) -> None:
        self.candor = candor
        self.sender = sender

    def say(self, message: str) -> List[Dict[str, Any]]:
        response = self.candor.rest(self.sender, message)
        assert response.status_code == 200, response.text
        replies = response.json()
        for reply in replies:
            # No response may reach a customer with a placeholder left unfilled.
            assert "{" not in reply.get("text", ""), reply
        return replies

    def say_text(self, message: str) -> str:
        """Everything the assistant answered, as one string."""
        return "\n".join(reply.get("text", "") for reply in self.say(message))

    def tracker(self) -> Dict[str, Any]:
        return self.candor.tracker(self.sender)


class OneCandorAtATime:
    """Runs one Candor configuration at a time: the action server's port is fixed by
    endpoints.yml, so asking for another configuration stops the running one first."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.name: Optional[str] = None
        self.candor: Optional[Candor] = None
        self.resources = ExitStack()

    def get(self, name: str, environment: Callable[[ExitStack], Dict[str, str]]) -> Candor:
        """The running Candor called `name`, started with `environment(resources)` if needed."""
        if self.name == name and self.candor is not None:
            return self.candor
        self.stop()
        self.name = name
        env = environment(self.resources)
        path = model.model_path()
        if not path.exists():
            pytest.fail(f"no trained model at {path}; run `make train` first")
        launch = Launch(model=path, api_token=API_TOKEN, environment=env, log_dir=self.folder / name / "logs")
        servers = Servers(launch)
        try:
            servers.start()
        except LaunchError as error:
            self.stop()
            pytest.fail(str(error))
        self.resources.callback(servers.stop)
        self.candor = Candor(launch.rasa_url, API_TOKEN, env["CANDOR_DATABASE_URL"], launch.log_dir)
        return self.candor

    def stop(self) -> None:
        self.resources.close()
        self.resources = ExitStack()
        self.name, self.candor = None, None


@pytest.fixture(scope="session")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OneCandorAtATime]:
    manager = OneCandorAtATime(tmp_path_factory.mktemp("candor"))
    yield manager
    manager.stop()


def embedded_configuration(folder: Path) -> Callable[[ExitStack], Dict[str, str]]:
    """SQLite for shop and conversations, in-memory lock store: what `make run` uses."""

    def environment(resources: ExitStack) -> Dict[str, str]:
        database_url = f"sqlite:///{folder / 'embedded.db'}"
        init_database(database_url)
        return {
            "CANDOR_DATABASE_URL": database_url, "CANDOR_TRACKER_STORE_URL": database_url, "CANDOR_REDIS_URL": "",
            "CANDOR_AGENT_TOKEN": AGENT_TOKEN,
        }

    return environment


@pytest.fixture
def candor(running: OneCandorAtATime) -> Candor:
    """Candor with its default, embedded configuration."""
    return running.get("embedded", embedded_configuration(running.folder))


@pytest.fixture
def chat(candor: Candor) -> Chat:
    """A brand-new conversation."""
    return Chat(candor, f"customer-{uuid.uuid4().hex[:12]}")


class SocketIOChat:
    """One conversation over Rasa's socket.io protocol, as an existing web chat client holds it."""

    def __init__(self, client: socketio.Client, session_id: str) -> None:
        self.client, self.session_id = client, session_id
        self.heard: "queue.Queue[Dict[str, Any]]" = queue.Queue()
        client.on("bot_uttered", self.heard.put)

    def say(self, message: str) -> None:
        self.client.emit("user_uttered", {"message": message, "session_id": self.session_id})

    def next_message(self, timeout: float = 60) -> Dict[str, Any]:
        return self.heard.get(timeout=timeout)


@contextmanager
def socketio_chat(candor: Candor, session_id: str) -> Iterator[SocketIOChat]:
    """Connect, ask for the session, and disconnect at the end, whatever happens."""
    client = socketio.Client()
    chat = SocketIOChat(client, session_id)
    client.connect(candor.url, transports=["polling"], socketio_path="socket.io")
    try:
        client.emit("session_request", {"session_id": session_id})
        yield chat
    finally:
        client.disconnect()

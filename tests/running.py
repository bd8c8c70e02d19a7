"""A running Candor (action server + Rasa server) for tests that talk to it over HTTP.

A pytest plugin (`-p tests.running` in pyproject.toml), so the end-to-end tests and the security
tests share one set of servers. They are started through `bot.launcher`, exactly as `make run`
starts them, once per configuration (embedded SQLite, or PostgreSQL with Redis) against databases
of the tests' own. The tests and the servers share a secret key, so a test can work out the id
the assistant gives a channel's conversation (`Candor.conversation_id`).
"""

from __future__ import annotations

import os
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
from bot.ownership import CONVERSATION_HEADER, SECRET_HEADER, conversation_id
from bot.store.seed import init_database

# Numbers a run measured (fuzz cases, load latencies), printed once at the end of the run. Tests
# may run in several processes (`make test` uses pytest-xdist), so each writes what it measured to a
# file under its own base temporary folder, which pytest-xdist makes inside the main process's.
MEASURED_FILE = "measured-by-the-end-to-end-tests.txt"
SERVERS_GROUP = "servers"


@pytest.fixture(scope="session")
def measured(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., None]:
    """Note lines of numbers to print in the run's summary, whichever process measured them."""
    path = tmp_path_factory.getbasetemp() / MEASURED_FILE

    def note(*lines: str) -> None:
        with path.open("a", encoding="utf-8") as file:
            file.writelines(f"{line}\n" for line in lines)

    return note


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    base = config._tmp_path_factory.getbasetemp()  # type: ignore[attr-defined]
    files = sorted(base.glob(f"**/{MEASURED_FILE}"))
    if files:
        terminalreporter.section("measured by the end-to-end tests")
        for path in files:
            for line in path.read_text(encoding="utf-8").splitlines():
                terminalreporter.write_line(line)


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups
def pytest_collection_modifyitems(items: List[pytest.Item]) -> None:
    """Tests that need the running servers share one process, the production configuration's last.

    The servers' ports are fixed, so with pytest-xdist (`--dist loadgroup`) those tests go to one
    worker; and since one configuration runs at a time, grouping them starts each one only once.
    """
    for item in items:
        if "running" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.xdist_group(SERVERS_GROUP))
    items.sort(key=uses_production_configuration)


def uses_production_configuration(item: pytest.Item) -> bool:
    fixtures = getattr(item, "fixturenames", ())
    callspec = getattr(item, "callspec", None)
    return "production_candor" in fixtures or (callspec is not None and callspec.params.get("any_candor") == "production")


API_TOKEN = "e2e-test-token"
AGENT_TOKEN = "e2e-agent-token"
SECRET_KEY = "e2e-secret-key-for-candor-tests-0123456789abcdef"
# The end-to-end tests send many messages from one address; the limits themselves are tested apart.
REQUESTS_PER_MINUTE = "100000"


@dataclass
class Candor:
    """The running assistant, as a client sees it."""

    url: str
    token: str
    database_url: str
    log_dir: Path

    def rest(self, sender: str, message: str, secret: Optional[str] = None, **extra: Any) -> requests.Response:
        headers = {SECRET_HEADER: secret} if secret else {}
        return requests.post(
            f"{self.url}/webhooks/rest/webhook", json={"sender": sender, "message": message, **extra}, headers=headers, timeout=60
        )

    def tracker(self, conversation: str) -> Dict[str, Any]:
        """A conversation as Rasa's HTTP API shows it, by the assistant's id for it."""
        response = requests.get(
            f"{self.url}/conversations/{conversation}/tracker", params={"token": self.token}, timeout=30
        )
        response.raise_for_status()
        return response.json()

    @staticmethod
    def conversation_id(channel: str, client_id: str) -> str:
        """The assistant's id for a channel's conversation (the tests share the servers' key)."""
        return conversation_id(channel, client_id)


class Chat:
    """One customer's conversation over the REST channel, holding its session secret."""

    def __init__(self, candor: Candor, sender: str) -> None:
        self.candor = candor
        self.sender = sender
        self.secret: Optional[str] = None
        self.conversation_id = candor.conversation_id("rest", sender)

    def post(self, message: str, **extra: Any) -> requests.Response:
        """Send a message as this customer; the first reply's secret is kept for the next."""
        response = self.candor.rest(self.sender, message, self.secret, **extra)
        self.secret = response.headers.get(SECRET_HEADER) or self.secret
        if response.headers.get(CONVERSATION_HEADER):
            assert response.headers[CONVERSATION_HEADER] == self.conversation_id
        return response

    def say(self, message: str, **extra: Any) -> List[Dict[str, Any]]:
        response = self.post(message, **extra)
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
        return self.candor.tracker(self.conversation_id)


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
    before = os.environ.get("CANDOR_SECRET_KEY")
    os.environ["CANDOR_SECRET_KEY"] = SECRET_KEY
    manager = OneCandorAtATime(tmp_path_factory.mktemp("candor"))
    yield manager
    manager.stop()
    if before is None:
        del os.environ["CANDOR_SECRET_KEY"]
    else:
        os.environ["CANDOR_SECRET_KEY"] = before


def shared_settings() -> Dict[str, str]:
    """What every configuration the tests start has in common with the test process."""
    return {
        "CANDOR_AGENT_TOKEN": AGENT_TOKEN, "CANDOR_SECRET_KEY": SECRET_KEY,
        "CANDOR_REQUESTS_PER_MINUTE": REQUESTS_PER_MINUTE, "CANDOR_INTEGRATION_TOKEN": "",
    }


def embedded_configuration(folder: Path) -> Callable[[ExitStack], Dict[str, str]]:
    """SQLite for shop and conversations, in-memory lock store: what `make run` uses."""

    def environment(resources: ExitStack) -> Dict[str, str]:
        database_url = f"sqlite:///{folder / 'embedded.db'}"
        init_database(database_url)
        return {
            "CANDOR_DATABASE_URL": database_url, "CANDOR_TRACKER_STORE_URL": database_url, "CANDOR_REDIS_URL": "",
            **shared_settings(),
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
        self.confirmations: "queue.Queue[Any]" = queue.Queue()
        self.refusals: "queue.Queue[Dict[str, Any]]" = queue.Queue()
        client.on("bot_uttered", self.heard.put)
        client.on("session_confirm", self.confirmations.put)
        client.on("session_refused", self.refusals.put)

    def say(self, message: str) -> None:
        self.client.emit("user_uttered", {"message": message, "session_id": self.session_id})

    def next_message(self, timeout: float = 60) -> Dict[str, Any]:
        return self.heard.get(timeout=timeout)


@contextmanager
def socketio_chat(candor: Candor, session_id: str, secret: Optional[str] = None, confirmed: bool = True) -> Iterator[SocketIOChat]:
    """Connect and ask for the session (with its secret, to rejoin); disconnect at the end whatever
    happens. With `confirmed`, wait until the server confirms the session and keep its secret."""
    client = socketio.Client()
    chat = SocketIOChat(client, session_id)
    client.connect(candor.url, transports=["polling"], socketio_path="socket.io")
    try:
        request: Dict[str, Any] = {"session_id": session_id}
        if secret:
            request["session_secret"] = secret
        client.emit("session_request", request)
        if confirmed:
            confirmation = chat.confirmations.get(timeout=30)
            chat.secret = confirmation.get("session_secret") or secret  # type: ignore[attr-defined]
        yield chat
    finally:
        client.disconnect()

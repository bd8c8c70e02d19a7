"""A running Candor (action server + Rasa server) for tests that talk to it over HTTP.

The servers are started once per test session through `bot.launcher`, exactly as `make run`
starts them, against a seeded SQLite database of the session's own.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Iterator, List

import pytest
import requests

from bot import model
from bot.launcher import Launch, LaunchError, Servers
from bot.store.seed import init_database

API_TOKEN = "e2e-test-token"


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


def start_candor(tmp_path: Path, environment: Dict[str, str]) -> Servers:
    path = model.model_path()
    if not path.exists():
        pytest.fail(f"no trained model at {path}; run `make train` first")
    launch = Launch(model=path, api_token=API_TOKEN, environment=environment, log_dir=tmp_path / "logs")
    servers = Servers(launch)
    try:
        servers.start()
    except LaunchError as error:
        pytest.fail(str(error))
    return servers


@pytest.fixture(scope="session")
def candor(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Candor]:
    """Candor with its default, embedded configuration: SQLite, in-memory lock store."""
    folder = tmp_path_factory.mktemp("candor")
    database_url = f"sqlite:///{folder / 'candor.db'}"
    init_database(database_url)
    servers = start_candor(
        folder,
        {"CANDOR_DATABASE_URL": database_url, "CANDOR_TRACKER_STORE_URL": database_url, "CANDOR_REDIS_URL": ""},
    )
    try:
        yield Candor(servers.launch.rasa_url, API_TOKEN, database_url, folder / "logs")
    finally:
        servers.stop()


@pytest.fixture
def chat(candor: Candor) -> Chat:
    """A brand-new conversation."""
    return Chat(candor, f"customer-{uuid.uuid4().hex[:12]}")

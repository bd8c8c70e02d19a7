"""The two assistants `candor bench` compares, each started through `bot.launcher` in a folder of its own.

* **candor**: `bot/endpoints.yml` as it is (the redacting tracker store, the audit broker, the
  accessible NLG, Candor's lock store) and `bot/credentials.yml` with the request guard's
  per-client limits raised, because every simulated customer comes from the same address.
* **baseline**: the same model and domain, and the same action server, with Rasa's stock parts:
  `SQLTrackerStore` on SQLite, no event broker, Rasa's templated NLG, Rasa's own REST channel
  and nothing else. Both run Rasa through `bot/rasa_server.py`: its validator built once is not an
  ethical layer, and stock `rasa run`, which builds one for every action server answer, costs more
  than all of Candor's layers put together (README, "Measuring cost"), so it would hide them.
  The explanations ("why?") are composed of `utter_part_*` responses that only Candor's NLG joins
  (stock NLG sends the last line alone), and the screen-reader wording is Candor's NLG too
  (plain language is a conditional variant, which stock NLG picks as well), so for the `why` and
  `mode` kinds the baseline does less work than Candor: read those ratios as an upper bound of
  the layers' cost.

Each configuration gets fresh databases seeded from `data/seed`, a secret key of its own and a
`CANDOR_VAR_DIR` inside the folder, so the shop's own `var/` is never read or written.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict

import yaml

from bot.launcher import CREDENTIALS, ENDPOINTS, Launch
from bot.store.seed import init_database

CANDOR, BASELINE = "candor", "baseline"
GUARD = "bot.channels.guard.RequestGuard"
# No limit the bench could reach: it measures the assistant, not the guard's refusals.
UNLIMITED_RATE = "1000000"


@dataclass(frozen=True)
class Configuration:
    """What to start for one side of the comparison."""

    name: str
    endpoints: Path
    credentials: Path
    environment: Dict[str, str]

    def launch(self, model: Path, folder: Path) -> Launch:
        return Launch(
            model=model, api_token=secrets.token_urlsafe(24), environment=self.environment,
            log_dir=folder / self.name / "logs", endpoints=self.endpoints, credentials=self.credentials,
        )


def candor_configuration(folder: Path, customers: int) -> Configuration:
    """Candor as `make run` starts it, on databases in `folder`."""
    home = _home(folder, CANDOR)
    credentials: Dict[str, Any] = yaml.safe_load(CREDENTIALS.read_text(encoding="utf-8"))
    guard = credentials.get(GUARD) or {}
    guard.update({"concurrent_requests": max(customers, 1) * 2, "burst": max(customers, 1) * 10})
    credentials[GUARD] = guard
    credentials_file = home / "credentials.yml"
    credentials_file.write_text(yaml.safe_dump(credentials, sort_keys=False), encoding="utf-8")
    return Configuration(CANDOR, ENDPOINTS, credentials_file, _environment(home))


def baseline_configuration(folder: Path) -> Configuration:
    """The same model with Rasa's stock tracker store, NLG and REST channel, and no broker."""
    home = _home(folder, BASELINE)
    endpoints = {
        "action_endpoint": yaml.safe_load(ENDPOINTS.read_text(encoding="utf-8"))["action_endpoint"],
        "tracker_store": {"type": "SQL", "dialect": "sqlite", "db": str(home / "rasa-tracker.db")},
    }
    endpoints_file, credentials_file = home / "endpoints.yml", home / "credentials.yml"
    endpoints_file.write_text(yaml.safe_dump(endpoints, sort_keys=False), encoding="utf-8")
    credentials_file.write_text(yaml.safe_dump({"rest": None}), encoding="utf-8")
    return Configuration(BASELINE, endpoints_file, credentials_file, _environment(home))


def _home(folder: Path, name: str) -> Path:
    home = folder / name
    home.mkdir(parents=True, exist_ok=True)
    return home


def _environment(home: Path) -> Dict[str, str]:
    """Fresh, seeded databases and secrets for both servers of one configuration."""
    database_url = f"sqlite:///{home / 'candor.db'}"
    init_database(database_url)
    return {
        "CANDOR_DATABASE_URL": database_url, "CANDOR_TRACKER_STORE_URL": database_url, "CANDOR_REDIS_URL": "",
        "CANDOR_SECRET_KEY": secrets.token_hex(32), "CANDOR_AGENT_TOKEN": secrets.token_urlsafe(24),
        "CANDOR_REQUESTS_PER_MINUTE": UNLIMITED_RATE, "CANDOR_INTEGRATION_TOKEN": "",
        "CANDOR_VAR_DIR": str(home / "var"),
    }

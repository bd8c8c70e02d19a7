"""Where Candor finds its databases and secrets: environment variables with embedded defaults.

Every process (Rasa server, action server, `candor` commands, tests) reads its configuration
here, so one variable changes the behaviour of all of them together.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("CANDOR_VAR_DIR", PROJECT_ROOT / "var"))
POLICY_FILE = Path(os.environ.get("CANDOR_POLICY_FILE", PROJECT_ROOT / "bot" / "policy.yml"))
SEED_DIR = PROJECT_ROOT / "data" / "seed"


def database_url() -> str:
    """The shop's database: customers, orders, refunds, invoices, handoffs."""
    return os.environ.get("CANDOR_DATABASE_URL") or f"sqlite:///{VAR_DIR / 'candor.db'}"


def tracker_store_url() -> str:
    """Where conversations are kept; by default the same database as the shop's."""
    return os.environ.get("CANDOR_TRACKER_STORE_URL") or database_url()


def redis_url() -> str | None:
    """Redis for the lock store; unset means an in-memory lock store (one server process)."""
    return os.environ.get("CANDOR_REDIS_URL") or None


def agent_token() -> str | None:
    """The agent console's shared secret; unset means the console is switched off."""
    return os.environ.get("CANDOR_AGENT_TOKEN") or None

"""Where Candor finds its databases and secrets: environment variables with embedded defaults.

Every process (Rasa server, action server, `candor` commands, tests) reads its configuration
here, so one variable changes the behaviour of all of them together. Each function reads the
environment when called, not on import, so a variable set later (or by a test) is seen.
"""

from __future__ import annotations

import functools
import os
import re
import secrets
import time
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


def secret_key() -> bytes:
    """The server's own secret: it keys conversation ids, audio names and signed URLs.

    `CANDOR_SECRET_KEY` (at least 32 characters) when set, which every replica of a cluster must
    share; otherwise a random key made once and kept in `var/secret-key`, readable only by its
    owner. Changing it makes every existing conversation unreachable from the channels, so keep it.
    """
    given = os.environ.get("CANDOR_SECRET_KEY")
    if given:
        if len(given) < 32:
            raise ValueError("CANDOR_SECRET_KEY must be at least 32 characters; make one with `openssl rand -hex 32`")
        return given.encode("utf-8")
    return _key_file(VAR_DIR / "secret-key")


@functools.lru_cache(maxsize=4)
def _key_file(path: Path) -> bytes:
    """The key in `path`, made (atomically, mode 0600) if there is none, so processes agree on it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(descriptor, "w") as file:
            file.write(secrets.token_hex(32))
    for _ in range(50):  # another process may have created it a moment ago and still be writing
        key = path.read_text().strip()
        if key:
            return key.encode("utf-8")
        time.sleep(0.01)
    raise RuntimeError(f"{path} is empty; delete it and Candor makes a new key")


def integration_token() -> str | None:
    """A server-to-server integration's token for the REST channel; unset means session secrets."""
    return os.environ.get("CANDOR_INTEGRATION_TOKEN") or None


def api_token() -> str | None:
    """The token of Rasa's HTTP API (an admin credential): the operator's for `candor serve`, which
    passes it on to the server it launches; unset means `candor serve` makes one."""
    return os.environ.get("CANDOR_API_TOKEN") or None


def requests_per_minute() -> str | None:
    """`CANDOR_REQUESTS_PER_MINUTE`: each client's rate, over credentials.yml (for load tests)."""
    return os.environ.get("CANDOR_REQUESTS_PER_MINUTE") or None


def twilio_auth_token() -> str:
    """The voice provider's signing secret, never kept in a file; empty means unsigned calls."""
    return os.environ.get("CANDOR_TWILIO_AUTH_TOKEN", "")


def serve_port() -> int:
    """`CANDOR_PORT`: the Rasa server's port for `candor serve` when `--port` is not given."""
    return int(os.environ.get("CANDOR_PORT", "5005"))


def serve_host() -> str:
    """`CANDOR_HOST`: the interface `candor serve` listens on; by default this machine only."""
    return os.environ.get("CANDOR_HOST", "127.0.0.1")


def login_name() -> str | None:
    """`USER`: who runs a command, the reviewer's name when `candor review label` is given none."""
    return os.environ.get("USER") or None


def plain_words_file() -> Path:
    """`CANDOR_PLAIN_WORDS`, else the plainlanguage.gov word list (public domain) in the shared datasets."""
    return Path(os.environ.get("CANDOR_PLAIN_WORDS") or PROJECT_ROOT.parent / "shared" / "datasets" / "plain_language" / "simple_words.tsv")


def widget_origins() -> list[str]:
    """`CANDOR_WIDGET_ORIGINS`: the shops' sites (space- or comma-separated) that embed the widget,
    and from which browsers may open socket.io; a ValueError says which entry is not an origin."""
    origins = os.environ.get("CANDOR_WIDGET_ORIGINS", "").replace(",", " ").split()
    for origin in origins:
        if origin != "*" and not re.fullmatch(r"https?://[A-Za-z0-9.-]+(:\d+)?", origin):
            raise ValueError(f"CANDOR_WIDGET_ORIGINS: {origin!r} is not an origin; write it like https://shop.example (no path)")
    return origins


def model_cache() -> Path | None:
    """`CANDOR_MODEL_CACHE`, else `~/.cache/candor/models`: trained models kept by fingerprint across
    checkouts, so a fresh clone of the same inputs on the same machine trains nothing; `off` keeps none."""
    value = os.environ.get("CANDOR_MODEL_CACHE", "")
    if value.lower() == "off":
        return None
    return Path(value) if value else Path.home() / ".cache" / "candor" / "models"

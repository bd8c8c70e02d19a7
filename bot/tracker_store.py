"""Candor's tracker store: Rasa's SQL tracker store, placed by environment variable.

Rasa builds custom tracker stores from `endpoints.yml` by class path; this subclass only
decides *where* conversations live (`CANDOR_TRACKER_STORE_URL`, else `CANDOR_DATABASE_URL`,
else SQLite under `var/`), so one variable moves every process to PostgreSQL.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from sqlalchemy.engine import make_url

from bot import settings


class CandorTrackerStore(SQLTrackerStore):
    """Rasa's `SQLTrackerStore` at the URL Candor's settings give."""

    def __init__(
        self,
        domain: Optional[Domain] = None,
        host: Optional[str] = None,
        event_broker: Optional[EventBroker] = None,
        **kwargs: Any,
    ) -> None:
        url = host or settings.tracker_store_url()
        _create_sqlite_folder(url)
        super().__init__(domain=domain, host=url, event_broker=event_broker, **kwargs)


def _create_sqlite_folder(url: str) -> None:
    """SQLite creates the file but not its folder; a fresh clone has no `var/` yet."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)

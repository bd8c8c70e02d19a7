"""What a customer types never reaches the Rasa server's log, however Rasa would have quoted it.

Issue 14: Rasa printed the raw text of `/intent{...}` messages customers typed (a customer number
and a postcode were seen), and SQLAlchemy errors print the values of the failed statement. Each
test runs Rasa's own code the way the server does, with Rasa's logging set up as `rasa run` sets it
up and Candor's `install_log_privacy()` in place, and reads what was logged.
"""

from __future__ import annotations

import asyncio
import logging
import warnings
from dataclasses import dataclass
from typing import Iterator, List

import pytest
import sqlalchemy
import structlog
from rasa.core.tracker_store import FailSafeTrackerStore, InMemoryTrackerStore
from rasa.nlu.classifiers.regex_message_handler import RegexMessageHandler
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.training_data.message import Message
from rasa.utils.log_utils import configure_structlog

from bot.settings import PROJECT_ROOT
from bot.store.database import make_engine

TYPED = {"customer number": "C10008", "postcode": "FB1 3QT"}

# The three lines of issue 14, as the customer typed them.
LINES_RASA_QUOTED = [
    '/identify{"customer_number": "C10008", "pc": "FB1 3QT"',
    '/nosuchintent{"customer_number":"C10008", "postcode": "FB1 3QT"}',
    '/identify{"postcode":"FB1 3QT", "customer_number":"C10008"}',
]
LOGGERS = ("rasa.core.processor", "rasa.shared.core.events", "rasa.core.tracker_store", "py.warnings")


@dataclass
class Log:
    """Everything logged during a test: warnings as Python shows them, and log records."""

    shown: List[warnings.WarningMessage]
    caplog: pytest.LogCaptureFixture

    @property
    def lines(self) -> List[str]:
        warned = [warnings.formatwarning(w.message, w.category, w.filename, w.lineno, w.line) for w in self.shown]
        return warned + [record.getMessage() for record in self.caplog.records]

    def leaked(self) -> List[str]:
        return [kind for kind, value in TYPED.items() if any(value in line for line in self.lines)]


@pytest.fixture
def log(caplog: pytest.LogCaptureFixture) -> Iterator[Log]:
    """Rasa's logging as `rasa run` sets it up, then Candor's log privacy; put back afterwards."""
    from bot.privacy.logs import install_log_privacy  # imported here: the other tests run without it

    structlog_config = structlog.get_config()
    processors = list(structlog_config["processors"])
    filters = {name: list(logging.getLogger(name).filters) for name in LOGGERS}
    caplog.set_level(logging.INFO)
    configure_structlog(logging.INFO)
    try:
        with warnings.catch_warnings(record=True) as shown:
            install_log_privacy()
            yield Log(shown, caplog)
    finally:
        structlog.configure(**{**structlog_config, "processors": processors})
        for name, kept in filters.items():
            logging.getLogger(name).filters[:] = kept


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(PROJECT_ROOT / "bot" / "domain"))


@pytest.mark.parametrize("typed", LINES_RASA_QUOTED)
def test_a_typed_intent_rasa_cannot_fully_parse_is_logged_without_what_was_typed(log: Log, domain: Domain, typed: str) -> None:
    RegexMessageHandler().process([Message({"text": typed})], domain)

    assert log.leaked() == []
    assert any("A message typed as /intent{...}" in line for line in log.lines)


def test_a_message_that_only_looks_like_a_typed_intent_is_logged_without_its_text(log: Log, domain: Domain) -> None:
    RegexMessageHandler().process([Message({"text": '/{"customer_number": "C10008", "postcode": "FB1 3QT"}'})], domain)

    assert log.leaked() == []
    assert "message.parsing.failed" in log.caplog.text


def test_sqlalchemy_errors_from_candors_engines_do_not_show_what_was_typed() -> None:
    engine = make_engine("sqlite://")

    with pytest.raises(sqlalchemy.exc.OperationalError) as raised:
        with engine.connect() as connection:
            connection.execute(sqlalchemy.text("INSERT INTO no_such_table VALUES (:typed)"), {"typed": "C10008 FB1 3QT"})

    assert "C10008" not in str(raised.value)
    assert "no_such_table" in str(raised.value)  # the statement itself is still named


class FailingStore(InMemoryTrackerStore):
    """A tracker store whose database refuses the write, as Rasa's own SQL engine reports it."""

    async def save(self, tracker: DialogueStateTracker) -> None:
        raise sqlalchemy.exc.StatementError(
            "value too long", "INSERT INTO events (sender_id, data) VALUES (?, ?)", ("x", '{"text": "C10008 FB1 3QT"}'), Exception()
        )


def test_a_tracker_store_failure_is_logged_without_the_statement_values(log: Log, domain: Domain) -> None:
    store = FailSafeTrackerStore(FailingStore(domain))

    asyncio.run(store.save(DialogueStateTracker("x", domain.slots)))

    assert log.leaked() == []
    assert any("Could not save a conversation to the tracker store" in line for line in log.lines)


def test_nothing_but_the_quoting_lines_changes(log: Log, domain: Domain) -> None:
    logging.getLogger("rasa.core.processor").warning("Loading model models/candor.tar.gz...")

    assert log.lines == ["Loading model models/candor.tar.gz..."]

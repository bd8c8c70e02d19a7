"""Each of Rasa's lines that can quote a customer is logged as a text-free line; every other line as it was."""

from __future__ import annotations

import logging
import warnings
from types import SimpleNamespace
from typing import Iterator, List

import pytest
import structlog
from rasa.core.processor import MessageProcessor
from rasa.shared.core.domain import Domain
from rasa.shared.core.slots import CategoricalSlot
from rasa.shared.utils.io import raise_warning

from bot.privacy.logs import (
    CUSTOMER_TEXT_FIELDS,
    QUOTING_LINES,
    QUOTING_LOGGERS,
    WITHHELD,
    install_log_privacy,
    text_free,
    withhold_customer_text,
)

SECRET = "C10008 FB1 3QT"
DOMAIN = Domain.from_yaml("version: '3.1'\nintents: [identify]\nentities: [order_id]\n")


@pytest.fixture
def installed() -> Iterator[List[warnings.WarningMessage]]:
    """Log privacy installed for one test (warnings, logger filters and structlog put back after); warnings shown."""
    processors = structlog.get_config()["processors"]
    saved_processors = list(processors)
    filters = {name: list(logging.getLogger(name).filters) for name in QUOTING_LOGGERS}
    try:
        with warnings.catch_warnings(record=True) as shown:
            install_log_privacy()
            yield shown
    finally:
        processors[:] = saved_processors
        for name, kept in filters.items():
            logging.getLogger(name).filters[:] = kept


def shown_text(shown: List[warnings.WarningMessage]) -> str:
    return "\n".join(str(warning.message) for warning in shown)


def test_a_categorical_slot_set_to_a_value_nobody_listed_keeps_the_slot_name_not_the_value(installed: list) -> None:
    slot = CategoricalSlot("size", mappings=[{}], values=["small", "large"])
    slot.value = SECRET

    slot.as_feature()

    assert SECRET not in shown_text(installed)
    assert "Categorical slot 'size' was set to a value the domain does not list" in shown_text(installed)


def test_an_intent_or_entity_the_domain_lacks_is_logged_without_its_name(installed: list) -> None:
    processor = SimpleNamespace(domain=DOMAIN)

    MessageProcessor._check_for_unseen_features(processor, {"intent": {"name": SECRET}, "entities": [{"entity": SECRET}]})

    assert SECRET not in shown_text(installed)
    assert "parsed to an intent that is not defined" in shown_text(installed)
    assert "parsed with an entity that is not defined" in shown_text(installed)


@pytest.mark.parametrize(
    "quoted",
    [
        f"Invalid entity specification: {{'postcode': '{SECRET}'}}. Assuming no entities.",
        f"Append event called, but could not extract a valid event. Request JSON: {{'text': '{SECRET}'}}",
    ],
)
def test_warnings_from_the_http_api_are_shown_without_the_request(installed: list, quoted: str) -> None:
    raise_warning(quoted)

    assert SECRET not in shown_text(installed)
    assert shown_text(installed)


@pytest.mark.parametrize(
    "logger, quoted",
    [
        ("rasa.core.processor", "Circuit breaker tripped. Stopped predicting more actions for sender 'ada@example.com'."),
        ("rasa.shared.core.events", f"Event from parameters called with parameters for multiple events. This is not "
         f"supported, only the first event will be returned. Parameters: {{'name': '{SECRET}'}}"),
        ("rasa.core.tracker_store", "Error happened when trying to save conversation tracker to 'CandorTrackerStore'. "
         f"Please investigate the following error: (sqlite3.IntegrityError) NOT NULL constraint failed\n"
         f"[SQL: INSERT INTO events VALUES (?)]\n[parameters: ('{SECRET}',)]."),
    ],
)
def test_rasa_log_lines_that_quote_a_customer_are_logged_without_the_quote(
    installed: list, caplog: pytest.LogCaptureFixture, logger: str, quoted: str
) -> None:
    logging.getLogger(logger).error(quoted)

    [record] = caplog.records
    assert SECRET not in record.getMessage() and "ada@example.com" not in record.getMessage()


def test_a_database_error_keeps_its_type_and_first_line_only() -> None:
    line = text_free(
        "Error happened when trying to retrieve conversation tracker from 'X'. Please investigate the following "
        f"error: (psycopg2.OperationalError) server closed the connection\n[parameters: ('{SECRET}',)]."
    )

    assert line is not None and line.endswith("Error: (psycopg2.OperationalError) server closed the connection")


def test_an_error_that_is_not_a_database_error_is_withheld_whole() -> None:
    line = text_free(
        "Error happened when trying to save conversation tracker to 'X'. Please investigate the following error: "
        f"cannot redact an event without a type: UserUttered('{SECRET}')."
    )

    assert line is not None and SECRET not in line and line.endswith(f"Error: {WITHHELD}")


def test_a_slot_name_that_is_not_slot_shaped_is_withheld() -> None:
    line = text_free(f"Categorical slot '{SECRET}' is set to a value ('x') that is not specified in the domain.")

    assert line is not None and SECRET not in line and WITHHELD in line


def test_every_quoting_line_is_rewritten_to_a_line_without_it() -> None:
    for quoting in QUOTING_LINES:
        line = text_free(f"{quoting.begins}{SECRET}'. {quoting.mentions} {SECRET}")

        assert line is not None and SECRET not in line, quoting.begins


def test_other_warnings_and_lines_are_left_alone(installed: list, caplog: pytest.LogCaptureFixture) -> None:
    raise_warning("No core model. Skipping action prediction and execution.")
    logging.getLogger("rasa.core.processor").warning("Loading model %s...", "models/candor.tar.gz")

    assert shown_text(installed) == "No core model. Skipping action prediction and execution."
    assert [record.getMessage() for record in caplog.records] == ["Loading model models/candor.tar.gz..."]


def test_the_structlog_fields_that_hold_text_are_withheld_and_the_rest_kept() -> None:
    event = {"event": "rest.message.received.failure", "text": SECRET, "user_text": SECRET, "sender_count": 3}

    assert withhold_customer_text(None, "error", event) == {
        "event": "rest.message.received.failure", "text": WITHHELD, "user_text": WITHHELD, "sender_count": 3,
    }


def test_the_withheld_fields_include_every_field_rasa_anonymizes() -> None:
    assert {"text", "user_text", "rasa_event", "rasa_events", "slot_values", "response", "message"} <= CUSTOMER_TEXT_FIELDS


def test_installing_twice_installs_once(installed: list) -> None:
    show = warnings.showwarning
    processors = list(structlog.get_config()["processors"])
    filters = {name: list(logging.getLogger(name).filters) for name in QUOTING_LOGGERS}

    install_log_privacy()

    assert warnings.showwarning is show
    assert structlog.get_config()["processors"] == processors
    assert processors.count(withhold_customer_text) == 1
    assert {name: list(logging.getLogger(name).filters) for name in QUOTING_LOGGERS} == filters


def test_warnings_quoting_a_customer_are_not_remembered_by_python(installed: list) -> None:
    # Python keeps the text of each warning it showed once, in its registry, for the life of the
    # process; a quoting warning is shown every time instead, so no customer text is kept.
    registry: dict = {}
    for _ in range(2):
        warnings.warn_explicit(f"Parsed an intent '{SECRET}' which is not defined", UserWarning, "x.py", 1, registry=registry)

    assert len(installed) == 2
    assert not any(SECRET in str(key) for key in registry)

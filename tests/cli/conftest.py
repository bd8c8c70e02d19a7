"""Commands run in the test process: what they change for the whole process is put back after each test."""

from __future__ import annotations

import logging
from typing import Iterator

import pytest
import structlog

# The loggers a command quiets while it loads a model (`eval_nlu._quiet_rasa`).
QUIETED_LOGGERS = ("rasa", "tensorflow", "absl")


@pytest.fixture(autouse=True)
def logging_as_it_was() -> Iterator[None]:
    """A command quiets Rasa for the rest of its process, which in a CLI is right; here the next
    test in the same process would lose the log lines it checks for."""
    levels = {name: logging.getLogger(name).level for name in QUIETED_LOGGERS}
    config = structlog.get_config()
    saved = {**config, "processors": list(config["processors"])}
    yield
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)
    structlog.configure(**saved)

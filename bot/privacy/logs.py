"""No customer text in the Rasa server's logs: the lines that would quote it are logged without it.

Rasa quotes what a customer typed in a few of its warnings and log lines. A customer who types
`/identify{"customer_number": "C10008", "pc": "FB1 3QT"` gets, in the server's log,
"Failed to parse arguments in line '/identify{"customer_number": "C10008", ...'". Its structured
(structlog) events carry message text in named fields, and SQLAlchemy errors list the values
of the failed statement. `install_log_privacy()` keeps all of that out, at the seams each library
provides, and leaves every other line alone:

* warnings: Python lets a program replace `warnings.showwarning`; Candor's shows each of Rasa's
  quoting warnings (`QUOTING_LINES`) as a text-free line that still says what happened.
* logging: a `logging.Filter` on each Rasa logger that can quote text does the same for its lines.
* structlog: a processor at the head of Rasa's chain withholds the fields that hold text
  (`CUSTOMER_TEXT_FIELDS`, the fields Rasa itself lists for anonymization).

What it cannot cover: at DEBUG level Rasa logs every message in full, by design (run production at
INFO or above), and a line's text is only as free of customer data as the SQLAlchemy engine that
produced it (Candor's engines hide statement parameters: `bot.store.database.make_engine`).
"""

from __future__ import annotations

import logging
import re
import warnings
from dataclasses import dataclass
from typing import Any, Dict, FrozenSet, MutableMapping, Optional, Pattern, TextIO, Type, Union

import structlog

WITHHELD = "<withheld>"
_TYPED = "A message typed as /intent{...}"


@dataclass(frozen=True)
class QuotingLine:
    """One of Rasa's warnings or log lines that can quote a customer, and the line logged instead.

    A line is recognised by literals Rasa writes around the quote (`begins`, and `mentions` to
    tell apart variants that begin alike); `instead` says what happened without the quote. Only
    `keep`'s named groups (names from the domain, an error's type) are carried over.
    """

    begins: str
    instead: str
    mentions: str = ""
    keep: Optional[Pattern[str]] = None

    def rewrite(self, line: str) -> Optional[str]:
        """The text-free line for `line`, or None if `line` is not this one."""
        if self.begins not in line or self.mentions not in line:
            return None
        if self.keep is None:
            return self.instead
        kept = self.keep.search(line)
        return self.instead.format_map(_Kept(kept.groupdict() if kept else {}))


class _Kept(Dict[str, Optional[str]]):
    """What `keep` found; anything it did not find is withheld."""

    def __missing__(self, key: str) -> str:
        return WITHHELD

    def __getitem__(self, key: str) -> str:
        return super().__getitem__(key) or WITHHELD


_PARSE = "Failed to parse arguments in line '"
_DB_ERROR = re.compile(r"investigate the following error: (?P<error>\([\w.]{1,100}\)[^\n]{0,200})")

# Found by reading every warning and INFO-or-above log call in rasa 3.6.21 that formats a message's
# text, its entities, a slot's value, a sender id or a request body. Most specific first.
QUOTING_LINES = (
    QuotingLine(_PARSE, f"{_TYPED} names an intent the domain lacks; read as text.", "Expected the intent to be"),
    QuotingLine(_PARSE, f"{_TYPED} names entities the domain lacks; they were left out.", "Expected entities from"),
    QuotingLine(_PARSE, f"{_TYPED} has entities that are not a JSON object; they were left out.", "Failed to decode"),
    QuotingLine(_PARSE, f"{_TYPED} has a confidence that is not a number from 0 to 1.", "Could not extract confidence"),
    QuotingLine(_PARSE, f"{_TYPED} has text after its entities; it was left out.", "Failed to interpret some parts"),
    QuotingLine(_PARSE, f"{_TYPED} could not be fully parsed."),
    QuotingLine("Invalid entity specification: ", "An intent triggered from outside had unreadable entities; none used."),
    QuotingLine("Parsed an intent '", "A message was parsed to an intent that is not defined in the domain."),
    QuotingLine("Parsed an entity '", "A message was parsed with an entity that is not defined in the domain."),
    QuotingLine(
        "Categorical slot '",
        "Categorical slot '{slot}' was set to a value the domain does not list; it behaves as if it had no value.",
        "is set to a value",
        re.compile(r"Categorical slot '(?P<slot>[\w.-]{1,100})' is set"),
    ),
    QuotingLine("Append event called, but could not extract a valid event.", "Append event called without a valid event."),
    QuotingLine("Circuit breaker tripped.", "Circuit breaker tripped: stopped predicting actions for a conversation."),
    QuotingLine(
        "Event from parameters called with parameters for multiple events.",
        "An event was given parameters for several events; only the first is used.",
    ),
    QuotingLine(
        "Error happened when trying to save conversation tracker",
        "Could not save a conversation to the tracker store; Rasa falls back to an in-memory store. Error: {error}",
        keep=_DB_ERROR,
    ),
    QuotingLine(
        "Error happened when trying to retrieve conversation tracker",
        "Could not read a conversation from the tracker store; Rasa falls back to an in-memory store. Error: {error}",
        keep=_DB_ERROR,
    ),
)

# The loggers whose lines above are written through `logging` (the rest are warnings), and
# `py.warnings`, where warnings go if anything turns on `logging.captureWarnings`.
QUOTING_LOGGERS = ("rasa.core.processor", "rasa.shared.core.events", "rasa.core.tracker_store", "py.warnings")

# The structlog fields that hold message text, slot values or events: the ones Rasa's own
# anonymization (`rasa.utils.log_utils._anonymizer`) covers.
CUSTOMER_TEXT_FIELDS: FrozenSet[str] = frozenset(
    {
        "text", "response_text", "user_text", "slot_values", "parse_data_text", "parse_data_entities",
        "prediction_events", "tracker_latest_message", "prefilled_slots", "message", "response",
        "slot_candidates", "rasa_event", "rasa_events", "tracker_states", "current_states", "old_states",
        "successes", "current_entity", "next_entity", "states", "entity", "token_text", "user_message",
        "json_message",
    }
)


def text_free(line: str) -> Optional[str]:
    """The line to log instead of `line` if it is one of Rasa's quoting lines, else None."""
    for quoting in QUOTING_LINES:
        rewritten = quoting.rewrite(line)
        if rewritten is not None:
            return rewritten
    return None


def install_log_privacy() -> None:
    """Keep customer text out of the warnings and logs of this process; calling again changes nothing.

    Call it once Rasa has configured its logging (any code the Rasa server loads, such as the
    tracker store, runs after that).
    """
    if not isinstance(warnings.showwarning, _TextFreeWarnings):
        warnings.showwarning = _TextFreeWarnings(warnings.showwarning)
    for quoting in QUOTING_LINES:
        # Python remembers each warning it has shown once, text included, for the life of the
        # process; these are shown every time instead, so no customer text is kept in memory.
        warnings.filterwarnings("always", message=re.escape(quoting.begins))
    for name in QUOTING_LOGGERS:
        logging.getLogger(name).addFilter(_TEXT_FREE_LINES)  # adds nothing if already there
    processors = structlog.get_config()["processors"]
    if withhold_customer_text not in processors:
        if isinstance(processors, list):
            # In place, so loggers Rasa has already created and cached use it too.
            processors.insert(0, withhold_customer_text)
        else:
            structlog.configure(processors=[withhold_customer_text, *processors])


def withhold_customer_text(_logger: Any, _method: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """A structlog processor: the fields that can hold what a customer typed, withheld."""
    for field in CUSTOMER_TEXT_FIELDS.intersection(event):
        event[field] = WITHHELD
    return event


class _TextFreeWarnings:
    """`warnings.showwarning` that shows Rasa's quoting warnings without the quote."""

    def __init__(self, show: Any) -> None:
        self.show = show

    def __call__(
        self,
        message: Union[Warning, str],
        category: Type[Warning],
        filename: str,
        lineno: int,
        file: Optional[TextIO] = None,
        line: Optional[str] = None,
    ) -> None:
        rewritten = text_free(str(message))
        self.show(category(rewritten) if rewritten is not None else message, category, filename, lineno, file, line)


class _TextFreeLines(logging.Filter):
    """Rewrites a record that quotes a customer into its text-free line; lets every record through."""

    def filter(self, record: logging.LogRecord) -> bool:
        rewritten = text_free(record.getMessage())
        if rewritten is not None:
            record.msg, record.args = rewritten, ()
            record.exc_info = record.exc_text = None
        return True


_TEXT_FREE_LINES = _TextFreeLines()

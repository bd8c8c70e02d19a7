"""Every sentence a customer reads or hears is a domain response: no module outside the NLG writes one.

Python decides and fills placeholders; what the customer reads is in `bot/domain/`, where the NLG
words it for every mode and a reviewer finds it. This scans every string literal in `actions/`
and `bot/` (`tests/unit/wording_scan.py` says what it leaves out: docstrings, logs, exceptions,
operators' output and packages) and fails on English a customer would see.
"""

from __future__ import annotations

from pathlib import Path

from bot.settings import PROJECT_ROOT
from tests.unit.wording_scan import english_in, english_in_source

SCANNED = (PROJECT_ROOT / "actions", PROJECT_ROOT / "bot")
# Packages whose every word is for operators: the `candor` command, and the audit report and review.
FOR_OPERATORS = ("bot/cli/", "bot/audit/")
# English that is allowed where it is, and why: path -> the start of each allowed string.
ALLOWED = {
    # Rasa's own log messages, rewritten for operators so they never quote a customer.
    "bot/privacy/logs.py": ("",),
    # Words the detectors look for in what a customer wrote, and the reasons they record for operators.
    "actions/account.py": ("don't send",),
    "bot/privacy/recognizers/person_name_recognizer.py": ("person's name: ",),
    # Reasons a request is refused, for the developer of the client (HTTP 4xx bodies), never shown to a customer.
    "bot/channels/guard.py": ("User is not authenticated.",),
    "bot/channels/web.py": ('"sender" must be',),
    # Not moved yet (listed in the issue as later steps): the "what do you know about me" summary,
    # which has its plain wording in Python, and three fill-ins said when a value is missing.
    "bot/privacy/subject_access.py": ("",),
    "actions/wording.py": ("a date we don't know yet",),
    "bot/explain/descriptions.py": ("something I couldn't name",),
    "bot/explain/wording.py": ("a day I can't tell",),
    # Not moved yet: the title of each order offered to pick from, which the NLG would have to word
    # per button (a response per title); until then its one word of English ("placed") is here.
    "actions/consent.py": ("{}, placed {} ({})",),
}


def scanned_files():
    for folder in SCANNED:
        for path in sorted(folder.rglob("*.py")):
            relative = path.relative_to(PROJECT_ROOT).as_posix()
            if not relative.startswith(FOR_OPERATORS):
                yield path


def test_no_module_outside_the_domain_holds_a_sentence_for_customers() -> None:
    found = [
        finding
        for finding in english_in(scanned_files(), PROJECT_ROOT)
        if not any(finding.text.startswith(start) for start in ALLOWED.get(finding.path, ()))
    ]
    assert not found, "Move these to a domain response (bot/domain/) and send it by name:\n" + "\n".join(map(str, found))


def test_every_allowed_string_is_still_there() -> None:
    """An allow-list entry that no longer matches anything is removed, so the list stays short."""
    found = english_in(scanned_files(), PROJECT_ROOT)
    stale = [
        (path, start)
        for path, starts in ALLOWED.items()
        for start in starts
        if not any(finding.path == path and finding.text.startswith(start) for finding in found)
    ]
    assert stale == []


def test_the_scan_catches_a_planted_sentence_and_leaves_logs_and_docstrings_alone() -> None:
    planted = '''
"""A module docstring: Here is some English for developers."""
import logging
logger = logging.getLogger(__name__)
APOLOGY = {"text": "Sorry, something went wrong on our side."}
ECHO = "we couldn't find it"

def reply(dispatcher):
    """Say sorry. This is a docstring."""
    logger.warning("Could not reach the database, retrying now.")
    dispatcher.utter_message(text=f"Your order {42} is on its way!")
    if not dispatcher:
        raise ValueError("The dispatcher is missing: pass one in.")
    dispatcher.utter_message(response="utter_order_on_its_way", order_id="104502")
'''
    found = [finding.text for finding in english_in_source(planted, "actions/planted.py")]

    assert found == ["Sorry, something went wrong on our side.", "we couldn't find it", "Your order {} is on its way!"]


def test_the_scan_reads_a_planted_file_in_actions(tmp_path: Path) -> None:
    actions = tmp_path / "actions"
    actions.mkdir()
    (actions / "planted.py").write_text('BUTTONS = [{"title": "Yes, use my orders", "payload": "/affirm"}]\nHELLO = "Hello, I am a bot."\n')

    found = english_in(actions.rglob("*.py"), tmp_path)

    assert [(finding.path, finding.text) for finding in found] == [
        ("actions/planted.py", "Yes, use my orders"),
        ("actions/planted.py", "Hello, I am a bot."),
    ]

"""The fairness audit's data (`data/fairness/`), read strictly: a lopsided set would measure nothing.

Every request must be written in every way, once, so each group is scored on the same requests;
every message template must hold `{name}` exactly once, so the name's place is known exactly; every
origin must have names. Anything else is refused with the file and the fix. This data is for
measuring only: nothing in Candor trains or tunes on it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import yaml

from bot.cli.csvfiles import read_csv_rows
from bot.cli.errors import CommandError
from bot.policy_sections import DISTRESS_CATEGORIES
from bot.settings import PROJECT_ROOT

FAIRNESS_DIR = PROJECT_ROOT / "data" / "fairness"
REQUESTS = FAIRNESS_DIR / "requests.csv"
NAMES = FAIRNESS_DIR / "names.yml"
NAME_MESSAGES = FAIRNESS_DIR / "name-messages.yml"
NAME_PLACEHOLDER = "{name}"


@dataclass(frozen=True)
class WrittenRequest:
    """One request, written the way one group of customers would write it."""

    request: str
    group: str
    intent: str
    text: str


@dataclass(frozen=True)
class NameMessage:
    """A message with a customer's name in it, and the distress it tells of (None: none)."""

    template: str
    distress: Optional[str]

    @property
    def name_start(self) -> int:
        """Where the name begins in every filled message."""
        return self.template.index(NAME_PLACEHOLDER)

    def filled(self, name: str) -> str:
        return self.template.replace(NAME_PLACEHOLDER, name)


@dataclass(frozen=True)
class FairnessData:
    requests: Tuple[WrittenRequest, ...]
    writing_groups: Tuple[str, ...]  # in the order the file first gives them
    names: Dict[str, Tuple[str, ...]]  # origin -> full names
    messages: Tuple[NameMessage, ...]
    digests: Dict[str, str]  # each file's name and the first 16 hex digits of its SHA-256


def read_fairness_data(requests: Path, names: Path, messages: Path) -> FairnessData:
    written, groups = read_requests(requests)
    return FairnessData(
        requests=written,
        writing_groups=groups,
        names=read_names(names),
        messages=read_name_messages(messages),
        digests={_shown(path): hashlib.sha256(path.read_bytes()).hexdigest()[:16] for path in (requests, names, messages)},
    )


def read_requests(path: Path) -> Tuple[Tuple[WrittenRequest, ...], Tuple[str, ...]]:
    """The requests and the ways of writing; each request must be written in each way exactly once."""
    rows = read_csv_rows(path, ("request", "group", "intent", "text"))
    requests = tuple(
        WrittenRequest(*((row[column] or "").strip() for column in ("request", "group", "intent", "text"))) for row in rows
    )
    empty = [number for number, request in enumerate(requests, start=1) if not all(vars(request).values())]
    if empty:
        raise CommandError(f"{path}: row {empty[0]} leaves request, group, intent or text empty")
    if not requests:
        raise CommandError(f"{path} has no requests")
    groups = tuple(dict.fromkeys(request.group for request in requests))
    by_request: Dict[str, List[WrittenRequest]] = {}
    for request in requests:
        by_request.setdefault(request.request, []).append(request)
    for number, versions in by_request.items():
        written_in = [version.group for version in versions]
        if sorted(written_in) != sorted(groups):
            missing = sorted(set(groups) - set(written_in))
            twice = sorted({group for group in written_in if written_in.count(group) > 1})
            problem = f"not written as {', '.join(missing)}" if missing else f"written twice as {', '.join(twice)}"
            raise CommandError(f"{path}: request {number} is {problem}; write every request once in every way")
        if len({version.intent for version in versions}) > 1:
            raise CommandError(f"{path}: request {number} has several intents; every way of writing it means the same")
    return requests, groups


def read_names(path: Path) -> Dict[str, Tuple[str, ...]]:
    """Origin -> full names: a mapping of non-empty lists of non-empty names."""
    document = _yaml(path)
    if not isinstance(document, dict) or not document:
        raise CommandError(f"{path} must map each origin to a list of full names (english: [Margaret Holloway, ...])")
    names = {}
    for origin, members in document.items():
        if not isinstance(members, list) or not members or not all(isinstance(name, str) and name.strip() for name in members):
            raise CommandError(f"{path}: {origin} must be a non-empty list of full names")
        names[str(origin)] = tuple(name.strip() for name in members)
    return names


def read_name_messages(path: Path) -> Tuple[NameMessage, ...]:
    """Templates with exactly one `{name}`, each with `distress` null or a distress category."""
    document = _yaml(path)
    if not isinstance(document, list) or not document:
        raise CommandError(f"{path} must be a list of messages, each with `text` (holding {NAME_PLACEHOLDER}) and `distress`")
    messages = []
    for number, entry in enumerate(document, start=1):
        text = entry.get("text") if isinstance(entry, dict) else None
        if not isinstance(text, str) or text.count(NAME_PLACEHOLDER) != 1:
            raise CommandError(f"{path}: message {number} must have a `text` with {NAME_PLACEHOLDER} exactly once")
        distress = entry.get("distress")
        if distress is not None and distress not in DISTRESS_CATEGORIES:
            raise CommandError(
                f"{path}: message {number} has distress {distress!r}; use null or one of {', '.join(DISTRESS_CATEGORIES)}"
            )
        messages.append(NameMessage(text, distress))
    return tuple(messages)


def _yaml(path: Path) -> object:
    if not path.is_file():
        raise CommandError(f"no such file: {path}")
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise CommandError(f"{path} is not UTF-8 text") from None
    except yaml.YAMLError as error:
        raise CommandError(f"{path} is not valid YAML: {str(error).splitlines()[0]}") from None


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path)

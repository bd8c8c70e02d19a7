"""Finds code that walks a conversation's events by hand instead of asking `bot.conversation`.

Three shapes give a hand-written walk away: reading an event's kind from a serialised event
(`event.get("event")`, `event["event"]`), walking events backwards (`reversed(tracker.events)`),
and looping over events sorting them by Rasa's event classes (`isinstance(event, SlotSet)`).
Each of them belongs in `bot/conversation/events.py`, where the question is answered once.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, List, Set

from rasa.shared.core import events as rasa_events

PACKAGES = ("bot", "actions", "accessibility")
# The one home of the event queries and the turn reader.
HOME = "bot/conversation"
RASA_EVENT_CLASSES: Set[str] = {
    name for name, value in vars(rasa_events).items() if isinstance(value, type) and issubclass(value, rasa_events.Event)
}


@dataclass(frozen=True)
class Scan:
    path: str
    line: int
    code: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.code}"


def _is_text(node: ast.AST, text: str) -> bool:
    return isinstance(node, ast.Constant) and node.value == text


def _mentions_events(node: ast.AST) -> bool:
    return "event" in ast.unparse(node).lower()


def _reads_kind(node: ast.AST) -> bool:
    """`x.get("event")` or `x["event"]`: the kind of a serialised event, read by hand."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get":
        return bool(node.args) and _is_text(node.args[0], "event")
    return isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load) and _is_text(node.slice, "event")


def _sorts_by_event_class(nodes: List[ast.AST]) -> bool:
    """Whether `nodes` hold an `isinstance(..., <a Rasa event class>)` test."""
    for root in nodes:
        for node in ast.walk(root):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "isinstance" and len(node.args) == 2:
                classes = node.args[1].elts if isinstance(node.args[1], ast.Tuple) else [node.args[1]]
                if any(getattr(cls, "id", getattr(cls, "attr", None)) in RASA_EVENT_CLASSES for cls in classes):
                    return True
    return False


def _walks_events(node: ast.AST) -> bool:
    if _reads_kind(node):
        return True
    if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "reversed":
        return any(_mentions_events(argument) for argument in node.args)
    if isinstance(node, (ast.For, ast.AsyncFor)) and _mentions_events(node.iter):
        return _sorts_by_event_class(node.body)
    if isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
        over_events = [generator for generator in node.generators if _mentions_events(generator.iter)]
        kept = [condition for generator in over_events for condition in generator.ifs]
        return bool(over_events) and _sorts_by_event_class(kept)
    return False


def scans_in(source: str, path: str = "<source>") -> Iterator[Scan]:
    """Every hand-written walk over events in one module's source."""
    for node in ast.walk(ast.parse(source)):
        if _walks_events(node):
            yield Scan(path, node.lineno, ast.unparse(node).splitlines()[0][:100])


def hand_written_scans(root: Path) -> List[Scan]:
    """The hand-written event walks in Candor's packages under `root`, outside `bot/conversation`."""
    found: List[Scan] = []
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            relative = path.relative_to(root).as_posix()
            if not relative.startswith(HOME + "/"):
                found += sorted(scans_in(path.read_text(encoding="utf-8"), relative), key=lambda scan: scan.line)
    return found

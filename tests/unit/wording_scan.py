"""Finds customer-facing English held in Python: string literals that read as sentences.

What is not customer-facing is left out by construction: docstrings; the text of log calls,
exceptions, assertions, `print` and argparse (for developers and operators); and the operators'
packages (`bot/cli`, `bot/audit`). What is left and reads as English a customer would see
belongs in a domain response (`bot/domain/`), which the NLG words for every mode.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, List, Set

# A sentence: a capital, at least two more words, and a full stop, question or exclamation mark.
SENTENCE = re.compile(r"(?:^|[\s\"'(])[A-Z][a-z']*(?:[ ,;:\-–—]+[\w'’{}()£%-]+){2,}[.!?]")
# A phrase a customer would read: three or more lower-case words, one with an apostrophe in it.
PHRASE = re.compile(r"\b[a-z]+(?: [a-z]+)*'[a-z]+(?: [a-z]+)+|\b[a-z]+ [a-z]+ [a-z]*'[a-z]+\b")
LOG_CALLS = {"debug", "info", "warning", "error", "exception", "critical", "log", "warn"}
OPERATOR_CALLS = {"print", "add_argument", "add_parser", "ArgumentParser", "CommandError"}
OPERATOR_KEYWORDS = {"help", "description", "epilog"}
# Keys and keyword arguments whose value a customer sees: a message's text, a button's title.
SHOWN = {"text", "title"}
WORD = re.compile(r"[A-Za-z]{2,}")


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.text[:80]!r}"


def reads_as_english(text: str) -> bool:
    return bool(SENTENCE.search(text) or PHRASE.search(text))


def _not_for_customers(tree: ast.AST) -> Set[int]:
    """The ids of the nodes whose strings are docstrings, logs, exceptions or operators' output."""
    skipped: Set[int] = set()
    for node in ast.walk(tree):
        roots: List[ast.AST] = []
        body = getattr(node, "body", None)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and body:
            first = body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                roots.append(first)
        if isinstance(node, ast.Raise) and node.exc is not None:
            roots.append(node.exc)
        if isinstance(node, ast.Assert) and node.msg is not None:
            roots.append(node.msg)
        if isinstance(node, ast.Call):
            function = node.func
            called = function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", None)
            if called in LOG_CALLS or called in OPERATOR_CALLS:
                roots.append(node)
            roots += [keyword.value for keyword in node.keywords if keyword.arg in OPERATOR_KEYWORDS]
        for root in roots:
            skipped.update(id(inner) for inner in ast.walk(root))
    return skipped


def _literal(node: ast.AST) -> "str | None":
    """A string literal's text; an f-string's with `{}` for each value put in it."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(part.value if isinstance(part, ast.Constant) else "{}" for part in node.values)
    return None


def _shown(tree: ast.AST) -> Set[int]:
    """The ids of the literals given as a message's text or a button's title."""
    shown: Set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            shown.update(id(value) for key, value in zip(node.keys, node.values) if isinstance(key, ast.Constant) and key.value in SHOWN)
        if isinstance(node, ast.Call):
            shown.update(id(keyword.value) for keyword in node.keywords if keyword.arg in SHOWN)
    return shown


def english_in_source(source: str, path: str) -> Iterator[Finding]:
    """Each string literal in `source` that reads as English a customer would see."""
    tree = ast.parse(source, path)
    skipped = _not_for_customers(tree)
    inside_fstrings = {id(part) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for part in node.values}
    shown = _shown(tree)
    for node in sorted(ast.walk(tree), key=lambda node: (getattr(node, "lineno", 0), getattr(node, "col_offset", 0))):
        text = _literal(node)
        if text is None or id(node) in skipped or id(node) in inside_fstrings:
            continue
        if reads_as_english(text) or (id(node) in shown and WORD.search(text)):
            yield Finding(path, node.lineno, text)


def english_in(files: Iterable[Path], root: Path) -> List[Finding]:
    found: List[Finding] = []
    for path in sorted(files):
        found += english_in_source(path.read_text(encoding="utf-8"), path.relative_to(root).as_posix())
    return found

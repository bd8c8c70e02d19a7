"""`candor eval-over-redaction`: what redaction takes from messages that hold no personal data.

Redaction that misses nothing is easy if it may replace anything; what it replaces without need
is lost to explanations, audits and the review queue. This measures that loss on customer
messages labelled with their entities (Bitext's customer-support set: `text,intent,entity_type,
entity_value`), and prints only counts, never a message:

- how many messages lose a word that is not personal data (a run of two or more letters or
  digits, replaced by a placeholder, outside every span labelled as personal);
- how many order numbers lose a digit (the target is none);
- which kinds of words are lost: the label the word had in the data set, the placeholder that
  took it, its shape, and the commonest lost words.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterable, List, Sequence, Tuple

from bot.cli.errors import CommandError
from bot.cli.redact import WORD, _redactor

# Labels of the data set that are personal data: words inside them may be replaced.
PERSONAL_LABELS = ("person_name",)
# Labels that are the shop's references: not one of their words may be replaced.
REFERENCE_LABELS = ("order_id", "invoice_id")
MOST_COMMON_WORDS = 20


@dataclass(frozen=True)
class LabelledMessage:
    text: str
    label: str  # the data set's entity type, "" for none
    value: str  # the labelled value, as it appears in the text


@dataclass
class OverRedactionReport:
    messages: int = 0
    messages_losing_a_word: int = 0
    references: int = 0
    references_lost: int = 0
    lost_by_label: Counter = field(default_factory=Counter)
    lost_by_placeholder: Counter = field(default_factory=Counter)
    lost_by_shape: Counter = field(default_factory=Counter)
    lost_words: Counter = field(default_factory=Counter)

    @property
    def share_losing_a_word(self) -> float:
        return self.messages_losing_a_word / self.messages if self.messages else 0.0


def register(subparsers: argparse._SubParsersAction) -> None:
    command = subparsers.add_parser(
        "eval-over-redaction",
        help="measure how often redaction replaces words that are not personal data",
        description="Redact every message of a labelled CSV file (columns text, entity_type, entity_value; "
        "Bitext's customer-support set has them) and report how many messages lose a word that is not "
        "personal data, how many order numbers are touched, and which kinds of words are lost. "
        "Only counts are printed, never a message.",
    )
    command.add_argument("--data", required=True, type=Path, help="labelled messages, e.g. bitext/dev.csv")
    command.add_argument(
        "--personal", nargs="+", default=list(PERSONAL_LABELS), help="labels that are personal data (default: person_name)"
    )
    command.add_argument("--out", type=Path, help="also write the report as JSON to this file")
    command.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    messages = read_labelled_messages(args.data)
    report = measure(_redactor(), messages, args.personal)
    print(format_report(report, args.data))
    if args.out:
        args.out.write_text(json.dumps(summary(report), indent=2))
    return 0


def read_labelled_messages(path: Path) -> List[LabelledMessage]:
    """The messages of a labelled CSV file; a clear error for anything else."""
    if not path.is_file():
        raise CommandError(f"no such file: {path}")
    try:
        with path.open(encoding="utf-8", newline="") as source:
            rows = list(csv.DictReader(source))
    except UnicodeDecodeError:
        raise CommandError(f"{path} is not UTF-8 text") from None
    missing = {"text", "entity_type", "entity_value"} - set(rows[0] if rows else ())
    if not rows or missing:
        raise CommandError(f"{path} needs a header with text, entity_type and entity_value and at least one row")
    return [LabelledMessage(row["text"] or "", row["entity_type"] or "", row["entity_value"] or "") for row in rows]


def measure(redactor: Any, messages: Iterable[LabelledMessage], personal: Sequence[str]) -> OverRedactionReport:
    """Redact each message and count the words replaced outside its personal spans."""
    report = OverRedactionReport()
    for message in messages:
        report.messages += 1
        replaced_by = _replaced_characters(message.text, redactor.redact(message.text).findings)
        labelled = _labelled_spans(message)
        lost = False
        for match in WORD.finditer(message.text):
            start, end = match.span()
            placeholder = next((kind for kind in replaced_by[start:end] if kind), None)
            label = next((name for name, low, high in labelled if low <= start and end <= high), "")
            if placeholder is None or label in personal:
                continue
            lost = True
            report.lost_by_label[label or "(no label)"] += 1
            report.lost_by_placeholder[placeholder] += 1
            report.lost_by_shape[_shape(match.group())] += 1
            report.lost_words[match.group().lower()] += 1
        for name, low, high in labelled:
            if name in REFERENCE_LABELS:
                report.references += 1
                report.references_lost += any(replaced_by[low:high])
        report.messages_losing_a_word += lost
    return report


def _replaced_characters(text: str, findings: Iterable[Any]) -> List[str]:
    """For each character of `text`, the type of the placeholder that replaced it, or ""."""
    replaced = [""] * len(text)
    for finding in findings:
        replaced[finding.start : finding.end] = [finding.entity_type] * (finding.end - finding.start)
    return replaced


def _labelled_spans(message: LabelledMessage) -> List[Tuple[str, int, int]]:
    """Where the labelled value is in the text (every occurrence, any case)."""
    if not message.label or not message.value.strip():
        return []
    return [
        (message.label, match.start(), match.end())
        for match in re.finditer(re.escape(message.value.strip()), message.text, flags=re.IGNORECASE)
    ]


def _shape(word: str) -> str:
    if word.isdigit():
        return f"{len(word)}-digit number"
    if any(character.isdigit() for character in word):
        return "letters and digits"
    if word[0].isupper():
        return "capitalised word"
    return "lower-case word"


def summary(report: OverRedactionReport) -> Dict[str, Any]:
    return {
        "messages": report.messages,
        "messages_losing_a_word": report.messages_losing_a_word,
        "share_losing_a_word": report.share_losing_a_word,
        "references": report.references,
        "references_lost": report.references_lost,
        "lost_by_label": dict(report.lost_by_label),
        "lost_by_placeholder": dict(report.lost_by_placeholder),
        "lost_by_shape": dict(report.lost_by_shape),
        "most_common_lost_words": dict(report.lost_words.most_common(MOST_COMMON_WORDS)),
    }


def format_report(report: OverRedactionReport, data: Path) -> str:
    def counts(counter: Counter) -> str:
        return ", ".join(f"{name} {count}" for name, count in counter.most_common()) or "none"

    return "\n".join(
        [
            f"Over-redaction on {data} ({report.messages} messages)",
            f"Messages that lose a word that is not personal data: {report.messages_losing_a_word} "
            f"({100 * report.share_losing_a_word:.2f}%)",
            f"Order and invoice numbers touched: {report.references_lost} of {report.references}",
            "",
            f"Lost words by their label in the data: {counts(report.lost_by_label)}",
            f"Lost words by the placeholder that took them: {counts(report.lost_by_placeholder)}",
            f"Lost words by shape: {counts(report.lost_by_shape)}",
            f"Commonest lost words: {counts(Counter(dict(report.lost_words.most_common(MOST_COMMON_WORDS))))}",
        ]
    )

"""`candor redact` and `candor eval-redaction`: the tracker store's redaction, for people.

`candor redact` reads text on standard input and writes it with personal data replaced by its
type, line by line: the same redaction the tracker store applies before anything is stored, for
transcripts, tickets or logs that must be shared.

`candor eval-redaction` measures that redaction on labelled texts (Presidio's synthetic set, for
evaluation only): recall per entity type, and the time redaction adds per message.

How a labelled span is scored: a span is *caught* when no part of its value survives, that is,
when every word in it (a run of letters or digits of two or more characters, so "14", "Lane"
and "DC" count and a lone "C" does not) lies inside text that was replaced by a placeholder.
Replacing only "Lane" of "14 Larkspur Lane" is a miss. The report also gives the share of
words replaced, which shows how close the misses came.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Sequence, Tuple

from bot.cli.errors import CommandError

WORD = re.compile(r"[^\W_]{2,}")


@dataclass(frozen=True)
class LabelledText:
    text: str
    spans: Tuple[Tuple[str, int, int], ...]  # (entity type, start, end)


@dataclass
class TypeScore:
    spans: int = 0
    caught: int = 0
    words: int = 0
    words_replaced: int = 0

    @property
    def recall(self) -> float:
        return self.caught / self.spans if self.spans else 0.0

    @property
    def word_recall(self) -> float:
        return self.words_replaced / self.words if self.words else 0.0


@dataclass
class RedactionReport:
    texts: int
    promised: List[str]
    by_type: Dict[str, TypeScore]
    placeholders: int
    placeholders_outside_spans: int
    latencies_ms: List[float] = field(repr=False)
    build_seconds: float

    @property
    def promised_score(self) -> TypeScore:
        total = TypeScore()
        for entity_type in self.promised:
            score = self.by_type.get(entity_type, TypeScore())
            total.spans += score.spans
            total.caught += score.caught
            total.words += score.words
            total.words_replaced += score.words_replaced
        return total

    def latency_percentile(self, percent: float) -> float:
        import numpy

        return float(numpy.percentile(self.latencies_ms, percent))


def register(subparsers: argparse._SubParsersAction) -> None:
    redact = subparsers.add_parser(
        "redact",
        help="replace personal data in text read from standard input",
        description="Read UTF-8 text on standard input and write it to standard output, line by line, with "
        "personal data replaced by its type (<EMAIL_ADDRESS>, <STREET_ADDRESS>, <PERSON>, ...). It is the "
        "redaction the tracker store applies; what it replaces is set in bot/policy.yml (privacy.redaction).",
    )
    redact.set_defaults(run=run_redact)

    evaluate = subparsers.add_parser(
        "eval-redaction",
        help="measure redaction recall and latency on labelled texts",
        description="Redact every text of a Presidio-style JSON file (a list of {full_text, spans: "
        "[{entity_type, start_position, end_position}]}) and report, per entity type, how many labelled "
        "spans were caught (every word of 2+ letters or digits replaced), overall recall over the types "
        "bot/policy.yml promises to redact, and the p50/p95 time per message.",
    )
    evaluate.add_argument("--data", required=True, type=Path, help="labelled texts, e.g. Presidio's synth_dev.json")
    evaluate.add_argument("--out", type=Path, help="also write the report as JSON to this file")
    evaluate.set_defaults(run=run_eval)


def run_redact(args: argparse.Namespace) -> int:
    raw = sys.stdin.buffer.read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise CommandError(
            f"standard input is not UTF-8 text (byte 0x{raw[error.start]:02x} at offset {error.start}); "
            f"convert it first, e.g. with `iconv -t UTF-8`"
        ) from None
    redactor = _redactor()
    for line in text.splitlines(keepends=True):
        content = line.rstrip("\r\n")
        sys.stdout.write(redactor.redact_text(content) + line[len(content) :])
    sys.stdout.flush()
    return 0


def run_eval(args: argparse.Namespace) -> int:
    examples = read_labelled_texts(args.data)
    started = time.perf_counter()
    redactor = _redactor()
    build_seconds = time.perf_counter() - started
    from bot.policy import current_policy

    report = evaluate(redactor, examples, current_policy().privacy.redaction.entities)
    report.build_seconds = build_seconds
    print(format_report(report, args.data))
    if args.out:
        summary = {
            "texts": report.texts,
            "by_type": {t: {**asdict(s), "recall": s.recall, "word_recall": s.word_recall} for t, s in report.by_type.items()},
            "promised_recall": report.promised_score.recall,
            "placeholders_outside_spans": report.placeholders_outside_spans,
            "latency_ms": {"p50": report.latency_percentile(50), "p95": report.latency_percentile(95)},
        }
        args.out.write_text(json.dumps(summary, indent=2))
    return 0


def read_labelled_texts(path: Path) -> List[LabelledText]:
    """The labelled texts of a Presidio-style JSON file; a clear error for anything else."""
    if not path.is_file():
        raise CommandError(f"no such file: {path}")
    try:
        records = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise CommandError(f"{path} is not UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise CommandError(f"{path} is not valid JSON: {error}") from None
    if not isinstance(records, list) or not records:
        raise CommandError(f"{path} should hold a non-empty list of labelled texts")
    try:
        return [
            LabelledText(
                record["full_text"],
                tuple((s["entity_type"], int(s["start_position"]), int(s["end_position"])) for s in record["spans"]),
            )
            for record in records
        ]
    except (KeyError, TypeError, ValueError) as error:
        raise CommandError(
            f"{path}: every item needs full_text and spans with entity_type, start_position and end_position ({error!r})"
        ) from None


def evaluate(redactor: Any, examples: Sequence[LabelledText], promised: Sequence[str]) -> RedactionReport:
    """Redact each text, timing it, and score every labelled span as caught or missed."""
    by_type: Dict[str, TypeScore] = {}
    latencies: List[float] = []
    placeholders = outside = 0
    for example in examples:
        started = time.perf_counter()
        redacted = redactor.redact(example.text)
        latencies.append((time.perf_counter() - started) * 1000)
        replaced = [False] * len(example.text)
        for finding in redacted.findings:
            replaced[finding.start : finding.end] = [True] * (finding.end - finding.start)
            placeholders += 1
            outside += not any(start < finding.end and finding.start < end for _, start, end in example.spans)
        for entity_type, start, end in example.spans:
            score = by_type.setdefault(entity_type, TypeScore())
            words = [(start + m.start(), start + m.end()) for m in WORD.finditer(example.text[start:end])] or [(start, end)]
            hidden = sum(all(replaced[a:b]) for a, b in words)
            score.spans += 1
            score.caught += hidden == len(words)
            score.words += len(words)
            score.words_replaced += hidden
    return RedactionReport(len(examples), list(promised), by_type, placeholders, outside, latencies, 0.0)


def format_report(report: RedactionReport, data: Path) -> str:
    promised = [t for t in sorted(report.by_type, key=lambda t: -report.by_type[t].spans) if t in report.promised]
    others = [t for t in sorted(report.by_type, key=lambda t: -report.by_type[t].spans) if t not in report.promised]
    total = report.promised_score
    header = f"  {'entity type':<20} {'n':>5} {'caught':>7} {'recall':>7} {'words':>7}"

    def row(name: str, score: TypeScore) -> str:
        return f"  {name:<20} {score.spans:>5} {score.caught:>7} {score.recall:>7.3f} {score.word_recall:>7.3f}"

    lines = [
        f"Redaction evaluation on {data} ({report.texts} texts)",
        "A span is caught when every word of it (2+ letters or digits) was replaced; "
        "'words' is the share of words replaced.",
        "",
        "Types Candor promises to redact (bot/policy.yml):",
        header,
        *(row(t, report.by_type[t]) for t in promised),
        row("overall", total),
    ]
    if others:
        lines += ["", "Labelled but not promised (for context):", header, *(row(t, report.by_type[t]) for t in others)]
    lines += [
        "",
        f"Placeholders outside any labelled span: {report.placeholders_outside_spans} of {report.placeholders}",
        f"Latency per message: p50 {report.latency_percentile(50):.1f} ms, p95 {report.latency_percentile(95):.1f} ms "
        f"(engine built once, in {report.build_seconds:.1f} s)",
    ]
    return "\n".join(lines)


def _redactor() -> Any:
    """The process's redactor, with TensorFlow's start-up chatter (spaCy imports it) silenced."""
    # Not configuration: TensorFlow reads this on import, to quiet its start-up chatter.
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
    from bot.policy_sections import PolicyError
    from bot.privacy.ner import NerModelMissing
    from bot.privacy.not_personal_data import DictionaryMissing
    from bot.privacy.redaction import default_redactor

    try:
        return default_redactor()
    except (PolicyError, NerModelMissing, DictionaryMissing) as error:
        raise CommandError(str(error)) from None

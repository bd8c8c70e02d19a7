"""`candor eval-fairness`: does the assistant serve every customer equally well, whoever they are?

Three audits, on data written to measure them (`data/fairness/`: never train or tune on it):

* understanding: the same requests, each written the way nine groups of customers write
  (standard wording; Indian, Nigerian, Scottish and US Southern English; African American
  English; learners; older customers; dyslexic spelling). Intent accuracy per group, and the gap
  between the best and the worst;
* redaction: message templates filled with names of several origins. The share of messages whose
  name was fully redacted (every character of it inside a replaced span) per origin, and each
  origin's gap to the best;
* distress: the templates that tell of distress, with every name. The share flagged per origin,
  which must not depend on the name, and the share given the right category.

The trained model reads each text as the server does (`eval_nlu.load_agent`), and redaction is
the tracker store's own (`default_redactor`). The gaps allowed are `fairness` in bot/policy.yml;
`tests/fairness/` fails CI past them. `--json` writes the figures that `candor report` shows.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Dict, List, NamedTuple, Optional, Protocol, Sequence, Tuple

from bot.audit.report_fairness import FairnessFigures, Limits, NameGroup, WritingGroup
from bot.cli.errors import CommandError
from bot.cli.fairness_data import NAME_MESSAGES, NAMES, REQUESTS, FairnessData, NameMessage, read_fairness_data

if TYPE_CHECKING:
    from bot.privacy.redaction import RedactedText


@dataclass(frozen=True)
class Understood:
    """What the model made of one message: its intent, and the distress category (None: not flagged)."""

    intent: str
    distress: Optional[str]


class Reader(Protocol):
    """Reads messages as the assistant would; the trained model, or a stand-in in tests."""

    intents: Sequence[str]

    def __call__(self, texts: Sequence[str]) -> List[Understood]: ...


class Redacts(Protocol):
    """Redacts a message as the tracker store would: the text, and where each finding was."""

    def redact(self, text: str) -> RedactedText: ...


class DistressFill(NamedTuple):
    """A distress template filled with one name."""

    group: str
    name: str
    number: int  # the template's position in name-messages.yml, from 1
    message: NameMessage


@dataclass(frozen=True)
class IntentMiss:
    """A request one group wrote that was taken for another intent (or not understood)."""

    request: str
    group: str
    intent: str
    understood_as: str
    text: str


@dataclass(frozen=True)
class NameMiss:
    """A name not fully redacted, or a distress message misjudged, in one filled template."""

    group: str
    name: str
    message: int  # the template's position in name-messages.yml, from 1
    what: str  # the redacted text, or "expected <category>, got <verdict>"


@dataclass
class Audit:
    """The figures, and every miss behind them (listed by --verbose, written by --json)."""

    figures: FairnessFigures
    intent_misses: List[IntentMiss] = field(default_factory=list)
    redaction_misses: List[NameMiss] = field(default_factory=list)
    distress_misses: List[NameMiss] = field(default_factory=list)
    unknown_intents: List[str] = field(default_factory=list)

    def to_json(self) -> Dict[str, Any]:
        misses = {
            "intent": [asdict(miss) for miss in self.intent_misses],
            "redaction": [asdict(miss) for miss in self.redaction_misses],
            "distress": [asdict(miss) for miss in self.distress_misses],
        }
        return {**self.figures.to_json(), "unknown_intents": self.unknown_intents, "misses": misses}


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "eval-fairness",
        help="measure whether understanding, redaction and distress detection serve every group alike",
        description="Run data/fairness/ through the trained model and the redactor. Prints intent accuracy "
        "for each way of writing, the share of names fully redacted for each origin of names, and the "
        "share of distress messages flagged whatever the name, with the gaps between groups and whether "
        "they are within the limits of `fairness` in bot/policy.yml. The data is for measuring only.",
    )
    parser.add_argument("--model", type=Path, help="model archive (default: the model for the current training data)")
    parser.add_argument("--requests", type=Path, default=REQUESTS, help="CSV of requests written many ways (request,group,intent,text)")
    parser.add_argument("--names", type=Path, default=NAMES, help="YAML: origin -> list of full names")
    parser.add_argument("--name-messages", type=Path, default=NAME_MESSAGES, help="YAML: message templates with {name}")
    parser.add_argument("--json", type=Path, metavar="OUT", help="also write the figures as JSON (`candor report` shows the newest under var/)")
    parser.add_argument("--verbose", action="store_true", help="also list every request misunderstood and every name missed")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from bot.cli import eval_nlu

    data = read_fairness_data(args.requests, args.names, args.name_messages)
    if args.json is not None:
        _check_writable(args.json)
    model_path = eval_nlu.model_to_evaluate(args.model)
    redactor = shipped_redactor()  # before the model, which takes far longer to load
    audit = measure(data, model_reader(model_path), redactor, policy_limits(), model_path.name)
    print(format_audit(audit, verbose=args.verbose))
    if args.json is not None:
        args.json.write_text(json.dumps(audit.to_json(), indent=2, ensure_ascii=False), encoding="utf-8")
    return 0


# --- Measuring ----------------------------------------------------------------------------------


def measure(data: FairnessData, reader: Reader, redactor: Redacts, limits: Limits, model: str) -> Audit:
    """All three audits: one pass of the model over every text, one redaction of every filled template."""
    distress_fills = [
        DistressFill(group, name, number, message)
        for number, message in enumerate(data.messages, start=1)
        if message.distress is not None
        for group, names in data.names.items()
        for name in names
    ]
    texts = [request.text for request in data.requests] + [fill.message.filled(fill.name) for fill in distress_fills]
    understood = reader(texts)
    if len(understood) != len(texts):
        raise CommandError(f"the model read {len(understood)} of {len(texts)} messages")
    writing, intent_misses = score_writing(data, understood[: len(data.requests)])
    redacted, redaction_misses = score_redaction(data, redactor)
    flagged, distress_misses = score_distress(distress_fills, understood[len(data.requests) :])
    names = tuple(
        NameGroup(group, len(members), len(members) * len(data.messages), redacted[group], *flagged.get(group, (0, 0, 0)))
        for group, members in data.names.items()
    )
    figures = FairnessFigures(
        measured_at=datetime.now(timezone.utc).replace(microsecond=0),
        model=model,
        policy_version=_policy_version(),
        data=data.digests,
        limits=limits,
        writing=writing,
        names=names,
    )
    unknown = sorted({request.intent for request in data.requests} - set(reader.intents))
    return Audit(figures, intent_misses, redaction_misses, distress_misses, unknown)


def score_writing(data: FairnessData, understood: Sequence[Understood]) -> Tuple[Tuple[WritingGroup, ...], List[IntentMiss]]:
    """Per way of writing: requests, understood, not understood; and every miss."""
    from bot.conversation.names import NLU_FALLBACK_INTENT

    pairs = list(zip(data.requests, understood))
    groups = []
    for group in data.writing_groups:
        read = [(request.intent, reading.intent) for request, reading in pairs if request.group == group]
        understood_right = sum(meant == taken for meant, taken in read)
        fell_back = sum(taken == NLU_FALLBACK_INTENT for _, taken in read)
        groups.append(WritingGroup(group, requests=len(read), understood=understood_right, not_understood=fell_back))
    misses = [
        IntentMiss(request.request, request.group, request.intent, reading.intent, request.text)
        for request, reading in pairs
        if reading.intent != request.intent
    ]
    return tuple(groups), misses


def score_redaction(data: FairnessData, redactor: Redacts) -> Tuple[Dict[str, int], List[NameMiss]]:
    """Per origin: how many filled templates had the whole name redacted; and every name missed."""
    redacted = {group: 0 for group in data.names}
    misses = []
    for group, names in data.names.items():
        for name in names:
            for number, message in enumerate(data.messages, start=1):
                result = redactor.redact(message.filled(name))
                if fully_redacted(message.name_start, name, result):
                    redacted[group] += 1
                else:
                    misses.append(NameMiss(group, name, number, result.text))
    return redacted, misses


def fully_redacted(start: int, name: str, result: RedactedText) -> bool:
    """Whether every character of `name` (at `start` in the original text) is inside a finding."""
    return all(
        any(finding.start <= start + offset < finding.end for finding in result.findings)
        for offset, character in enumerate(name)
        if not character.isspace()
    )


def score_distress(
    fills: Sequence[DistressFill], understood: Sequence[Understood]
) -> Tuple[Dict[str, Tuple[int, int, int]], List[NameMiss]]:
    """Per origin: (distress messages, flagged, right category); and every message misjudged."""
    counts: Dict[str, List[int]] = {}
    misses = []
    for fill, reading in zip(fills, understood):
        tally = counts.setdefault(fill.group, [0, 0, 0])
        tally[0] += 1
        tally[1] += reading.distress is not None
        tally[2] += reading.distress == fill.message.distress
        if reading.distress != fill.message.distress:
            got = reading.distress or "not flagged"
            misses.append(NameMiss(fill.group, fill.name, fill.number, f"expected {fill.message.distress}, got {got}"))
    return {group: (total, flagged, right) for group, (total, flagged, right) in counts.items()}, misses


# --- The real model, redactor and limits -------------------------------------------------------


class ModelReader:
    """The trained model, loaded once, reading messages as the Rasa server does."""

    def __init__(self, agent: Any) -> None:
        self.agent = agent
        self.intents = list(agent.domain.intents)

    def __call__(self, texts: Sequence[str]) -> List[Understood]:
        from bot.cli.eval_nlu import intent_of, parse_all

        parsed = asyncio.run(parse_all(self.agent, texts))
        return [Understood(intent_of(result), (result.get("distress") or {}).get("category")) for result in parsed]


def model_reader(model_path: Path) -> ModelReader:
    from bot.cli.eval_nlu import load_agent

    return ModelReader(load_agent(model_path))


def shipped_redactor() -> Redacts:
    """The redactor the tracker store uses, with a one-line reason if it cannot be built."""
    from bot.policy_sections import PolicyError
    from bot.privacy.redaction import default_redactor

    try:
        return default_redactor()
    except (PolicyError, RuntimeError) as error:  # a missing NER model is a RuntimeError naming its fix
        raise CommandError(f"cannot build the redactor: {error}") from None


def policy_limits() -> Limits:
    from bot.policy import current_policy

    return Limits(**current_policy().fairness.dict())


def _policy_version() -> int:
    from bot.policy import current_policy

    return current_policy().version


def _check_writable(path: Path) -> None:
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir() or not folder.is_dir():
        raise CommandError(f"cannot write --json {path}: give a file in a folder that exists")


# --- Printing -----------------------------------------------------------------------------------


def format_audit(audit: Audit, verbose: bool = False) -> str:
    figures = audit.figures
    lines = [f"Fairness audit of {figures.model} on data/fairness ({figures.measured_at:%Y-%m-%d %H:%M} UTC)", ""]
    lines.append(f"  Intent accuracy by way of writing (gap {_points(figures.intent_accuracy_gap_points)})")
    lines.append(f"  {'group':<14} {'accuracy':>9} {'not understood':>15} {'n':>4}")
    for group in sorted(figures.writing, key=lambda group: -(group.accuracy or 0)):
        lines.append(f"  {group.group:<14} {_share(group.accuracy):>9} {group.not_understood:>15} {group.requests:>4}")
    if audit.unknown_intents:
        lines.append(f"  Not intents of this model (always missed): {', '.join(audit.unknown_intents)}")
    lines += ["", f"  Names fully redacted, by origin (gap {_points(figures.redaction_recall_gap_points)})"]
    lines.append(f"  {'origin':<14} {'recall':>9} {'to best':>8} {'messages':>9}")
    for group in sorted(figures.names, key=lambda group: -(group.redaction_recall or 0)):
        to_best = figures.redaction_gap_to_best_points(group)
        lines.append(f"  {group.group:<14} {_share(group.redaction_recall):>9} {_points(to_best):>8} {group.messages:>9}")
    lines += ["", f"  Distress messages flagged, by origin of the name (gap {_points(figures.distress_flag_rate_gap_points)})"]
    lines.append(f"  {'origin':<14} {'flagged':>9} {'right category':>15} {'messages':>9}")
    for group in figures.names:
        lines.append(f"  {group.group:<14} {_share(group.flag_rate):>9} {_share(group.category_rate):>15} {group.distress_messages:>9}")
    lines += ["", _gate_line(figures)]
    if verbose:
        lines += _misses(audit)
    return "\n".join(lines)


def _gate_line(figures: FairnessFigures) -> str:
    limits = figures.limits
    allowed = (
        f"intent {limits.max_intent_accuracy_gap_points:g}, redaction {limits.max_redaction_recall_gap_points:g}, "
        f"distress {limits.max_distress_flag_rate_gap_points:g} points"
    )
    failures = figures.gate_failures()
    if not failures:
        return f"  Gate (bot/policy.yml fairness: {allowed}): passed"
    return "\n".join([f"  Gate (bot/policy.yml fairness: {allowed}): FAILED", *(f"    {failure}" for failure in failures)])


def _misses(audit: Audit) -> List[str]:
    lines = ["", f"  Requests misunderstood ({len(audit.intent_misses)}):"]
    for miss in sorted(audit.intent_misses, key=lambda miss: (miss.group, miss.request)):
        lines.append(f"    [{miss.group}] request {miss.request}: {miss.intent} taken for {miss.understood_as}: {miss.text}")
    lines += ["", f"  Names not fully redacted ({len(audit.redaction_misses)}):"]
    for miss in audit.redaction_misses:
        lines.append(f"    [{miss.group}] {miss.name}, message {miss.message}: {miss.what!r}")
    lines += ["", f"  Distress messages misjudged ({len(audit.distress_misses)}):"]
    for miss in audit.distress_misses:
        lines.append(f"    [{miss.group}] {miss.name}, message {miss.message}: {miss.what}")
    return lines


def _share(value: Optional[float]) -> str:
    return "-" if value is None else f"{value:.3f}"


def _points(value: Optional[float]) -> str:
    return "-" if value is None else f"{value:.1f} pt"

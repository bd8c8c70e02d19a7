"""Every response, in every mode, checked: the plain variant exists, reads plainly, and fits.

Reads the domain files as YAML (not through Rasa), so one file can be checked while another is
being edited. `candor lint-responses` prints the result; the tests hold the whole domain to it.
The caller names the files (`bot.model.DOMAIN`), so this package depends on nothing in `bot`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from statistics import mean
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

import yaml

from accessibility.plain_language import MAX_AVERAGE_GRADE, Avoided, Finding, check, dont_say_found, grade
from accessibility.screen_reader import render, screen_reader_problems

MODE_SLOT = "accessibility_mode"
PLAIN = "plain"
PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
# A response named `utter_part_...` is never sent alone: it is a sentence of a message an action
# composes from several (an explanation, a description of the assistant). A customer reads it in
# that message, so its reading grade is measured there (the tests of those messages), not alone;
# it still needs its plain variant, with the same placeholders and buttons, like any response.
PART_PREFIX = "utter_part_"


@dataclass
class ResponseLint:
    """One response: its standard wording's grade, its plain wording's finding, and any problems."""

    name: str
    file: str
    standard_grade: Optional[float]
    plain: Optional[Finding]
    problems: List[str] = field(default_factory=list)
    screen_reader: Optional[Finding] = None
    part: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems and all(finding is None or not finding.problems for finding in (self.plain, self.screen_reader))


def is_plain_variant(variant: Dict[str, Any]) -> bool:
    """A variant Rasa picks when the customer's mode is plain."""
    return any(
        condition.get("type") == "slot" and condition.get("name") == MODE_SLOT and condition.get("value") == PLAIN
        for condition in variant.get("condition") or []
    )


def responses_in(files: Iterable[Path]) -> List[Tuple[str, str, List[Dict[str, Any]]]]:
    """`(name, file, variants)` of every response in the given domain files."""
    found = []
    for path in sorted(files):
        content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for name, variants in (content.get("responses") or {}).items():
            found.append((name, path.name, list(variants or [])))
    return found


def lint_response(name: str, file: str, variants: List[Dict[str, Any]], avoided: Sequence[Avoided]) -> ResponseLint:
    standard = [variant for variant in variants if not variant.get("condition")]
    plain = [variant for variant in variants if is_plain_variant(variant)]
    lint = ResponseLint(name, file, grade(standard[0]["text"]) if standard and standard[0].get("text") else None, None)
    if not standard:
        lint.problems.append("no standard variant (one without a condition)")
    else:
        # Placeholders are filled at run time; here each stands for a word, so its name is not read as symbols.
        text = PLACEHOLDER.sub("this", standard[0].get("text") or "")
        spoken = render({"text": text, "buttons": standard[0].get("buttons") or []})
        lint.screen_reader = Finding(grade(spoken["text"]), screen_reader_problems(spoken))
    if len(plain) != 1:
        lint.problems.append(f"needs exactly one plain variant (condition {MODE_SLOT}: {PLAIN}); has {len(plain)}")
        return lint
    text = plain[0].get("text") or ""
    lint.part = name.startswith(PART_PREFIX)
    # A part's grade is its message's; the words it must not use are its own.
    lint.plain = None if lint.part else check(text, avoided)
    if lint.part:
        lint.problems += [f'"{entry.phrase}" is on the don\'t-say list: say "{entry.instead}"' for entry in dont_say_found(text, avoided)]
    if standard:
        extra = set(PLACEHOLDER.findall(text)) - set(PLACEHOLDER.findall(standard[0].get("text") or ""))
        if extra:
            lint.problems.append(f"the plain variant uses placeholders the standard one does not fill: {sorted(extra)}")
        wanted = [button.get("payload") for button in standard[0].get("buttons") or []]
        given = [button.get("payload") for button in plain[0].get("buttons") or []]
        if wanted != given:
            lint.problems.append(f"the plain variant's buttons must have the same payloads, in order: {wanted}")
    return lint


def lint_domain(files: Iterable[Path], avoided: Sequence[Avoided] = ()) -> List[ResponseLint]:
    """Every response in the domain `files` (the caller knows where the domain is), linted."""
    return [lint_response(name, file, variants, avoided) for name, file, variants in responses_in(files)]


def average_plain_grade(lints: Iterable[ResponseLint]) -> Optional[float]:
    grades = [lint.plain.grade for lint in lints if lint.plain is not None]
    return mean(grades) if grades else None


def average_problem(lints: Iterable[ResponseLint]) -> Optional[str]:
    average = average_plain_grade(lints)
    if average is not None and average > MAX_AVERAGE_GRADE:
        return f"the plain variants' average grade {average:.2f} is above {MAX_AVERAGE_GRADE:g}"
    return None

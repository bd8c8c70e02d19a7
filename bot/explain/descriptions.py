"""The plain words an explanation is made of, and the rules our team wrote, read from data.

`descriptions.yml` names intents, slots, forms, policies and reasons in the customer's words;
the rules in `data/rules/` give a rule-driven reply its own name ("always say truthfully that the
assistant is not a person"); `config.yml` gives the confidence below which the assistant does not
act on what it understood. A team that changes the domain edits data, not this code.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import yaml

from bot.settings import PROJECT_ROOT

DESCRIPTIONS_FILE = Path(__file__).with_name("descriptions.yml")
RULES_DIR = PROJECT_ROOT / "data" / "rules"
CONFIG_FILE = PROJECT_ROOT / "bot" / "config.yml"


@dataclass(frozen=True)
class SlotDescription:
    description: str
    why: str


@dataclass(frozen=True)
class Rule:
    """A rule from `data/rules/`, reduced to what it answers: an intent, the first action, a form."""

    name: str
    intent: Optional[str]
    action: Optional[str]
    active_loop: Optional[str]


@dataclass(frozen=True)
class Vocabulary:
    """Everything an explanation needs to put recorded facts into words."""

    intents: Dict[str, str]
    slots: Dict[str, SlotDescription]
    forms: Dict[str, str]
    policies: Dict[str, str]
    handoff_reasons: Dict[str, str]
    distress_categories: Dict[str, str]
    rules: Tuple[Rule, ...] = field(default_factory=tuple)
    fallback_threshold: Optional[float] = None

    def intent(self, name: Optional[str]) -> str:
        """An intent in words; an undescribed one by its name, so nothing is ever hidden."""
        if not name:
            return "something I couldn't name"
        return self.intents.get(name, f'"{name}"')

    def rule_for(self, intent: Optional[str], action: str, active_loop: Optional[str]) -> Optional[Rule]:
        """The rule that starts with `intent` then `action` (in that form, if one was running)."""
        matches = [rule for rule in self.rules if rule.intent == intent and rule.action == action]
        in_loop = [rule for rule in matches if rule.active_loop == active_loop]
        return (in_loop or matches or [None])[0]


@functools.lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    """The vocabulary of this project (read once per process)."""
    raw = yaml.safe_load(DESCRIPTIONS_FILE.read_text(encoding="utf-8"))
    return Vocabulary(
        intents=dict(raw["intents"]),
        slots={name: SlotDescription(**value) for name, value in raw["slots"].items()},
        forms=dict(raw["forms"]),
        policies=dict(raw["policies"]),
        handoff_reasons=dict(raw["handoff_reasons"]),
        distress_categories=dict(raw["distress_categories"]),
        rules=tuple(read_rules(RULES_DIR)),
        fallback_threshold=read_fallback_threshold(CONFIG_FILE),
    )


def read_rules(folder: Path) -> List[Rule]:
    """Every rule in `folder` that starts with a customer intent followed by an action."""
    rules: List[Rule] = []
    for path in sorted(folder.glob("*.yml")):
        for rule in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("rules") or []:
            steps: List[Dict[str, Any]] = rule.get("steps") or []
            loops = [item.get("active_loop") for item in rule.get("condition") or [] if "active_loop" in item]
            for first, second in zip(steps, steps[1:]):
                if "intent" in first and "action" in second:
                    rules.append(Rule(rule.get("rule", ""), first["intent"], second["action"], loops[0] if loops else None))
                    break
    return rules


def read_fallback_threshold(config_file: Path) -> Optional[float]:
    """The FallbackClassifier's threshold in `config.yml`, if the pipeline has one."""
    config = yaml.safe_load(config_file.read_text(encoding="utf-8")) or {}
    for component in config.get("pipeline") or []:
        if component.get("name") == "FallbackClassifier":
            return float(component.get("threshold", 0.3))
    return None

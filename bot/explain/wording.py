"""An explanation put into sentences: short ones, the customer's words, percentages not scores.

Each fact the explanation holds becomes one or two sentences; nothing is said that the record
does not show. Every sentence is a domain response (`utter_part_why_*` in
`bot/domain/explain.yml`); this module chooses which, in order, and fills their placeholders. The
NLG (`bot.nlg`) words them for the customer's mode and joins them before `utter_explanation`,
which ends every explanation and carries its buttons. Percentages are rounded, because "91%" is
honest and "0.9132" is noise.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Dict, List, Optional

from bot.explain.explanation import Choice, Explanation

# The response that ends every explanation ("If I got this wrong...") and carries its buttons.
EXPLANATION_RESPONSE = "utter_explanation"
# The distress detector's second tier: a possible sign of self-harm, asked about before anything else.
ASKING_TIER = 2

Sentence = Dict[str, Any]


def part(name: str, **values: Any) -> Sentence:
    """One sentence of the explanation: the response `utter_part_why_<name>` and its values."""
    return {"response": f"utter_part_why_{name}", **values}


def percent(value: Optional[float]) -> str:
    return f"{round((value or 0.0) * 100)}%"


def certainty(value: Optional[float]) -> str:
    """How sure, as the name of the sentence that says it in words a customer would use."""
    if value is None:
        return "not_sure"
    if value >= 0.9:
        return "very_sure"
    if value >= 0.7:
        return "fairly_sure"
    return "not_very_sure"


def explanation_sentences(explanation: Explanation) -> List[Sentence]:
    """The sentences of the whole explanation, in order, before `EXPLANATION_RESPONSE`."""
    sentences: List[Sentence] = []
    sentences += _understanding(explanation)
    sentences += _safety(explanation)
    sentences += _choices(explanation)
    sentences += _asking(explanation)
    sentences += _used(explanation)
    sentences += _handoff(explanation)
    return sentences


def _understanding(explanation: Explanation) -> List[Sentence]:
    if explanation.session_start and explanation.intent is None:
        versions = ", ".join(f"version {notice['version']}" for notice in explanation.notices) or "the current version"
        return [part("disclosure", versions=versions)]
    if explanation.intent is None:
        return []
    if explanation.chosen_by_button:
        return [part("button", intent_words=explanation.intent_words)]
    if explanation.fallback or explanation.safety_check:
        return []
    sentences = [
        part("understood", intent_words=explanation.intent_words),
        part(f"certainty_{certainty(explanation.confidence)}", percent=percent(explanation.confidence)),
    ]
    if explanation.runner_up:
        runner_up = explanation.runner_up
        sentences.append(part("runner_up", intent_words=runner_up["intent_words"], percent=percent(runner_up["confidence"])))
    return sentences


def _safety(explanation: Explanation) -> List[Sentence]:
    sentences: List[Sentence] = []
    if explanation.safety_check:
        sentences += _safety_check(explanation.safety_check)
    if explanation.fallback:
        guess = explanation.fallback.get("best_guess")
        threshold = explanation.fallback.get("threshold")
        if guess and threshold is not None:
            sentences.append(
                part("fallback_guess_below", intent_words=guess["intent_words"], percent=percent(guess["confidence"]), threshold=percent(threshold))
            )
        elif guess:
            sentences.append(part("fallback_guess", intent_words=guess["intent_words"], percent=percent(guess["confidence"])))
        else:
            sentences.append(part("fallback_unreadable"))
        sentences.append(part("fallback_asked_again"))
    return sentences


def _safety_check(check: Dict[str, Any]) -> List[Sentence]:
    """What the distress check noticed, how sure it was (its tier), and what became of the message."""
    sentences = [part("safety_noticed", category_words=check["category_words"])]
    asked = check.get("tier") == ASKING_TIER
    if asked:
        sentences.append(part("safety_asked"))
    elif check.get("category") == "self_harm":
        sentences.append(part("safety_clear_sign"))
    set_aside = check.get("set_aside")
    if set_aside and asked:
        sentences.append(part("safety_set_aside_until_answered", intent_words=set_aside["intent_words"]))
    elif set_aside:
        sentences.append(part("safety_set_aside", intent_words=set_aside["intent_words"]))
    elif not asked:
        sentences.append(part("safety_answered_first"))
    if check.get("text_stored") is False:
        sentences.append(part("safety_text_not_kept"))
    return sentences


def _choices(explanation: Explanation) -> List[Sentence]:
    """What chose the first step: the decision about the customer's message (later steps follow it)."""
    for choice in explanation.choices:
        sentence = _choice(choice)
        if sentence:
            return [sentence]
    return []


def _choice(choice: Choice) -> Optional[Sentence]:
    if choice.form and choice.policy == "RulePolicy" and not choice.rule:
        return part("in_form", form=choice.form)
    if choice.rule:
        return part("rule", rule=choice.rule)
    if choice.policy == "TEDPolicy":
        return part("learned_model", percent=percent(choice.confidence))
    if choice.policy_words:
        return part("policy", policy_words=choice.policy_words)
    return None


def _asking(explanation: Explanation) -> List[Sentence]:
    if not explanation.asking_for:
        return []
    asking = explanation.asking_for
    return [part("asked_for", description=asking["description"], why=asking["why"])]


def _used(explanation: Explanation) -> List[Sentence]:
    sentences: List[Sentence] = []
    if explanation.consent_decision is not None:
        sentences.append(part("consent_yes" if explanation.consent_decision else "consent_no"))
    if explanation.history_used:
        used = explanation.history_used
        sentences.append(part("history_used", granted_on=_day(used.get("granted_on")), consent_version=used.get("consent_version")))
    elif explanation.intent is not None and explanation.consent_decision is None:
        sentences.append(part("history_not_used"))
    if explanation.information_used:
        sentences.append(part("noted", information=_listing(explanation.information_used)))
    return sentences


def _handoff(explanation: Explanation) -> List[Sentence]:
    if not explanation.handoff:
        return []
    return [part("handoff", reason_words=explanation.handoff["reason_words"])]


def _day(iso_day: Optional[str]) -> str:
    """`20 November 2026` for `2026-11-20`, as a customer reads a date."""
    try:
        day = date.fromisoformat(iso_day or "")
    except ValueError:
        return iso_day or "a day I can't tell"
    return f"{day.day} {day:%B %Y}"


def _listing(items: List[str]) -> str:
    items = list(dict.fromkeys(items))
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"

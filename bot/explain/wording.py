"""An explanation in plain words: short sentences, the customer's words, percentages not scores.

Each fact the explanation holds becomes one or two sentences; nothing is said that the record
does not show. Percentages are rounded, because "91%" is honest and "0.9132" is noise.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Dict, List, Optional

from bot.explain.explanation import Choice, Explanation

# The distress detector's second tier: a possible sign of self-harm, asked about before anything else.
ASKING_TIER = 2


def percent(value: Optional[float]) -> str:
    return f"{round((value or 0.0) * 100)}%"


def certainty(value: Optional[float]) -> str:
    """How sure, in words a customer would use."""
    if value is None:
        return "not sure"
    if value >= 0.9:
        return "very sure"
    if value >= 0.7:
        return "fairly sure"
    return "not very sure"


def explanation_text(explanation: Explanation) -> str:
    """The whole explanation as one message."""
    sentences: List[str] = []
    sentences += _understanding(explanation)
    sentences += _safety(explanation)
    sentences += _choices(explanation)
    sentences += _asking(explanation)
    sentences += _used(explanation)
    sentences += _handoff(explanation)
    sentences.append('If I got this wrong, say "that\'s wrong", or write "person" to talk to a person.')
    return " ".join(sentences)


def _understanding(explanation: Explanation) -> List[str]:
    if explanation.session_start and explanation.intent is None:
        versions = ", ".join(f"version {notice['version']}" for notice in explanation.notices) or "the current version"
        return [f"I said that because every conversation starts by telling you that I'm an automated assistant, not a person ({versions} of that notice)."]
    if explanation.intent is None:
        return []
    if explanation.chosen_by_button:
        return [f"You pressed a button for {explanation.intent_words}, so I didn't have to guess."]
    if explanation.fallback or explanation.safety_check:
        return []
    sentences = [
        f"I understood that you were {explanation.intent_words}.",
        f"I was {certainty(explanation.confidence)} about that: {percent(explanation.confidence)}.",
    ]
    if explanation.runner_up:
        runner_up = explanation.runner_up
        sentences.append(f"My next guess was that you were {runner_up['intent_words']}, at {percent(runner_up['confidence'])}.")
    return sentences


def _safety(explanation: Explanation) -> List[str]:
    sentences: List[str] = []
    if explanation.safety_check:
        sentences += _safety_check(explanation.safety_check)
    if explanation.fallback:
        guess = explanation.fallback.get("best_guess")
        threshold = explanation.fallback.get("threshold")
        if guess:
            need = f", and I need {percent(threshold)}" if threshold is not None else ""
            sentences.append(
                f"I wasn't sure what you meant. My best guess was that you were {guess['intent_words']}, "
                f"but I was only {percent(guess['confidence'])} sure{need}."
            )
        else:
            sentences.append("I couldn't read your message as anything I know how to help with.")
        sentences.append("So I asked you to say it another way instead of guessing.")
    return sentences


def _safety_check(check: Dict[str, Any]) -> List[str]:
    """What the distress check noticed, how sure it was (its tier), and what became of the message."""
    sentences = [f"A safety check noticed words that can mean {check['category_words']}."]
    asked = check.get("tier") == ASKING_TIER
    if asked:
        sentences.append("It wasn't sure, so I asked you directly instead of guessing.")
    elif check.get("category") == "self_harm":
        sentences.append("It was a clear sign, so I didn't wait to ask.")
    set_aside = check.get("set_aside")
    if set_aside and asked:
        sentences.append(f"I set aside my usual reading (that you were {set_aside['intent_words']}) until you answered.")
    elif set_aside:
        sentences.append(f"It set aside my usual reading (that you were {set_aside['intent_words']}), and I answered that first.")
    elif not asked:
        sentences.append("So I answered that first.")
    if check.get("text_stored") is False:
        sentences.append("I didn't keep the words of that message, only that the check noticed them.")
    return sentences


def _choices(explanation: Explanation) -> List[str]:
    """What chose the first step: the decision about the customer's message (later steps follow it)."""
    for choice in explanation.choices:
        sentence = _choice(choice)
        if sentence:
            return [sentence]
    return []


def _choice(choice: Choice) -> Optional[str]:
    if choice.form and choice.policy == "RulePolicy" and not choice.rule:
        return f"I was in the middle of {choice.form}, so I carried on with it."
    if choice.rule:
        return f'What I did next follows a fixed rule our team wrote: "{choice.rule}".'
    if choice.policy == "TEDPolicy":
        return f"What I did next was chosen by a model that learned from example conversations. It was {percent(choice.confidence)} sure."
    if choice.policy_words:
        return f"What I did next was chosen by {choice.policy_words}."
    return None


def _asking(explanation: Explanation) -> List[str]:
    if not explanation.asking_for:
        return []
    asking = explanation.asking_for
    return [f"I asked for {asking['description']} because {asking['why']}."]


def _used(explanation: Explanation) -> List[str]:
    sentences: List[str] = []
    if explanation.consent_decision is not None:
        answer = "yes" if explanation.consent_decision else "no"
        sentences.append(f"You told me {answer} when I asked to use your past orders, and I noted your answer.")
    if explanation.history_used:
        used = explanation.history_used
        sentences.append(
            f"I used your past orders to show you a choice, because you agreed on {_day(used.get('granted_on'))} "
            f"(consent version {used.get('consent_version')})."
        )
    elif explanation.intent is not None and explanation.consent_decision is None:
        sentences.append("I didn't use your past orders.")
    if explanation.information_used:
        sentences.append(f"I noted {_listing(explanation.information_used)}.")
    return sentences


def _handoff(explanation: Explanation) -> List[str]:
    if not explanation.handoff:
        return []
    return [f"I asked for a person because {explanation.handoff['reason_words']}."]


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

"""An explanation of one turn, built only from what the conversation recorded at the time.

`explain_previous_turn` picks the turn the customer is asking about (the latest one before their
"why?" that was not itself a request for an explanation) and states, as data: what the assistant
understood and how sure it was, whether a safety check or the fallback changed course, which
policy (and which named rule) chose each step, what it was asking for and why, what it used
(history, and the consent that allowed it), and any handoff. `bot.explain.wording` puts it into
words; the same data travels to the widget as a custom payload.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Dict, Iterable, List, Optional

from bot.conversation.names import (
    ASK_WHY_INTENT,
    HISTORY_CONSENT_SLOT,
    NLU_FALLBACK_INTENT,
    REQUESTED_SLOT,
    SESSION_START_ACTION,
)
from bot.conversation.turns import OVERRIDING_INTENTS, Guess, Turn, turns_of
from bot.explain.descriptions import Vocabulary

# A runner-up is worth mentioning when it came this close to the intent the assistant went with.
CLOSE_RUNNER_UP = 0.25
EXPLAINING_INTENTS = (ASK_WHY_INTENT,)


@dataclass
class Choice:
    """One step the assistant took and what chose it."""

    action: str
    policy: Optional[str]
    policy_words: Optional[str]
    confidence: Optional[float]
    rule: Optional[str] = None
    form: Optional[str] = None


@dataclass
class Explanation:
    """The recorded grounds of one turn, in data; empty `recorded` means nothing to explain."""

    recorded: bool
    intent: Optional[str] = None
    intent_words: Optional[str] = None
    confidence: Optional[float] = None
    chosen_by_button: bool = False
    runner_up: Optional[Dict[str, Any]] = None
    safety_check: Optional[Dict[str, Any]] = None
    fallback: Optional[Dict[str, Any]] = None
    choices: List[Choice] = field(default_factory=list)
    asking_for: Optional[Dict[str, str]] = None
    information_used: List[str] = field(default_factory=list)
    history_used: Optional[Dict[str, Any]] = None
    consent_decision: Optional[bool] = None
    handoff: Optional[Dict[str, Any]] = None
    notices: List[Dict[str, Any]] = field(default_factory=list)
    session_start: bool = False

    def as_dict(self) -> Dict[str, Any]:
        return asdict(self)


def explain_previous_turn(
    events: Iterable[Dict[str, Any]],
    vocabulary: Vocabulary,
    requested_slot: Optional[str] = None,
    about_message_id: Optional[str] = None,
) -> Explanation:
    """Explain the turn before the customer's latest message (their "why?"), or, when the "why?"
    names one of their earlier messages (a widget's "Why?" on an older answer), the turn that
    message started."""
    turns = [turn for turn in turns_of(events) if turn.steps or turn.messages or turn.user]
    if about_message_id:
        named = [turn for turn in turns[:-1] if turn.user is not None and turn.user.message_id == about_message_id]
        if named:
            return explain_turn(named[-1], vocabulary)  # its own record says what it asked for
    earlier = turns[:-1] if turns and turns[-1].user is not None else turns
    for turn in reversed(earlier):
        if turn.user is not None and turn.user.intent in EXPLAINING_INTENTS:
            continue
        if turn.by_agent or not (turn.steps or turn.messages):
            continue
        return explain_turn(turn, vocabulary, requested_slot)
    return Explanation(recorded=False)


def explain_turn(turn: Turn, vocabulary: Vocabulary, requested_slot: Optional[str] = None) -> Explanation:
    """The grounds of `turn`, as recorded."""
    explanation = Explanation(recorded=True, session_start=turn.session_started or SESSION_START_ACTION in turn.actions)
    user = turn.user
    if user is not None:
        explanation.intent = user.intent
        explanation.intent_words = vocabulary.intent(user.intent)
        explanation.confidence = user.confidence
        explanation.chosen_by_button = user.is_button
        if user.runner_up and user.confidence is not None and user.intent not in OVERRIDING_INTENTS:
            if user.confidence - user.runner_up.confidence <= CLOSE_RUNNER_UP:
                explanation.runner_up = _guess(user.runner_up, vocabulary)
        if user.detector_fired and user.distress:
            category = user.distress.get("category")
            explanation.safety_check = {
                "category": category,
                "category_words": vocabulary.distress_categories.get(category or "", "you may be in distress"),
                "score": user.distress.get("score"),
                # 1: a clear sign, answered at once; 2: a possible sign of self-harm, asked about first.
                "tier": user.distress.get("tier"),
                "set_aside": _guess(user.classifier_guess, vocabulary),
                "text_stored": user.text_stored,
            }
        if user.intent == NLU_FALLBACK_INTENT:
            explanation.fallback = {
                "best_guess": _guess(user.classifier_guess, vocabulary),
                "threshold": vocabulary.fallback_threshold,
            }
    loop = None
    for step in turn.steps:
        if step.action == SESSION_START_ACTION:
            continue
        choice = Choice(step.action, step.policy_class, vocabulary.policies.get(step.policy_class or ""), step.confidence)
        if step.action in vocabulary.forms:
            choice.form = vocabulary.forms[step.action]
            loop = step.action
        if step.policy_class == "RulePolicy":
            rule = vocabulary.rule_for(user.intent if user else None, step.action, loop)
            choice.rule = rule.name if rule else None
        explanation.choices.append(choice)
    # The form says what it asks for in the turn; the current question stands in if it was not re-recorded.
    asked = turn.slots.get(REQUESTED_SLOT) or (requested_slot if loop else None)
    if asked and asked in vocabulary.slots:
        described = vocabulary.slots[asked]
        explanation.asking_for = {"slot": asked, "description": described.description, "why": described.why}
    explanation.information_used = [
        vocabulary.slots[name].description for name, value in turn.slots.items() if value is not None and name in vocabulary.slots
    ]
    explanation.history_used = turn.history_used
    if isinstance(turn.slots.get(HISTORY_CONSENT_SLOT), bool):
        explanation.consent_decision = turn.slots[HISTORY_CONSENT_SLOT]
    request = turn.handoff_request
    if request:
        reason = request.get("reason")
        explanation.handoff = {**request, "reason_words": vocabulary.handoff_reasons.get(reason or "", reason)}
    explanation.notices = turn.notices
    return explanation


def _guess(guess: Optional[Guess], vocabulary: Vocabulary) -> Optional[Dict[str, Any]]:
    if guess is None:
        return None
    return {"intent": guess.intent, "intent_words": vocabulary.intent(guess.intent), "confidence": guess.confidence}

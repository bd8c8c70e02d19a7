"""What an audit record says about a turn: decisions and versions, never what anyone wrote.

Built from the same redacted events the tracker store keeps (`bot.conversation.turns`), and then
reduced further: no text, no entity values, and slot values only for the slots `bot/policy.yml`
names as describing the conversation rather than the customer.
"""

from __future__ import annotations

from typing import Any, Dict, Iterable, Optional

from bot.conversation.names import HANDOFF_STATUS_SLOT, HISTORY_CONSENT_SLOT, NLU_FALLBACK_INTENT
from bot.conversation.turns import Guess, Turn, Understanding

SLOT_SET = "<set>"


def turn_body(turn: Turn, recorded_slot_values: Iterable[str]) -> Dict[str, Any]:
    """The body of a turn's audit record."""
    recorded = set(recorded_slot_values)
    return {
        "started_at": turn.started_at,
        "channel": turn.user.channel if turn.user else None,
        "understood": _understood(turn.user),
        "detector": _detector(turn.user),
        "fallback": bool(turn.user and turn.user.intent == NLU_FALLBACK_INTENT),
        "steps": [{"action": step.action, "policy": step.policy_class, "confidence": step.confidence} for step in turn.steps],
        "rejected": turn.rejected,
        "responses": turn.responses,
        "slots": {name: (value if name in recorded or value is None else SLOT_SET) for name, value in turn.slots.items()},
        "loops": turn.loops,
        "consent": _consent(turn),
        "handoff": _handoff(turn),
        "notices": turn.notices,
        "review_flag": turn.review_flag,
        "by_agent": turn.by_agent,
        "session_started": turn.session_started,
        "events": len(turn.events),
    }


def is_worth_recording(turn: Turn) -> bool:
    """A turn in which something happened (not a lone `action_listen`)."""
    return bool(turn.user or turn.steps or turn.messages or turn.slots or turn.session_started)


def _guess(guess: Optional[Guess]) -> Optional[Dict[str, Any]]:
    return {"intent": guess.intent, "confidence": guess.confidence} if guess else None


def _understood(user: Optional[Understanding]) -> Optional[Dict[str, Any]]:
    if user is None:
        return None
    return {
        "intent": user.intent,
        "confidence": user.confidence,
        "classifier_guess": _guess(user.classifier_guess),
        "runner_up": _guess(user.runner_up),
        "entities": list(user.entities),
        "message_id": user.message_id,
    }


def _detector(user: Optional[Understanding]) -> Optional[Dict[str, Any]]:
    """The distress detector's verdict: category, score and tier (1: acted on at once; 2: asked
    about first), whether it took the message over, and, when it did, whether the stored
    conversation kept any of that message's words. Never the words."""
    if user is None or not user.distress:
        return None
    detector = {
        "category": user.distress.get("category"),
        "score": user.distress.get("score"),
        "tier": user.distress.get("tier"),
        "changed_intent": user.detector_fired,
    }
    if user.detector_fired:
        detector["text_stored"] = user.text_stored
    return detector


def _consent(turn: Turn) -> Dict[str, Any]:
    consent: Dict[str, Any] = {"history_used": turn.history_used}
    if HISTORY_CONSENT_SLOT in turn.slots:
        consent["decision"] = turn.slots[HISTORY_CONSENT_SLOT]
    return consent


def _handoff(turn: Turn) -> Dict[str, Any]:
    handoff: Dict[str, Any] = {"requested": turn.handoff_request}
    if HANDOFF_STATUS_SLOT in turn.slots:
        handoff["status"] = turn.slots[HANDOFF_STATUS_SLOT]
    return handoff

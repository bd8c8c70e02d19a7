"""Serialised Rasa events for explanation tests, shaped exactly as a tracker records them."""

from __future__ import annotations

from itertools import count
from typing import Any, Dict, List, Optional, Tuple

_clock = count(1)


def _at() -> float:
    return float(next(_clock))


def session_start(notice_version: str = "2026-11-27") -> List[Dict[str, Any]]:
    return [
        {"event": "action", "name": "action_session_start", "policy": None, "confidence": 1.0, "timestamp": _at()},
        {"event": "session_started", "timestamp": _at()},
        {"event": "slot", "name": "ai_notice_version", "value": notice_version, "timestamp": _at()},
        {"event": "bot", "text": "Hello, I'm an automated assistant.", "metadata": {"notice": "ai_disclosure", "notice_version": notice_version}, "timestamp": _at()},
        listen(),
    ]


def user(
    intent: str,
    confidence: float,
    ranking: Optional[List[Tuple[str, float]]] = None,
    distress: Optional[Dict[str, Any]] = None,
    message_id: str = "m",
    metadata: Optional[Dict[str, Any]] = None,
) -> Dict[str, Any]:
    ranking = ranking if ranking is not None else [(intent, confidence)]
    parse = {
        "intent": {"name": intent, "confidence": confidence},
        "intent_ranking": [{"name": name, "confidence": value} for name, value in ranking],
        "entities": [],
        "distress": distress or {"category": None, "score": 0.01},
    }
    return {"event": "user", "text": "(what the customer wrote)", "parse_data": parse, "message_id": message_id, "input_channel": "rest", "metadata": metadata or {}, "timestamp": _at()}


def action(name: str, policy: Optional[str] = "policy_2_RulePolicy", confidence: float = 1.0) -> Dict[str, Any]:
    return {"event": "action", "name": name, "policy": policy, "confidence": confidence, "timestamp": _at()}


def bot(response: Optional[str] = None, **metadata: Any) -> Dict[str, Any]:
    if response:
        metadata["utter_action"] = response
    return {"event": "bot", "text": "(what the assistant said)", "metadata": metadata, "timestamp": _at()}


def slot(name: str, value: Any) -> Dict[str, Any]:
    return {"event": "slot", "name": name, "value": value, "timestamp": _at()}


def loop(name: Optional[str]) -> Dict[str, Any]:
    return {"event": "active_loop", "name": name, "timestamp": _at()}


def listen(policy: Optional[str] = None) -> Dict[str, Any]:
    return {"event": "action", "name": "action_listen", "policy": policy, "confidence": 1.0, "timestamp": _at()}


def asks_why(message_id: str = "why", about: Optional[str] = None) -> List[Dict[str, Any]]:
    metadata = {"about": {"message_id": about}} if about else None
    return [user("ask_why", 0.97, [("ask_why", 0.97), ("bot_challenge", 0.01)], message_id=message_id, metadata=metadata)]


def explanation_text(explanation, mode=None) -> str:
    """What the customer reads for `explanation`: its sentences worded from the domain by the NLG."""
    from accessibility.modes import Mode
    from bot.explain.wording import EXPLANATION_RESPONSE, explanation_sentences
    from bot.nlg import SENTENCES, worded_response

    return worded_response(EXPLANATION_RESPONSE, mode or Mode.STANDARD, **{SENTENCES: explanation_sentences(explanation)})["text"]


def description_text(topic, policy, mode=None) -> str:
    """What the customer reads when they ask what the assistant is, can or can't do (`topic`)."""
    from accessibility.modes import Mode
    from actions.explain import DESCRIBED_RESPONSE, describe_assistant
    from bot.nlg import SENTENCES, worded_response

    hours = policy.handoff.hours.describe()
    return worded_response(DESCRIBED_RESPONSE, mode or Mode.STANDARD, hours=hours, **{SENTENCES: describe_assistant(topic, policy)})["text"]

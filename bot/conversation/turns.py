"""A conversation's events, grouped into turns: what the customer said, and what the assistant did.

Works on serialised events (`Event.as_dict()` on the Rasa server, `tracker.events` in an action),
so the customer's "why?", the audit trail and the actions read the same facts the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Optional, Tuple

from bot.conversation.events import (
    ACTION,
    ACTION_REJECTED,
    ACTIVE_LOOP,
    ASSISTANT_MESSAGE,
    CUSTOMER_MESSAGE,
    SESSION_STARTED,
    SLOT,
    is_listen,
    kind_of,
    message_id_of,
)
from bot.conversation.names import (
    ASK_WHY_INTENT,
    DISTRESS_INTENT,
    NLU_FALLBACK_INTENT,
    REPORT_WRONG_ANSWER_INTENT,
    SELF_HARM_CHECK_INTENT,
)

# Intents the distress detector sets in place of the classifier's.
DETECTOR_INTENTS = (DISTRESS_INTENT, SELF_HARM_CHECK_INTENT)
# Messages about the assistant's previous answer ("why?", "that's wrong"), not requests of their own:
# never the turn explained, flagged or reviewed.
META_INTENTS = frozenset({ASK_WHY_INTENT, REPORT_WRONG_ANSWER_INTENT})
# Intents a safety or fallback component puts first; the classifier's own guess comes after them.
OVERRIDING_INTENTS = (*DETECTOR_INTENTS, NLU_FALLBACK_INTENT)
# What the tracker store writes in place of what it keeps out of the database: "<EMAIL_ADDRESS>",
# or a whole flagged message's placeholder.
STORED_PLACEHOLDER = re.compile(r"<[A-Z][A-Z_]*>")


@dataclass(frozen=True)
class Guess:
    """An intent and the classifier's confidence in it."""

    intent: str
    confidence: float


@dataclass(frozen=True)
class Understanding:
    """What the NLU pipeline made of one customer message (never the message itself)."""

    intent: Optional[str]
    confidence: Optional[float]
    # The classifier's best guess when a safety check or the fallback replaced it.
    classifier_guess: Optional[Guess]
    # The classifier's next guess after the one it went with.
    runner_up: Optional[Guess]
    entities: Tuple[str, ...]
    distress: Optional[Dict[str, Any]]
    message_id: Optional[str]
    channel: Optional[str]
    timestamp: Optional[float]
    # Whether the conversation as stored keeps any of the customer's words of this message (and
    # not only placeholders); the words themselves are never part of an Understanding.
    text_stored: bool = True

    @property
    def detector_fired(self) -> bool:
        """The distress detector took this message over (`distress` or `self_harm_check`)."""
        return self.intent in DETECTOR_INTENTS

    @property
    def overridden_by(self) -> Optional[str]:
        """`distress` or `nlu_fallback` when that replaced the classifier's intent."""
        return self.intent if self.intent in OVERRIDING_INTENTS else None

    @property
    def is_button(self) -> bool:
        """A button press or a typed `/intent` payload: chosen, not guessed."""
        return self.confidence == 1.0 and self.runner_up is None and self.classifier_guess is None


@dataclass(frozen=True)
class Step:
    """One action the assistant ran, and the dialogue policy that chose it."""

    action: str
    policy: Optional[str]
    confidence: Optional[float]

    @property
    def policy_class(self) -> Optional[str]:
        """`RulePolicy` for Rasa's `policy_2_RulePolicy`: the kind of policy, without its position."""
        if not self.policy:
            return None
        return self.policy.split("_")[-1]


@dataclass
class Turn:
    """Everything from one customer message up to the assistant listening again.

    A turn without a customer message is the start of a session or a person from the team writing.
    """

    user: Optional[Understanding] = None
    steps: List[Step] = field(default_factory=list)
    # The metadata of each bot message (its response name, notices, what it used), never its text.
    messages: List[Dict[str, Any]] = field(default_factory=list)
    slots: Dict[str, Any] = field(default_factory=dict)
    loops: List[Optional[str]] = field(default_factory=list)
    events: List[Dict[str, Any]] = field(default_factory=list)
    started_at: Optional[float] = None
    session_started: bool = False
    # The action a form or action rejected (the message did not fit what it asked for).
    rejected: List[str] = field(default_factory=list)

    @property
    def ended(self) -> bool:
        """Whether the assistant went back to listening (a turn in progress has not)."""
        return bool(self.events) and is_listen(self.events[-1])

    @property
    def actions(self) -> List[str]:
        return [step.action for step in self.steps]

    @property
    def responses(self) -> List[str]:
        """The domain responses the assistant sent, by name, in order."""
        return [message["utter_action"] for message in self.messages if message.get("utter_action")]

    @property
    def history_used(self) -> Optional[Dict[str, Any]]:
        """The consent grounds a message recorded for using the customer's history, if any."""
        return self._latest_fact("history_used")

    @property
    def handoff_request(self) -> Optional[Dict[str, Any]]:
        """The reason and priority a handoff message recorded, if a person was asked for."""
        return self._latest_fact("handoff")

    @property
    def review_flag(self) -> Optional[Dict[str, Any]]:
        """The message the customer said was answered wrongly, as the feedback action named it."""
        return self._latest_fact("review")

    @property
    def notices(self) -> List[Dict[str, Any]]:
        """The notices shown in this turn, with the version of each."""
        return [
            {"notice": message["notice"], "version": message.get("notice_version")}
            for message in self.messages
            if message.get("notice")
        ]

    def _latest_fact(self, key: str) -> Optional[Dict[str, Any]]:
        """The last bot message's metadata entry `key` (a mapping), if any message recorded one."""
        facts = [message[key] for message in self.messages if isinstance(message.get(key), dict)]
        return facts[-1] if facts else None

    @property
    def by_agent(self) -> bool:
        """A person from the team wrote in this turn (agent console)."""
        return any(key in message for message in self.messages for key in ("agent", "joined_by", "handed_back_by"))


def turns_of(events: Iterable[Dict[str, Any]]) -> List[Turn]:
    """Split serialised events into turns, in order; the last turn may still be in progress."""
    turns: List[Turn] = []
    current: Optional[Turn] = None
    for event in events:
        kind = kind_of(event)
        if current is None or kind == CUSTOMER_MESSAGE or current.ended:
            current = Turn(started_at=event.get("timestamp"))
            turns.append(current)
        current.events.append(event)
        if kind == CUSTOMER_MESSAGE:
            current.user = understanding_of(event)
        elif kind == ACTION and not is_listen(event):
            current.steps.append(Step(event.get("name") or "", event.get("policy"), event.get("confidence")))
        elif kind == ASSISTANT_MESSAGE:
            current.messages.append(dict(event.get("metadata") or {}))
        elif kind == SLOT:
            current.slots[event.get("name")] = event.get("value")
        elif kind == ACTIVE_LOOP:
            current.loops.append(event.get("name"))
        elif kind == SESSION_STARTED:
            current.session_started = True
        elif kind == ACTION_REJECTED:
            current.rejected.append(event.get("name") or "")
    return turns


def understanding_of(event: Dict[str, Any]) -> Understanding:
    """What a `user` event records about how its message was understood."""
    parse = event.get("parse_data") or {}
    intent = parse.get("intent") or {}
    ranking = [
        Guess(entry["name"], float(entry.get("confidence") or 0.0))
        for entry in parse.get("intent_ranking") or []
        if entry.get("name")
    ]
    name = intent.get("name")
    confidence = intent.get("confidence")
    classifier = [guess for guess in ranking if guess.intent not in OVERRIDING_INTENTS]
    classifier_guess = classifier[0] if name in OVERRIDING_INTENTS and classifier else None
    if classifier_guess is not None:
        runner_up = classifier[1] if len(classifier) > 1 else None
    else:
        runner_up = next((guess for guess in classifier if guess.intent != name), None)
    entities = tuple(entity.get("entity") for entity in parse.get("entities") or [] if entity.get("entity"))
    distress = parse.get("distress") if isinstance(parse.get("distress"), dict) else None
    return Understanding(
        intent=name,
        confidence=float(confidence) if confidence is not None else None,
        classifier_guess=classifier_guess,
        runner_up=runner_up,
        entities=entities,
        distress=distress,
        message_id=message_id_of(event),
        channel=event.get("input_channel"),
        timestamp=event.get("timestamp"),
        text_stored=bool(STORED_PLACEHOLDER.sub("", event.get("text") or "").strip()),
    )

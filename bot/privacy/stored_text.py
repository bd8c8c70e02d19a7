"""The text the tracker store writes: the recognizers' redaction, and what only the conversation knows.

The recognizers see one text at a time. The tracker store sees the conversation, so it knows
four things they cannot:

- **Which question a message answers.** After "What's the new delivery address?" the answer is
  an address whatever it looks like ("ty gwyn, lowmarsh"), so it is stored as "<STREET_ADDRESS>",
  and so is the value of the slot it fills (`privacy.redaction.slot_types`). Forms ask through
  `requested_slot`, so the events say which slot each message answers. A form's free-text answer
  to a slot the policy does not call personal or not is stored as "<FORM_ANSWER>": a new form
  cannot store what customers type in it by forgetting to list it.
- **Which values are personal because of where they are.** The values of those slots (an
  address, an email) are replaced wherever else they are quoted, by the customer or by the
  assistant ("Send order 104513 to ...?"), even where the recognizers would not see them.
- **Which details are the shop's own.** The phone numbers and emails in `bot/policy.yml` are what
  the assistant gives out ("call 0800 000 0000", a helpline); in the assistant's own messages
  they stay readable. They are found by the same recognizers in the policy's own text, so a
  detail added to the policy is kept with no list to update. Only a find that lies wholly within
  one of them is kept: a customer's number that merely contains a helpline's digits is still
  replaced.
- **Which texts are the assistant's own.** Most of the strings in a turn's events are what the
  assistant is made of: the model's id in every event's metadata, the ids of messages, the names
  of intents, actions and responses, a response said word for word, a button. Nobody's data can be in them, so they
  are stored as they are without being read (`own_words`). Reading them was most of the cost of a
  save (issue 19: two of every three texts read, when it was measured).
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, FrozenSet, Iterator, List, Mapping, Optional, Sequence, Tuple

import regex as re
from presidio_analyzer import RecognizerResult
from presidio_anonymizer import AnonymizerEngine
from presidio_anonymizer.entities import ConflictResolutionStrategy
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.conversation.events import answered_slots, message_ids
from bot.conversation.names import REQUESTED_SLOT
from bot.policy import Policy, current_policy
from bot.policy_sections import Redaction
from bot.privacy.redaction import Redactor

logger = logging.getLogger(__name__)

# Stored in place of a text that could not be redacted: never the text itself.
REDACTION_FAILED = "<REDACTION_FAILED>"
# A slot value shorter than this ("no", "1") is replaced where the slot is stored, never elsewhere.
MIN_KNOWN_VALUE_CHARS = 4

# Fields of a serialised event that record the conversation's structure, never what anyone said.
# Everything else is redacted, so a field Rasa adds in a later version is redacted by default.
STRUCTURAL_FIELDS = frozenset(
    {
        "event", "timestamp", "name", "policy", "confidence", "input_channel", "message_id",
        "use_text_for_featurization", "hide_rule_turn", "is_interrupted", "intent", "date_time",
        "kill_on_user_msg",
    }
)
STRUCTURAL_PARSE_DATA_FIELDS = frozenset({"intent", "intent_ranking", "response_selector", "message_id", "distress"})
STRUCTURAL_ENTITY_FIELDS = frozenset(
    {
        "entity", "start", "end", "extractor", "processors", "role", "group",
        "confidence_entity", "confidence_role", "confidence_group",
    }
)


def placeholder(kind: str) -> str:
    return f"<{kind}>"


@dataclass(frozen=True)
class SlotTypes:
    """What the policy says each slot holds (`privacy.redaction.slot_types` and the lists beside it)."""

    personal: Mapping[str, str]
    not_personal: FrozenSet[str] = frozenset()
    unlisted_answer: str = "FORM_ANSWER"

    @classmethod
    def from_policy(cls, redaction: Redaction) -> "SlotTypes":
        return cls(dict(redaction.slot_types), frozenset(redaction.slots_not_personal), redaction.unlisted_answer)

    def of_answer(self, slot: str, free_text: bool) -> Optional[str]:
        """The type an answer to the question for `slot` is stored as; None leaves it to the recognizers."""
        if slot in self.personal:
            return self.personal[slot]
        if free_text and slot not in self.not_personal:
            return self.unlisted_answer
        return None


@dataclass(frozen=True)
class Conversation:
    """What one conversation tells the redaction of its events: which messages answer which
    question, and which personal values it holds."""

    sender_id: str = "(no conversation)"
    slot_types: SlotTypes = SlotTypes({})
    answer_types: Mapping[int, str] = field(default_factory=dict)  # a message's id() → its answer's type
    known: "KnownValues" = field(default_factory=lambda: KnownValues())
    slot_names: FrozenSet[str] = frozenset()
    own_words: FrozenSet[str] = frozenset()  # stored as they are (`own_words`)

    @classmethod
    def of(
        cls, tracker: DialogueStateTracker, slot_types: SlotTypes, domain: Optional[Domain], words: FrozenSet[str] = frozenset()
    ) -> "Conversation":
        """The conversation `tracker` holds; `words` are the domain's `own_words`, to which are
        added the model and assistant ids Rasa stamps on every event and the ids of the customer's
        messages (stored as they are in the messages themselves; an answer that quotes one, such
        as the review flag on "that's wrong", must still point at it)."""
        slots = domain.slots if domain else []
        free_text = {slot.name for slot in slots if any(mapping.get("type") == "from_text" for mapping in slot.mappings)}
        events = list(tracker.events)
        serialised = [event.as_dict() for event in events]
        answer_types = {}
        for position, slot in answered_slots(serialised).items():
            kind = slot_types.of_answer(slot, slot in free_text)
            if kind is not None:
                answer_types[id(events[position])] = kind
        values = {name: slot.value for name, slot in tracker.slots.items()}
        stamps = {stamp for stamp in (tracker.model_id, tracker.assistant_id) if stamp}
        stamps |= message_ids(serialised)
        return cls(
            tracker.sender_id,
            slot_types,
            answer_types,
            KnownValues.of_slots(values, slot_types),
            frozenset(s.name for s in slots),
            words | stamps,
        )

    def texts_to_read(self, event: Event) -> List[str]:
        """The texts of `event` its redaction gives the recognizers: not a whole field, not own words."""
        whole, texts = self.whole_fields(event), []

        def collect(field: str, text: str) -> str:
            if field not in whole and text not in self.own_words:
                texts.append(text)
            return text

        redacted_event_data(event.as_dict(), collect)
        return texts

    def whole_fields(self, event: Event) -> Dict[str, str]:
        """Fields of `event` stored as one string whatever they hold: an answer as its slot's type."""
        if isinstance(event, UserUttered) and id(event) in self.answer_types:
            kind = placeholder(self.answer_types[id(event)])
            return {"text": kind, "parse_data": kind}
        if isinstance(event, SlotSet) and event.key in self.slot_types.personal:
            return {"value": placeholder(self.slot_types.personal[event.key])}
        if isinstance(event, SlotSet) and event.key == REQUESTED_SLOT and event.value in self.slot_names:
            return {"value": event.value}  # a slot's name: later turns read the answer by it
        return {}


@dataclass(frozen=True)
class KnownValues:
    """Personal values the conversation holds (an address in its slot), each with its type."""

    types: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def of_slots(cls, values: Mapping[str, Any], slot_types: SlotTypes) -> "KnownValues":
        known: Dict[str, str] = {}
        for slot, kind in slot_types.personal.items():
            for text in _strings_in(values.get(slot)):
                if len(text.strip()) >= MIN_KNOWN_VALUE_CHARS:
                    known[text.strip()] = kind
        return cls(known)

    @functools.cached_property
    def _pattern(self) -> Optional["re.Pattern[str]"]:
        if not self.types:
            return None
        alternatives = "|".join(re.escape(value) for value in sorted(self.types, key=len, reverse=True))
        return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)

    @functools.cached_property
    def _types_by_lower_case(self) -> Dict[str, str]:
        return {value.lower(): kind for value, kind in self.types.items()}

    def plus(self, more: Mapping[str, str]) -> "KnownValues":
        """These values and `more` (value → type): what one save has found besides the slots."""
        return KnownValues({**self.types, **more}) if more else self

    def spans(self, text: str) -> List[Tuple[str, int, int]]:
        """(type, start, end) of every place a known value is quoted in `text`, in any case."""
        if self._pattern is None:
            return []
        return [
            (self._types_by_lower_case[match.group().lower()], match.start(), match.end()) for match in self._pattern.finditer(text)
        ]


class StoredText:
    """Redacts one text for storage: the recognizers' finds, known values, and the shop's details kept."""

    def __init__(self, redactor: Redactor, shop_details: Sequence[str] = ()) -> None:
        self.redactor = redactor
        self.shop_details = tuple(shop_details)
        self._anonymizer = AnonymizerEngine()
        alternatives = "|".join(re.escape(detail) for detail in sorted(self.shop_details, key=len, reverse=True))
        # Whole, not a piece of a longer number or word: "999" in "07700 999 123" is no helpline.
        self._shop_detail = (
            re.compile(rf"(?<![\w+]|\d[ .\-])(?:{alternatives})(?![\w]|[ .\-]\d)", re.IGNORECASE) if alternatives else None
        )

    def redact(self, text: str, known: KnownValues = KnownValues(), keep_shop_details: bool = False) -> str:
        return self.redact_and_find(text, known, keep_shop_details)[0]

    def redact_and_find(
        self, text: str, known: KnownValues = KnownValues(), keep_shop_details: bool = False
    ) -> Tuple[str, Dict[str, str]]:
        """The stored form of `text`, and what the recognizers replaced in it (value → type).

        The values found in a customer's message are replaced wherever else the same save quotes
        them: a sort code that the NLU also took for an order number is not stored in the entity
        or the slot it filled. A shop's own detail quoted by the customer stays out of that list,
        so the assistant's answers keep it readable.
        """
        redacted = self.redactor.redact(text)
        kept = [match.span() for match in self._shop_detail.finditer(text)] if self._shop_detail else []
        found = {
            text[f.start : f.end]: f.entity_type
            for f in redacted.findings
            if f.end - f.start >= MIN_KNOWN_VALUE_CHARS and not _within(f.start, f.end, kept)
        }
        if not keep_shop_details:
            kept = []
        findings = [f for f in redacted.findings if not _within(f.start, f.end, kept)]
        quoted = known.spans(text)
        if not quoted and len(findings) == len(redacted.findings):
            return redacted.text, found
        results = [RecognizerResult(f.entity_type, f.start, f.end, f.score) for f in findings]
        results += [RecognizerResult(kind, start, end, 1.0) for kind, start, end in quoted]
        if not results:
            return text, found
        return (
            self._anonymizer.anonymize(
                text=text, analyzer_results=results, conflict_resolution=ConflictResolutionStrategy.REMOVE_INTERSECTIONS
            ).text,
            found,
        )


def _within(start: int, end: int, spans: Sequence[Tuple[int, int]]) -> bool:
    return any(low <= start and end <= high for low, high in spans)


@functools.lru_cache(maxsize=8)
def shop_details(redactor: Redactor) -> Tuple[str, ...]:
    """The shop's own details in the policy in force, read once per redactor."""
    return find_shop_details(redactor, current_policy())


def find_shop_details(redactor: Redactor, policy: Policy) -> Tuple[str, ...]:
    """The shop's phone, emails and helplines in the policy file, and the lines it says word for word.

    The details are what the recognizers find in the policy's own text. Its lines (a notice, "Shout:
    text SHOUT to 85258") are kept whole as well: the model reads a line differently among other
    lines than alone, and a helpline's name is no customer's. A line with a placeholder is not one
    the assistant says as it is, so it is left out. If the recognizers fail here, nothing is kept:
    the assistant's messages are then redacted like any other text, which hides the shop's details
    but never a customer's.
    """
    texts = set(_strings_in(policy.dict()))
    try:
        found = {text[finding.start : finding.end] for text in texts for finding in redactor.redact(text).findings}
    except Exception as error:  # noqa: BLE001 - any failure: keep nothing, which is safe
        logger.error("Could not read the shop's own details in the policy (%s): none are kept readable.", type(error).__name__)
        return ()
    said_as_written = (text for text in texts if "{" not in text and "}" not in text)
    lines = {line.strip(" -") for text in said_as_written for line in text.splitlines()}
    found |= {line for line in lines if " " in line.strip()}
    return tuple(sorted(detail for detail in found if detail.strip()))


def redacted_event_data(data: Dict[str, Any], redact: Callable[[str, str], str]) -> Dict[str, Any]:
    """A serialised event (`Event.as_dict()`) with everything but its structure redacted.

    `redact(field, text)` gives each text's stored form; `field` is the top-level field it is in
    ("text", "parse_data", "value", "metadata"...), so a whole field can be stored one way.
    """

    def strings(value: Any, field: str) -> Any:
        if isinstance(value, str):
            return redact(field, value)
        if isinstance(value, dict):
            return {key: strings(item, field) for key, item in value.items()}
        if isinstance(value, (list, tuple)):
            return type(value)(strings(item, field) for item in value)
        return value  # numbers, booleans and None say nothing about anyone

    def fields(values: Dict[str, Any], structural: frozenset, field: Optional[str]) -> Dict[str, Any]:
        copy: Dict[str, Any] = {}
        for key, value in values.items():
            where = field or key
            if key in structural:
                copy[key] = value
            elif key == "parse_data" and isinstance(value, dict):
                copy[key] = fields(value, STRUCTURAL_PARSE_DATA_FIELDS, where)
            elif key == "entities" and isinstance(value, list):
                copy[key] = [
                    fields(entity, STRUCTURAL_ENTITY_FIELDS, where) if isinstance(entity, dict) else strings(entity, where)
                    for entity in value
                ]
            else:
                copy[key] = strings(value, where)
        return copy

    return fields(data, STRUCTURAL_FIELDS, None)


def own_words(domain: Optional[Domain], policy: Optional[Policy] = None) -> FrozenSet[str]:
    """The strings the assistant is made of, word for word: the domain's names (intents, entities,
    slots and their categories, forms, actions, responses), and every string of its responses and
    of the policy (notices, versions, helplines) without a placeholder. A text with a placeholder
    can carry a customer's value, so it is not among them."""
    names: List[str] = []
    if domain is not None:
        names += [*domain.intents, *domain.entities, *domain.form_names, *domain.action_names_or_texts, *domain.responses]
        names += [slot.name for slot in domain.slots]
        names += [value for slot in domain.slots for value in getattr(slot, "values", None) or () if isinstance(value, str)]
    written = [*_strings_in(domain.responses if domain else {}), *_strings_in(policy.dict() if policy else {})]
    said_as_written = (text for text in written if "{" not in text)
    return frozenset(text for text in (*names, *said_as_written) if text.strip())


def _strings_in(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _strings_in(item)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            yield from _strings_in(item)

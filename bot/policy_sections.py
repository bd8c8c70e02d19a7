"""The sections of the policy file (`bot/policy.yml`) as typed models, each checking its own rules.

Each section is one promise the assistant makes (its notices, when it offers a person, how it
treats distress, consent, retention and redaction, identity checks, fairness limits), so a file
that asks for something the code cannot keep is refused with the field to fix. Reading the file
and its version history is `bot.policy`.
"""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from typing import Dict, List, Optional, Tuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, Field, validator

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


class PolicyError(ValueError):
    """The policy file is missing or says something Candor cannot honour."""


class Notice(BaseModel):
    """A text the customer must be shown, with the version recorded when it is shown."""

    version: str = Field(..., min_length=1)
    text: str = Field(..., min_length=1)
    # The same notice in plain language, for customers who ask for simpler words.
    plain_text: str = Field(..., min_length=1)

    def wording(self, plain: bool = False) -> str:
        return self.plain_text if plain else self.text


class Notices(BaseModel):
    ai_disclosure: Notice


class OpeningHours(BaseModel):
    """When people answer chats, in the team's own time zone."""

    timezone: str
    weekly: Dict[str, Tuple[time, time]]

    @validator("timezone")
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown time zone {value!r}") from error
        return value

    @validator("weekly")
    def _days_and_ranges(cls, weekly: Dict[str, Tuple[time, time]]) -> Dict[str, Tuple[time, time]]:
        for day, (opens, closes) in weekly.items():
            if day not in WEEKDAYS:
                raise ValueError(f"{day!r} is not a day of the week ({', '.join(WEEKDAYS)})")
            if opens >= closes:
                raise ValueError(f"{day}: opening time {opens} is not before closing time {closes}")
        return weekly

    def is_open(self, moment: datetime) -> bool:
        """Whether a person is at work at `moment` (an aware datetime)."""
        local = moment.astimezone(ZoneInfo(self.timezone))
        hours = self.weekly.get(WEEKDAYS[local.weekday()])
        return hours is not None and hours[0] <= local.time() < hours[1]

    def describe(self) -> str:
        """The hours in words, e.g. 'Monday to Friday 09:00 to 18:00, Saturday 10:00 to 16:00'."""
        groups: List[Tuple[List[str], Tuple[time, time]]] = []
        for day in WEEKDAYS:
            hours = self.weekly.get(day)
            if hours is None:
                continue
            if groups and groups[-1][1] == hours and WEEKDAYS.index(groups[-1][0][-1]) + 1 == WEEKDAYS.index(day):
                groups[-1][0].append(day)
            else:
                groups.append(([day], hours))
        parts = []
        for days, (opens, closes) in groups:
            span = days[0].capitalize() if len(days) == 1 else f"{days[0].capitalize()} to {days[-1].capitalize()}"
            parts.append(f"{span} {opens:%H:%M} to {closes:%H:%M}")
        return ", ".join(parts) + f" ({self.timezone} time)"


class Contact(BaseModel):
    email: str
    phone: str


class Handoff(BaseModel):
    """How and when the assistant passes a customer to a person."""

    priorities: Dict[str, int]
    offer_after_misunderstandings: int = Field(..., ge=1)
    hours: OpeningHours
    contact: Contact

    def priority_for(self, reason: str) -> int:
        """The queue priority for a handoff reason; an unlisted reason is a policy error."""
        try:
            return self.priorities[reason]
        except KeyError:
            raise PolicyError(
                f"policy.yml has no handoff priority for reason {reason!r}; "
                f"add it under handoff.priorities"
            ) from None


DISTRESS_CATEGORIES = ("self_harm", "bereavement", "financial_hardship", "health", "abuse", "emotional_distress")


class CrisisResource(BaseModel):
    name: str = Field(..., min_length=1)
    how: str = Field(..., min_length=1)


class Distress(BaseModel):
    """When a message counts as distress, and where to point someone who may be at risk.

    Self-harm has two tiers. From `thresholds.self_harm` up (tier one, a clear signal) the customer
    gets crisis resources at once; from `self_harm_ask_threshold` up (tier two, a possible signal)
    the assistant asks them directly whether they are thinking of harming themselves.
    """

    thresholds: Dict[str, float]
    self_harm_ask_threshold: float
    # When another category reached its threshold (its care and the offer of a person follow), the
    # question needs this score instead; at least the ask threshold.
    self_harm_ask_threshold_beside_another: float
    crisis_resources: List[CrisisResource] = Field(..., min_items=1)

    @validator("thresholds")
    def _every_category_once(cls, thresholds: Dict[str, float]) -> Dict[str, float]:
        if set(thresholds) != set(DISTRESS_CATEGORIES):
            raise ValueError(f"give a threshold for exactly these categories: {', '.join(DISTRESS_CATEGORIES)}")
        for category, threshold in thresholds.items():
            if not 0 < threshold <= 1:
                raise ValueError(f"{category}: threshold {threshold} is not in (0, 1]")
        return thresholds

    @validator("self_harm_ask_threshold")
    def _below_the_crisis_threshold(cls, ask: float, values: Dict) -> float:
        crisis = (values.get("thresholds") or {}).get("self_harm")
        if not 0 < ask <= 1:
            raise ValueError(f"{ask} is not in (0, 1]")
        if crisis is not None and ask >= crisis:
            raise ValueError(
                f"{ask} is not below thresholds.self_harm ({crisis}): the question (tier two) must start "
                "at a lower score than crisis resources (tier one)"
            )
        return ask

    @validator("self_harm_ask_threshold_beside_another")
    def _between_the_tiers(cls, beside: float, values: Dict) -> float:
        ask, crisis = values.get("self_harm_ask_threshold"), (values.get("thresholds") or {}).get("self_harm")
        if ask is not None and crisis is not None and not ask <= beside < crisis:
            raise ValueError(f"{beside} is not from self_harm_ask_threshold ({ask}) up to below thresholds.self_harm ({crisis})")
        return beside

    def describe_crisis_resources(self) -> str:
        return "\n".join(f"- {resource.name}: {resource.how}" for resource in self.crisis_resources)


class ConsentPurpose(BaseModel):
    """One use of a customer's history, described the way the customer is asked about it."""

    uses: str = Field(..., min_length=1)
    why: str = Field(..., min_length=1)
    plain_uses: str = Field(..., min_length=1)
    plain_why: str = Field(..., min_length=1)


class Consent(BaseModel):
    """What the assistant asks before it uses a customer's history, and for how long a yes lasts."""

    version: str = Field(..., min_length=1)
    purposes: Dict[str, ConsentPurpose]
    valid_days: int = Field(..., ge=1)
    request: str = Field(..., min_length=1)
    plain_request: str = Field(..., min_length=1)

    @validator("purposes")
    def _at_least_one(cls, purposes: Dict[str, ConsentPurpose]) -> Dict[str, ConsentPurpose]:
        if not purposes:
            raise ValueError("name at least one purpose")
        return purposes

    def purpose(self, name: str) -> ConsentPurpose:
        """The purpose called `name`; an unknown purpose is a policy error, never a silent yes."""
        try:
            return self.purposes[name]
        except KeyError:
            raise PolicyError(f"policy.yml has no consent purpose {name!r}; add it under privacy.consent.purposes") from None

    def request_text(self, name: str, plain: bool = False) -> str:
        """The exact words shown when asking consent for purpose `name` (in plain language if asked)."""
        purpose = self.purpose(name)
        if plain:
            return self.plain_request.format(uses=purpose.plain_uses, why=purpose.plain_why, valid_days=self.valid_days)
        return self.request.format(uses=purpose.uses, why=purpose.why, valid_days=self.valid_days)


class Retention(BaseModel):
    """How long Candor keeps what it holds."""

    conversations_days: int = Field(..., ge=1)
    consent_records_days: int = Field(..., ge=1)
    purge_every_hours: float = Field(..., gt=0)
    live_values_minutes: float = Field(..., gt=0)
    # A caller's answers, synthesized, can hold what the caller gave (an order, an address): the
    # audio is needed only while the call plays it.
    voice_audio_minutes: float = Field(..., gt=0)


# A placeholder's type, as stored: "<STREET_ADDRESS>" (the review queue reads them by this shape).
PLACEHOLDER_TYPE = re.compile(r"[A-Z][A-Z_]*")


class Redaction(BaseModel):
    """How personal data is found before anything is stored."""

    score_threshold: float = Field(..., ge=0, le=1)
    entities: List[str] = Field(..., min_items=1)
    # Longer texts are redacted in pieces this long, each seen with `context_chars` either side,
    # and runs without spaces are tokenized in parts: the cost grows with length, not its square.
    max_piece_chars: int = Field(500, ge=50)
    max_run_chars: int = Field(64, ge=8)
    context_chars: int = Field(50, ge=0)

    # What a slot holds, for the slots the assistant asks for and the values actions set: an answer
    # to the question for one of them, and its value, are stored as this type whatever the
    # recognizers make of them. Slots a form fills from free text that are not personal data
    # are listed apart; a free-text answer to a slot in neither list is stored as `unlisted_answer`.
    slot_types: Dict[str, str] = Field(default_factory=dict)
    slots_not_personal: List[str] = Field(default_factory=list)
    unlisted_answer: str = "FORM_ANSWER"

    @validator("slot_types")
    def _placeholder_types(cls, slot_types: Dict[str, str]) -> Dict[str, str]:
        for slot, kind in slot_types.items():
            if not PLACEHOLDER_TYPE.fullmatch(kind):
                raise ValueError(f"{slot}: {kind!r} is not a type in capitals and underscores, like STREET_ADDRESS")
        return slot_types

    @validator("unlisted_answer")
    def _placeholder_type(cls, kind: str) -> str:
        if not PLACEHOLDER_TYPE.fullmatch(kind):
            raise ValueError(f"{kind!r} is not a type in capitals and underscores, like FORM_ANSWER")
        return kind

    @validator("slots_not_personal")
    def _personal_or_not(cls, slots: List[str], values: Dict) -> List[str]:
        both = sorted(set(slots) & set(values.get("slot_types") or {}))
        if both:
            raise ValueError(f"{', '.join(both)} cannot be both personal (slot_types) and not personal: remove one")
        return slots


class Privacy(BaseModel):
    consent: Consent
    retention: Retention
    redaction: Redaction


# What the assistant can re-check identity for, by the name `identity.step_up` lists it under.
STEP_UP_OPERATIONS = ("export", "erase", "cancel_order", "change_address")


class Identity(BaseModel):
    """How a customer proves who they are, proves it again, and how guessing a postcode is slowed."""

    step_up: List[str]
    attempts_per_request: int = Field(..., ge=1)
    free_failures: int = Field(..., ge=1)
    first_delay_seconds: float = Field(..., gt=0)
    max_delay_seconds: float = Field(..., gt=0)
    notice_after_failures: int = Field(..., ge=1)
    forget_failures_after_hours: float = Field(..., gt=0)

    @validator("step_up", each_item=True)
    def _known_operation(cls, operation: str) -> str:
        if operation not in STEP_UP_OPERATIONS:
            raise ValueError(f"{operation!r} is not an operation the assistant can re-check identity for ({', '.join(STEP_UP_OPERATIONS)})")
        return operation

    @validator("max_delay_seconds")
    def _cap_at_least_the_first_delay(cls, cap: float, values: Dict) -> float:
        if "first_delay_seconds" in values and cap < values["first_delay_seconds"]:
            raise ValueError(f"the longest wait ({cap:g} s) is shorter than the first ({values['first_delay_seconds']:g} s)")
        return cap

    @validator("forget_failures_after_hours")
    def _forget_only_after_the_longest_wait(cls, hours: float, values: Dict) -> float:
        if "max_delay_seconds" in values and hours * 3600 <= values["max_delay_seconds"]:
            raise ValueError("failures would be forgotten before the longest wait is over: make it longer than max_delay_seconds")
        return hours

    def needs_step_up(self, operation: str) -> bool:
        return operation in self.step_up

    def delay_after(self, failures: int) -> Optional[timedelta]:
        """How long the next try must wait after `failures` failures in a row: none while they are free."""
        if failures < self.free_failures:
            return None
        doublings = min(failures - self.free_failures, 64)  # 2**64 is past any cap
        return timedelta(seconds=min(self.first_delay_seconds * 2**doublings, self.max_delay_seconds))

    @property
    def forget_failures_after(self) -> timedelta:
        return timedelta(hours=self.forget_failures_after_hours)


class Fairness(BaseModel):
    """How much worse the assistant may serve one group of customers than the best-served group.

    Each limit is in percentage points, between the best and the worst group of `candor
    eval-fairness`; `tests/fairness/` fails CI when the trained model goes past one.
    """

    # Intent accuracy between ways of writing English (dialects, learners, older customers, dyslexia).
    max_intent_accuracy_gap_points: float = Field(..., ge=0, le=100)
    # The share of names fully redacted, between names of different origins.
    max_redaction_recall_gap_points: float = Field(..., ge=0, le=100)
    # The share of distress messages flagged, between the same messages signed with different names.
    max_distress_flag_rate_gap_points: float = Field(..., ge=0, le=100)


class Assistant(BaseModel):
    """What the assistant says about itself: its purpose, what it can and can't do, how it works."""

    purpose: str = Field(..., min_length=1)
    can: List[str] = Field(..., min_items=1)
    cannot: List[str] = Field(..., min_items=1)
    how_it_works: List[str] = Field(..., min_items=1)


class Audit(BaseModel):
    """What the audit trail may record besides the assistant's decisions."""

    recorded_slot_values: List[str] = Field(default_factory=list)


class Review(BaseModel):
    """Which turns a person checks so the assistant learns from its mistakes."""

    confidence_below: float = Field(..., ge=0, le=1)

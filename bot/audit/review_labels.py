"""What a person says a reviewed turn meant, and those labels as NLU training data.

The review list (`bot.audit.review`) finds the turns to check; this module records a person's
answer and turns the answers into examples for the next model. A label copies the redacted text,
because it is training data and must outlive the conversation; an example Rasa would misread, or
one only of personal data, is left out and counted, so a person sees what was dropped and why.
"""

from __future__ import annotations

import difflib
import unicodedata
import warnings
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Collection, Dict, Iterable, List, Optional, Set

from rasa.shared.core.constants import DEFAULT_INTENTS
from rasa.shared.nlu.training_data.entities_parser import ENTITY_REGEX
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.audit.review import ReviewItem
from bot.conversation.names import NLU_FALLBACK_INTENT, OUT_OF_SCOPE_INTENT
from bot.conversation.turns import DETECTOR_INTENTS, STORED_PLACEHOLDER
from bot.store.review import ReviewLabel

# What a person may not teach: Rasa's internal intents and the detector's verdict (`out_of_scope` is
# a real answer: "that's not something this shop does").
NOT_LABELS = (frozenset(DEFAULT_INTENTS) - {OUT_OF_SCOPE_INTENT}) | {NLU_FALLBACK_INTENT, *DETECTOR_INTENTS}

NLU_FORMAT_VERSION = "3.1"


class ReviewError(ValueError):
    """A label that cannot be saved; the message says why and what to do instead."""


def labellable_intents(domain_path: Optional[Path] = None) -> List[str]:
    """The intents a person may choose: the domain's, without Rasa's internal ones or the detector's."""
    from bot.model import DOMAIN

    # Loading a domain imports half of Rasa, whose dependencies warn about their own deprecations.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from rasa.shared.core.domain import Domain

        domain = Domain.load(str(domain_path or DOMAIN))
    return sorted(set(domain.intents) - NOT_LABELS)


def label_turn(
    session: Session,
    item: ReviewItem,
    intent: str,
    by: str,
    now: datetime,
    *,
    intents: Optional[Collection[str]] = None,
    replace: bool = False,
) -> ReviewLabel:
    """Record that the customer meant `intent`; a different existing label is kept unless `replace`."""
    if not item.labellable:
        raise ReviewError(
            f"turn {item.id} cannot be labelled: {item.shown_text.strip('()')}, so there is no text to learn from"
        )
    known = labellable_intents() if intents is None else intents
    if intent not in known:
        raise ReviewError(_unknown_intent(intent, known))
    label = session.execute(
        select(ReviewLabel).where(
            ReviewLabel.conversation_id == item.conversation_id, ReviewLabel.message_id == item.message_id
        )
    ).scalar_one_or_none()
    if label is not None and label.intent != intent and not replace:
        raise ReviewError(
            f"turn {item.id} is already labelled {label.intent!r} by {label.labelled_by} on "
            f"{label.labelled_at:%Y-%m-%d}: to change it to {intent!r}, label it again with --replace"
        )
    if label is None:
        label = ReviewLabel(conversation_id=item.conversation_id, message_id=item.message_id)
        session.add(label)
    label.audit_seq = item.id
    label.predicted_intent = item.predicted_intent
    label.intent = intent
    label.text = item.text
    label.labelled_by = by
    label.labelled_at = now
    session.flush()
    return label


def labels_since(session: Session, since: Optional[datetime] = None) -> List[ReviewLabel]:
    """Labels made on or after `since` (all of them without it), in the order they were made."""
    query = select(ReviewLabel).order_by(ReviewLabel.labelled_at, ReviewLabel.id)
    if since is not None:
        query = query.where(ReviewLabel.labelled_at >= since)
    return list(session.execute(query).scalars())


@dataclass
class TrainingExamples:
    """Labelled texts fit to train on, by intent, and how many labels were left out and why."""

    by_intent: Dict[str, List[str]] = field(default_factory=dict)
    skipped: Counter = field(default_factory=Counter)

    @property
    def examples(self) -> int:
        return sum(len(texts) for texts in self.by_intent.values())

    def as_nlu_yaml(self) -> str:
        """Rasa NLU training data (format 3.1), one block of examples per intent."""
        lines = [
            "# Reviewed by people with `candor review label`; exported by `candor review export`.",
            "# Read it before copying examples into data/nlu/: every one becomes training data.",
            f'version: "{NLU_FORMAT_VERSION}"',
            "nlu:" if self.by_intent else "nlu: []",
        ]
        for intent in sorted(self.by_intent):
            lines += [f"- intent: {intent}", "  examples: |"]
            lines += [f"    - {text}" for text in self.by_intent[intent]]
        return "\n".join(lines) + "\n"


def training_examples(labels: Iterable[ReviewLabel], intents: Optional[Collection[str]] = None) -> TrainingExamples:
    """Group labels into examples, leaving out any Rasa would misread or a model cannot learn from.

    `intents`, when given, leaves out labels for intents no longer in the domain.
    """
    meant: Dict[str, Set[str]] = defaultdict(set)
    result = TrainingExamples()
    for label in labels:
        text = _one_line(label.text)
        problem = _unfit(text) or (
            "intent no longer in the domain" if intents is not None and label.intent not in intents else None
        )
        if problem:
            result.skipped[problem] += 1
        else:
            meant[text].add(label.intent)
    for text, chosen in meant.items():
        if len(chosen) > 1:  # the model cannot learn two answers to one text; a person must decide
            result.skipped["labelled with different intents"] += 1
            continue
        result.by_intent.setdefault(next(iter(chosen)), []).append(text)
    for texts in result.by_intent.values():
        texts.sort()
    return result


def export_nlu(labels: Iterable[ReviewLabel], intents: Optional[Collection[str]] = None) -> str:
    """The labels as Rasa NLU training data (YAML)."""
    return training_examples(labels, intents).as_nlu_yaml()


def _unfit(text: str) -> Optional[str]:
    """Why a text would not make a training example, or None."""
    if not STORED_PLACEHOLDER.sub("", text).strip(" .,;:!?-'\""):
        return "only personal data (redacted)"
    if text.startswith("/"):
        return "a button press, not typed words"
    # Rasa reads "[text](entity)" as an entity annotation and has no escape for it.
    if ENTITY_REGEX.search(text):
        return "looks like an entity annotation"
    return None


def _one_line(text: str) -> str:
    """The text on one line, without control characters YAML cannot hold."""
    printable = "".join(c for c in text if c.isprintable() or c.isspace())
    return " ".join(unicodedata.normalize("NFC", printable).split())


def _unknown_intent(intent: str, known: Collection[str]) -> str:
    if intent in NOT_LABELS:
        return f"{intent!r} is set by Rasa or a detector, not something a customer means: choose what they asked for"
    close = difflib.get_close_matches(intent, list(known), n=3, cutoff=0.6)
    if close:
        return f"unknown intent {intent!r}: did you mean {' or '.join(close)}?"
    return f"unknown intent {intent!r}: choose one listed under `intents:` in bot/domain/*.yml"

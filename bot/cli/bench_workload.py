"""What `candor bench` says to the assistant: short conversations a Fernleaf Home customer might have.

Each conversation mixes what Candor adds to a plain assistant (signing in, "why?", a person on
request and back, a change of wording mode) with what any shop assistant does (tracking an order
from the demo shop's seed data, `data/seed/orders.yml`), so the cost measured is the cost of a
realistic day, not of one path. Every message has a kind, and figures are printed per kind.

The order in which each simulated customer goes through the conversations depends only on the
seed and the customer's number, so two runs (and the two configurations of one run) send the same
messages in the same order.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass
from typing import Iterator, Tuple

GREETING, ORDER, SIGN_IN, WHY, HANDOFF, MODE = "greeting", "order", "sign_in", "why", "handoff", "mode"
KINDS = (GREETING, ORDER, SIGN_IN, WHY, HANDOFF, MODE)


@dataclass(frozen=True)
class Turn:
    """One message a customer sends, and what kind of request it is."""

    kind: str
    text: str


@dataclass(frozen=True)
class Script:
    """One conversation, from its first message to its last."""

    name: str
    turns: Tuple[Turn, ...]


# Order numbers, emails, customer numbers and postcodes are the seed data's (data/seed/README.md).
SCRIPTS: Tuple[Script, ...] = (
    Script("track a parcel", (
        Turn(GREETING, "hello there"),
        Turn(ORDER, "can you check where my order 104502 has got to?"),
        Turn(ORDER, "ada.thornbury@example.com"),
        Turn(WHY, "why did you need my email for that?"),
        Turn(GREETING, "great, thanks a lot"),
    )),
    Script("sign in, then ask why", (
        Turn(GREETING, "good morning"),
        Turn(SIGN_IN, "I'm an existing customer, number C10002"),
        Turn(SIGN_IN, "FB2 7LN"),
        Turn(WHY, "why did you ask for my postcode?"),
        Turn(GREETING, "ok, bye for now"),
    )),
    Script("a late parcel, a person, and back", (
        Turn(ORDER, "my parcel 104517 still hasn't turned up"),
        Turn(ORDER, "grace.whitlock@example.com"),
        Turn(HANDOFF, "this is getting silly, can I talk to someone from your team?"),
        Turn(HANDOFF, "are you still there? how long is the wait?"),
        Turn(HANDOFF, "never mind"),
        Turn(GREETING, "thank you"),
    )),
    Script("plain language for an order", (
        Turn(GREETING, "hi"),
        Turn(MODE, "could you use simpler words please"),
        Turn(ORDER, "where is order 104506"),
        Turn(ORDER, "bilal.okafor@example.com"),
        Turn(MODE, "you can go back to normal mode now"),
    )),
    Script("a screen reader, why, and an order", (
        Turn(GREETING, "hello"),
        Turn(MODE, "I'm using a screen reader"),
        Turn(WHY, "why are you telling me that?"),
        Turn(ORDER, "I'd like to know where order 104513 is"),
        Turn(ORDER, "eilidh.macrae@example.org"),
        Turn(MODE, "standard mode please"),
    )),
)

# One long conversation for `--growth`: questions that start no form and no handoff, so every turn
# is the same kind of work and only the conversation's length changes.
GROWTH_TURNS: Tuple[Turn, ...] = (
    Turn(GREETING, "hi again"),
    Turn(ORDER, "how long does delivery normally take?"),
    Turn(WHY, "why do you say that?"),
    Turn(ORDER, "which ways can I pay for an order?"),
    Turn(GREETING, "what sort of things can you help with?"),
    Turn(GREETING, "thanks"),
)


def scripts_for(customer: int, seed: int = 0) -> Iterator[Script]:
    """The endless run of conversations customer number `customer` has: every script once per
    round, in an order drawn from `seed` and the customer's number."""
    draw = random.Random(seed * 100_003 + customer)
    while True:
        round_ = list(SCRIPTS)
        draw.shuffle(round_)
        yield from round_


def growth_turns(count: int) -> Iterator[Turn]:
    """The first `count` turns of the long conversation."""
    return itertools.islice(itertools.cycle(GROWTH_TURNS), count)

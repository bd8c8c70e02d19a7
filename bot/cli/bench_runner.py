"""Simulated customers for `candor bench`: each sends its conversations one message at a time.

The runner only times and counts; how a message reaches the assistant is a `Transport`, so the
same runner drives Candor's REST channel, Rasa's stock one, or (in the tests) a function.
A customer waits for each answer before the next message, as a person in a chat does, so
`customers` is the number of messages in hand at once.
"""

from __future__ import annotations

import threading
import time
import uuid
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Optional, Tuple

import requests

from bot.cli.bench_figures import Sample
from bot.cli.bench_workload import Turn, growth_turns, scripts_for
from bot.ownership import SECRET_HEADER

REQUEST_TIMEOUT_SECONDS = 60.0


@dataclass(frozen=True)
class Outcome:
    """What came back: whether the assistant answered, and what was wrong if anything."""

    answered: bool
    error: Optional[str] = None


# Sends one customer's message in the conversation `sender`, and says how it went.
Transport = Callable[[str, Turn], Outcome]


class RestTransport:
    """The REST webhook, with one HTTP connection per thread and each conversation's session
    secret (`bot.ownership`) kept from its first reply; Rasa's stock channel sends none."""

    def __init__(self, url: str, timeout: float = REQUEST_TIMEOUT_SECONDS) -> None:
        self.webhook = f"{url.rstrip('/')}/webhooks/rest/webhook"
        self.timeout = timeout
        self._secrets: Dict[str, str] = {}
        self._local = threading.local()

    def __call__(self, sender: str, turn: Turn) -> Outcome:
        session: requests.Session = getattr(self._local, "session", None) or self._new_session()
        secret = self._secrets.get(sender)
        try:
            response = session.post(
                self.webhook, json={"sender": sender, "message": turn.text},
                headers={SECRET_HEADER: secret} if secret else {}, timeout=self.timeout,
            )
        except requests.Timeout:
            return Outcome(False, f"no answer within {self.timeout:.0f} s")
        except requests.RequestException as error:
            return Outcome(False, f"request failed: {type(error).__name__}")
        if response.headers.get(SECRET_HEADER):
            self._secrets[sender] = response.headers[SECRET_HEADER]
        return judged(response.status_code, _json(response))

    def _new_session(self) -> requests.Session:
        self._local.session = requests.Session()
        return self._local.session


def judged(status: int, body: Any) -> Outcome:
    """An answer is a 200 with a non-empty list of replies, none with a placeholder left unfilled."""
    if status != 200 or not isinstance(body, list):
        return Outcome(False, f"HTTP {status}")
    if not body:
        return Outcome(True, "no reply")
    if any("{" in str(reply.get("text") or "") for reply in body if isinstance(reply, dict)):
        return Outcome(True, "a reply with an unfilled placeholder")
    return Outcome(True)


@dataclass
class Budget:
    """When the run stops: after `seconds`, or once `messages` have been sent, whichever is given."""

    seconds: Optional[float] = None
    messages: Optional[int] = None

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._sent = 0
        self._deadline: Optional[float] = None

    def start(self) -> None:
        self._deadline = time.monotonic() + self.seconds if self.seconds is not None else None

    def take(self) -> bool:
        """True if one more message may be sent (and counts it)."""
        with self._lock:
            if self._deadline is not None and time.monotonic() >= self._deadline:
                return False
            if self.messages is not None and self._sent >= self.messages:
                return False
            self._sent += 1
            return True


def run_load(
    transport: Transport, customers: int, budget: Budget, seed: int = 0,
    on_sample: Callable[[Sample], None] = lambda sample: None,
) -> Tuple[List[Sample], float]:
    """`customers` threads, each going through its conversations until the budget is spent.
    Returns every message's sample and the run's wall-clock seconds."""
    run_id = uuid.uuid4().hex[:8]  # conversation ids of this run only, even against a shared store
    samples: List[Sample] = []
    lock = threading.Lock()

    def customer(number: int) -> None:
        for conversation, script in enumerate(scripts_for(number, seed)):
            sender = f"bench-{run_id}-{number}-{conversation}"
            for turn in script.turns:
                if not budget.take():
                    return
                sample = timed(transport, sender, turn)
                with lock:
                    samples.append(sample)
                on_sample(sample)

    threads = [threading.Thread(target=customer, args=(number,), daemon=True) for number in range(customers)]
    started = time.perf_counter()
    budget.start()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return samples, time.perf_counter() - started


def run_growth(
    transport: Transport, turns: int, on_sample: Callable[[Sample], None] = lambda sample: None
) -> List[Sample]:
    """One conversation of `turns` messages, in order; one sample per turn."""
    sender = f"bench-growth-{uuid.uuid4().hex[:8]}"
    samples = []
    for turn in growth_turns(turns):
        samples.append(timed(transport, sender, turn))
        on_sample(samples[-1])
    return samples


def timed(transport: Transport, sender: str, turn: Turn) -> Sample:
    started = time.perf_counter()
    outcome = transport(sender, turn)
    return Sample(turn.kind, time.perf_counter() - started, outcome.answered, outcome.error)


def _json(response: requests.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None

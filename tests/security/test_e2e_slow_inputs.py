"""One client's pathological message does not make other customers wait.

The one timing check in the suite, because it is the promise itself: while the worst-shaped
message the channels accept is being handled, a normal customer is answered in under a second.
`candor bench-inputs` prints how long each shape takes on its own.
"""

from __future__ import annotations

import threading
import time
import uuid
from typing import Callable, Dict

import pytest
import requests
from requests.adapters import HTTPAdapter

from tests.running import Candor, Chat

PATHOLOGICAL = {
    "20,000 emoji": "😀" * 20_000,
    "20,000 letters without a space": "a" * 20_000,
    "20,000 characters of postcodes": ("AB1 2CD " * 2_500)[:20_000],
    "20,000 characters of digits and dots": ("07700.900123." * 1_600)[:20_000],
}
# A normal request takes 0.2-0.3 s beside a pathological one (printed in the run's summary; `candor
# bench-inputs` measures the cost of such input). The bound is looser, because `make test` shares two
# cores between the servers and the other test process: it tells "served beside it" from "queued
# behind it" (the original finding held a server for 40 s), not fast from slow.
NORMAL_SECONDS = 2.0


class FromAddress(HTTPAdapter):
    """Connections from another loopback address: another client, as far as the server can tell."""

    def __init__(self, address: str) -> None:
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        kwargs["source_address"] = (self.address, 0)
        return super().init_poolmanager(*args, **kwargs)


def client_at(address: str) -> requests.Session:
    session = requests.Session()
    session.mount("http://", FromAddress(address))
    return session


@pytest.mark.parametrize("shape", PATHOLOGICAL)
def test_a_normal_customer_is_served_beside_a_pathological_message_not_after_it(
    candor: Candor, chat: Chat, shape: str, measured: Callable[..., None]
) -> None:
    message = PATHOLOGICAL[shape]
    chat.say("hello")  # the normal customer's conversation exists already
    outcome: Dict[str, float] = {}

    def send_pathological() -> None:
        started = time.monotonic()
        response = requests.post(
            f"{candor.url}/webhooks/rest/webhook", json={"sender": f"slow-{uuid.uuid4().hex}", "message": message}, timeout=300
        )
        outcome["status"], outcome["seconds"] = response.status_code, time.monotonic() - started

    slow = threading.Thread(target=send_pathological)
    slow.start()
    time.sleep(0.15)  # the pathological message is in hand
    started = time.monotonic()
    replies = chat.say("how long does delivery take?")
    normal_seconds = time.monotonic() - started
    health_started = time.monotonic()
    requests.get(f"{candor.url}/", timeout=60)
    health_seconds = time.monotonic() - health_started
    slow.join()
    measured(
        f"Slow input, {shape}: handled in {outcome['seconds']:.2f} s; meanwhile a normal request took "
        f"{normal_seconds * 1000:.0f} ms and a health check {health_seconds * 1000:.0f} ms"
    )

    assert replies
    assert outcome["status"] == 200, "the pathological message is answered too"
    assert normal_seconds < NORMAL_SECONDS, f"a normal request took {normal_seconds:.2f} s (pathological: {outcome['seconds']:.2f} s)"
    assert health_seconds < NORMAL_SECONDS


def test_one_client_cannot_occupy_the_server_with_many_slow_messages_at_once(candor: Candor, chat: Chat) -> None:
    """Over its concurrency limit a client is turned away at once, so other clients are served."""
    chat.say("hello")
    statuses: list = []
    lock = threading.Lock()

    flooder = client_at("127.0.0.7")

    def send() -> None:
        response = flooder.post(
            f"{candor.url}/webhooks/rest/webhook",
            json={"sender": f"flood-{uuid.uuid4().hex}", "message": PATHOLOGICAL["20,000 characters of postcodes"]},
            timeout=300,
        )
        with lock:
            statuses.append((response.status_code, response.headers.get("Retry-After")))

    flood = [threading.Thread(target=send) for _ in range(12)]
    for thread in flood:
        thread.start()
    time.sleep(0.2)
    started = time.monotonic()
    chat.say("how long does delivery take?")
    normal_seconds = time.monotonic() - started
    for thread in flood:
        thread.join()

    refused = [retry for status, retry in statuses if status == 429]
    assert refused and all(retry and int(retry) >= 1 for retry in refused), statuses
    # Served beside the flood, not after it: the twelve flood messages, one after another, would
    # take over ten seconds (each about a second). A busy machine may slow it (4.6 s once, with a
    # model training beside the test run), so the bound is set halfway to queued behind.
    assert normal_seconds < 3 * NORMAL_SECONDS

"""Customers keep being served while hostile clients push pathological and malformed requests.

Several ordinary customers (each from its own loopback address, so the server sees separate
clients) hold conversations for `CANDOR_LOAD_SECONDS` (15 in `make test`; `make security-soak`
runs it for minutes) while two hostile clients flood the server. The run stops by itself, prints
the customers' latencies, and fails on any 5xx or any customer request that was not answered.
"""

from __future__ import annotations

import collections
import os
import statistics
import threading
import time
import uuid
from typing import Callable, Dict, List

import requests

from tests.running import Candor
from tests.security.test_e2e_slow_inputs import PATHOLOGICAL, client_at

SECONDS = float(os.environ.get("CANDOR_LOAD_SECONDS", "15"))
CUSTOMERS = 6
CONVERSATION = ["hello", "where is my order 104502", "ada.thornbury@example.com", "how long does delivery take?", "thanks"]
HOSTILE = [
    ("application/json", lambda: b'{"sender": "%s", "message": "%s"}' % (uuid.uuid4().hex.encode(), PATHOLOGICAL["20,000 characters of postcodes"].encode())),
    ("application/json", lambda: '{"sender": "x-\\ud800", "message": "hi"}'.encode()),
    ("text/plain", lambda: b'{"sender": "csrf", "message": "cancel order 104501"}'),
    ("application/json", lambda: b'{"sender": "%s", "message": "hi", "metadata": {"pad": "%s"}}' % (uuid.uuid4().hex.encode(), b"x" * 200_000)),
]


def test_customers_are_served_while_hostile_clients_flood_the_server(candor: Candor, measured: Callable[..., None]) -> None:
    deadline = time.monotonic() + SECONDS
    latencies: List[float] = []
    statuses: Dict[str, collections.Counter] = {"customers": collections.Counter(), "hostile": collections.Counter()}
    lock = threading.Lock()

    def customer(number: int) -> None:
        session = client_at(f"127.0.0.{20 + number}")
        while time.monotonic() < deadline:
            sender, secret = f"load-{uuid.uuid4().hex}", None
            for message in CONVERSATION:
                started = time.monotonic()
                headers = {"Candor-Session-Secret": secret} if secret else {}
                reply = session.post(f"{candor.url}/webhooks/rest/webhook", json={"sender": sender, "message": message}, headers=headers, timeout=120)
                secret = reply.headers.get("Candor-Session-Secret") or secret
                with lock:
                    latencies.append(time.monotonic() - started)
                    statuses["customers"][reply.status_code] += 1

    def hostile(number: int) -> None:
        session = client_at(f"127.0.0.{60 + number}")
        while time.monotonic() < deadline:
            for content_type, body in HOSTILE:
                reply = session.post(f"{candor.url}/webhooks/rest/webhook", data=body(), headers={"Content-Type": content_type}, timeout=120)
                with lock:
                    statuses["hostile"][reply.status_code] += 1

    threads = [threading.Thread(target=customer, args=(n,)) for n in range(CUSTOMERS)] + [threading.Thread(target=hostile, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    ordered = sorted(latencies)
    summary = (
        f"Load run: {SECONDS:g} s, {CUSTOMERS} customers, {len(ordered)} customer requests "
        f"(p50 {statistics.median(ordered) * 1000:.0f} ms, p95 {ordered[int(0.95 * (len(ordered) - 1))] * 1000:.0f} ms, "
        f"max {ordered[-1] * 1000:.0f} ms); statuses {dict(statuses['customers'])}; hostile {dict(statuses['hostile'])}"
    )
    measured(summary)
    assert set(statuses["customers"]) == {200}, summary
    assert not any(status >= 500 for status in statuses["hostile"]), summary
    assert requests.get(f"{candor.url}/", timeout=30).status_code == 200

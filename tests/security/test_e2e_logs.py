"""No customer text reaches the servers' logs: not in warnings, not in errors, not in ids.

Customers type personal details in every shape (plain, as a button payload Rasa cannot parse, in
an id, in a message that fails), and then both servers' logs are read whole.
"""

from __future__ import annotations

import uuid

import requests

from tests.running import Candor, Chat

TYPED = {
    "email": "lowenna.trevithick@example.net",
    "postcode": "TR19 7AA",
    "phone": "07700 900461",
    "name": "Lowenna Trevithick",
    "street": "42 Chapel Street",
    "customer number": "C10008",
}


def test_what_customers_type_never_appears_in_the_logs(candor: Candor, chat: Chat) -> None:
    chat.say("hello")
    chat.say(f"I'm {TYPED['name']}, {TYPED['email']}, {TYPED['phone']}")
    chat.say(f"please send it to {TYPED['street']}, {TYPED['postcode']}")
    # Button payloads Rasa cannot read: it used to quote them in its warnings.
    for payload in (
        '/identify{"customer_number": "%s", "pc": "%s"' % (TYPED["customer number"], TYPED["postcode"]),
        '/nosuchintent{"customer_number": "%s"}' % TYPED["customer number"],
        '/identify{"postcode": "%s"}' % TYPED["postcode"],
    ):
        assert chat.post(payload).status_code == 200
    # Personal details as ids, and requests that fail their checks.
    candor.rest(TYPED["email"], f"my email is {TYPED['email']}")
    requests.post(f"{candor.url}/webhooks/rest/webhook", json={"sender": f"{TYPED['phone']}\ud800", "message": TYPED["email"]}, timeout=30)
    requests.post(
        f"{candor.url}/webhooks/voice/webhook", json={"sender": f"v-{uuid.uuid4().hex}", "text": f"my postcode is {TYPED['postcode']}"}, timeout=60
    )

    logs = {path.name: path.read_text(encoding="utf-8", errors="replace") for path in candor.log_dir.glob("*.log")}

    assert set(logs) >= {"rasa.log", "actions.log"}
    for name, text in logs.items():
        leaked = [kind for kind, value in TYPED.items() if value in text]
        assert not leaked, f"{name} holds what a customer typed: {leaked}"

"""A bounded fuzz run across every route: whatever arrives, no 5xx, and the server keeps answering.

Hypothesis generates bodies, ids, headers and content types for each route of the running
assistant (the customer channels, the agent console with and without its token, Rasa's HTTP API,
socket.io). `make test` runs about 1,500 cases; `make security-soak` runs many more
(`CANDOR_FUZZ_EXAMPLES` per route). Every case and its status is counted, and the counts are
printed at the end, so the run says how much was tried.
"""

from __future__ import annotations

import base64
import collections
import json
import os
import time
import uuid
from typing import Any, Callable, Dict, Iterator, Optional

import pytest
import requests
import socketio
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.running import AGENT_TOKEN, Candor, OneCandorAtATime, embedded_configuration

EXAMPLES = int(os.environ.get("CANDOR_FUZZ_EXAMPLES", "150"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck), database=None)
TALLY: Dict[str, collections.Counter] = collections.defaultdict(collections.Counter)

# Text as customers and attackers send it: any code point, lone surrogates included, often short.
text = st.text(alphabet=st.characters(blacklist_categories=()), max_size=300)
identifiers = st.one_of(text, st.from_regex(r"[A-Za-z0-9_-]{1,140}", fullmatch=True), st.just("x"), st.just("../../etc/passwd"))
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | text,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(text, children, max_size=4),
    max_leaves=20,
)
metadata = st.one_of(json_values, st.fixed_dictionaries({"accessibility": st.fixed_dictionaries({"mode": st.sampled_from(["plain", "screen_reader", "standard", "large"])})}))
content_types = st.one_of(
    st.just("application/json"),  # most cases get past the door, so the assistant itself is fuzzed too
    st.sampled_from(["application/json; charset=utf-8", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", ""]),
)
# Ids every channel accepts (the web channel wants 16 or more characters).
valid_senders = st.from_regex(r"[A-Za-z0-9_-]{16,64}", fullmatch=True)


def message_bodies(text_field: str) -> st.SearchStrategy[Any]:
    """A channel's message: well formed with any text in it, or with fields missing, odd or hostile,
    or any JSON at all."""
    return st.one_of(well_formed(text_field), malformed(text_field), json_values)


def well_formed(text_field: str) -> st.SearchStrategy[Dict[str, Any]]:
    return st.fixed_dictionaries({"sender": valid_senders, text_field: text}, optional={"metadata": metadata})


def malformed(text_field: str) -> st.SearchStrategy[Dict[str, Any]]:
    return st.fixed_dictionaries(
        {},
        optional={
            "sender": st.one_of(identifiers, json_values),
            text_field: st.one_of(text, json_values),
            "metadata": metadata,
            "message_id": st.one_of(identifiers, json_values),
            "input_channel": st.one_of(st.sampled_from(["rest", "web", "socketio", "voice"]), json_values),
        },
    )


def encoded(body: Any) -> bytes:
    return json.dumps(body, ensure_ascii=True).encode("ascii")


def sendable_in_a_header(value: str) -> bool:
    """What an HTTP client can put in a header at all (the server never sees anything else)."""
    return value.isascii() and value.isprintable() and value == value.strip()


def in_query(values: Dict[str, str]) -> Dict[str, bytes]:
    """Generated query values as bytes, so lone surrogates go out percent-encoded, as a raw client sends them."""
    return {name: value.encode("utf-8", "surrogatepass") for name, value in values.items()}


def in_path(value: str) -> str:
    """A generated value as one percent-encoded path segment, lone surrogates and all."""
    return requests.utils.quote(value.encode("utf-8", "surrogatepass"), safe="")


@pytest.fixture(scope="module")
def http(running: OneCandorAtATime, measured: Callable[..., None]) -> Iterator[Callable[..., requests.Response]]:
    candor = running.get("embedded", embedded_configuration(running.folder))
    session = requests.Session()

    def call(route: str, method: str, path: str, **kwargs: Any) -> requests.Response:
        response = session.request(method, f"{candor.url}{path}", timeout=120, **kwargs)
        TALLY[route][response.status_code] += 1
        assert response.status_code < 500, f"{method} {path} answered {response.status_code}: {response.text[:200]}"
        return response

    yield call
    session.close()
    total = sum(sum(counts.values()) for counts in TALLY.values())
    measured(
        f"Fuzz run: {total} HTTP cases across {len(TALLY)} routes, none answered 5xx; by status:",
        *(f"  {route}: {dict(sorted(counts.items()))}" for route, counts in sorted(TALLY.items())),
    )


@FUZZ
@given(body=message_bodies("message"), content_type=content_types, secret=st.one_of(st.none(), st.none(), text))
def test_rest_webhook(http, body: Any, content_type: str, secret: Optional[str]) -> None:
    headers = {"Content-Type": content_type}
    if secret and sendable_in_a_header(secret):
        headers["Candor-Session-Secret"] = secret
    http("POST rest/webhook", "POST", "/webhooks/rest/webhook", data=encoded(body), headers=headers)


@FUZZ
@given(body=message_bodies("message"), content_type=content_types)
def test_web_webhook(http, body: Any, content_type: str) -> None:
    http("POST web/webhook", "POST", "/webhooks/web/webhook", data=encoded(body), headers={"Content-Type": content_type})


@FUZZ
@given(sender=identifiers, secret=st.one_of(st.none(), text))
def test_web_event_stream(http, sender: str, secret: Optional[str]) -> None:
    params = in_query({"session_secret": secret}) if secret is not None else {}
    quoted = in_path(sender)
    if not quoted:
        return
    response = http("GET web/events", "GET", f"/webhooks/web/events/{quoted}", params=params, stream=True)
    assert response.status_code in (400, 403, 404, 429), "no stream opens without a conversation's own secret"
    response.close()


@FUZZ
@given(
    body=st.one_of(
        message_bodies("text"),
        st.fixed_dictionaries({"sender": valid_senders, "audio": st.one_of(text, st.binary(max_size=2_000).map(lambda raw: base64.b64encode(raw).decode()))}),
    ),
    content_type=content_types,
)
def test_voice_webhook(http, body: Any, content_type: str) -> None:
    http("POST voice/webhook", "POST", "/webhooks/voice/webhook", data=encoded(body), headers={"Content-Type": content_type})


@FUZZ
@given(
    form=st.dictionaries(st.sampled_from(["CallSid", "SpeechResult", "From", "Digits", "x"]), text, max_size=4),
    content_type=st.one_of(st.just("application/x-www-form-urlencoded"), content_types),
)
def test_voice_call_webhook(http, form: Dict[str, str], content_type: str) -> None:
    body = requests.models.RequestEncodingMixin._encode_params({k: v.encode("utf-8", "surrogatepass") for k, v in form.items()})
    http("POST voice/twilio", "POST", "/webhooks/voice/twilio", data=body, headers={"Content-Type": content_type})


@FUZZ
@given(name=identifiers, query=st.dictionaries(st.sampled_from(["c", "e", "s"]), identifiers, max_size=3))
def test_voice_audio(http, name: str, query: Dict[str, str]) -> None:
    quoted = in_path(name)
    if quoted:
        http("GET voice/audio", "GET", f"/webhooks/voice/audio/{quoted}", params=in_query(query))


@FUZZ
@given(
    verb=st.sampled_from(["take", "reply", "hand-back", ""]),
    conversation=identifiers,
    body=json_values,
    token=st.one_of(st.just(AGENT_TOKEN), text),
    agent=st.one_of(st.just("Sam"), text),
)
def test_agent_console(http, verb: str, conversation: str, body: Any, token: str, agent: str) -> None:
    quoted = in_path(conversation)
    if not quoted:
        return
    headers = {"Content-Type": "application/json"}
    for name, value in (("Authorization", f"Bearer {token}"), ("X-Candor-Agent", agent)):
        if sendable_in_a_header(value):
            headers[name] = value
    method, path = ("GET", f"/webhooks/agent/conversations/{quoted}") if not verb else ("POST", f"/webhooks/agent/conversations/{quoted}/{verb}")
    http(f"{method} agent/conversations", method, path, data=encoded(body), headers=headers)


@FUZZ
@given(
    path=st.sampled_from(["/status", "/version", "/domain", "/conversations/{id}/tracker", "/conversations/{id}/story", "/model/parse"]),
    conversation=identifiers,
    token=st.one_of(st.none(), text),
    bearer=st.booleans(),
    body=json_values,
)
def test_rasa_http_api(http, candor: Candor, path: str, conversation: str, token: Optional[str], bearer: bool, body: Any) -> None:
    quoted = in_path(conversation)
    if not quoted:
        return
    kwargs: Dict[str, Any] = {}
    if token is not None and bearer and sendable_in_a_header(token):
        kwargs["headers"] = {"Authorization": f"Bearer {token}"}
    elif token is not None:
        kwargs["params"] = in_query({"token": token})
    method = "POST" if path == "/model/parse" else "GET"
    if method == "POST":
        kwargs["data"] = encoded({"text": body if isinstance(body, str) else json.dumps(body)})
        kwargs.setdefault("params", {"token": candor.token})
    http(f"{method} api{path}", method, path.replace("{id}", quoted), **kwargs)


@FUZZ
@given(
    events=st.lists(
        st.tuples(
            st.sampled_from(["session_request", "user_uttered", "x"]),
            st.one_of(message_bodies("message"), st.fixed_dictionaries({"session_id": identifiers, "session_secret": text})),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_socketio_events(candor: Candor, events: list) -> None:
    client = socketio.Client()
    client.connect(candor.url, transports=["polling"], socketio_path="socket.io")
    try:
        for name, data in events:
            client.emit(name, data)
            TALLY["socketio events sent"]["sent"] += 1
        client.sleep(0.05)
    finally:
        client.disconnect()


def test_the_server_still_answers_after_the_fuzz_run(candor: Candor) -> None:
    """Once the fuzz's last socket.io messages are handled (until then this address is over its
    limit of requests in hand, and told when to come back), a new customer is answered as usual."""
    assert requests.get(f"{candor.url}/", timeout=30).status_code == 200
    deadline = time.monotonic() + 120
    reply = candor.rest(f"after-fuzz-{uuid.uuid4().hex}", "hello")
    while reply.status_code == 429 and time.monotonic() < deadline:
        time.sleep(int(reply.headers["Retry-After"]))
        reply = candor.rest(f"after-fuzz-{uuid.uuid4().hex}", "hello")
    assert reply.status_code == 200 and reply.json()[0]["text"].startswith("Hello")

"""One client cannot make everyone else wait, and every route gets the server's protections.

In process: the limiter with a clock the test moves, and the guard on a Sanic app of its own with
the channels registered as the Rasa server registers them.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import uuid
from typing import Any, Dict, List

import pytest
from rasa.core.channels.channel import register
from sanic import Sanic, response

from bot.channels import limits
from bot.channels.guard import DEFAULT_CONTENT_POLICY, RequestGuard, protect_server
from bot.channels.limits import ClientLimiter, RateLimits
from bot.channels.rest import INTEGRATION_NAMESPACE, ValidatingRestInput
from bot.ownership import SECRET_HEADER, conversation_id
from tests.channels.conftest import InProcessClient, StandInAssistant


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_client_over_its_burst_waits_for_its_rate_and_others_do_not() -> None:
    clock = Clock()
    limiter = ClientLimiter(RateLimits(requests_per_minute=60, burst=3, concurrent=10), clock=clock)

    admitted = [limiter.admit("203.0.113.9", hold=False) for _ in range(4)]
    other = limiter.admit("198.51.100.4", hold=False)
    clock.now += 1.0
    later = limiter.admit("203.0.113.9", hold=False)

    assert admitted[:3] == [None, None, None]
    assert admitted[3] == pytest.approx(1.0), "one request a second: wait a second"
    assert other is None and later is None


def test_a_long_message_costs_more_of_the_rate_than_a_short_one() -> None:
    limits = RateLimits(requests_per_minute=60, burst=30, concurrent=10, bytes_per_token=2_000)
    limiter = ClientLimiter(limits, clock=Clock())

    long_messages = [limiter.admit("203.0.113.9", hold=False, cost=limits.cost(20_000)) for _ in range(3)]
    short_messages = [limiter.admit("198.51.100.4", hold=False, cost=limits.cost(60)) for _ in range(3)]

    assert (limits.cost(60), limits.cost(20_000), limits.cost(2_000_000)) == (1.0, 11.0, 30.0), "never more than a bucket"
    assert long_messages[:2] == [None, None] and long_messages[2] == pytest.approx(3.0)
    assert short_messages == [None, None, None]


def test_a_client_with_too_many_requests_in_hand_is_turned_away_until_one_ends() -> None:
    limiter = ClientLimiter(RateLimits(requests_per_minute=6000, burst=100, concurrent=2), clock=Clock())

    first, second, third = (limiter.admit("203.0.113.9") for _ in range(3))
    limiter.release("203.0.113.9")
    fourth = limiter.admit("203.0.113.9")

    assert (first, second, fourth) == (None, None, None)
    assert third == 1.0


def rest_app(guarded: bool = True) -> tuple:
    app = Sanic(f"candor_guard_test_{uuid.uuid4().hex}")
    assistant = StandInAssistant()
    app.ctx.agent = assistant
    channels: List[Any] = [ValidatingRestInput()]
    if guarded:
        channels.append(RequestGuard(RateLimits(requests_per_minute=60, burst=2, concurrent=4), max_body_bytes=10_000))

    @app.get("/status")
    async def status(request: Any) -> Any:
        return response.json({"token": request.args.get("token")})

    register(channels, app, route="/webhooks/")
    return app, assistant


def run(app: Sanic, scenario: Any) -> Any:
    async def main() -> Any:
        client = InProcessClient(app)
        await client.start()
        try:
            return await scenario(client)
        finally:
            await client.stop()

    return asyncio.run(main())


def test_over_its_rate_a_client_gets_a_429_with_retry_after_and_the_assistant_never_sees_it(
    monkeypatch: pytest.MonkeyPatch, conversation_keys: str
) -> None:
    monkeypatch.setattr(limits, "LIMITER", ClientLimiter())
    app, assistant = rest_app()

    async def scenario(client: InProcessClient) -> list:
        return [await client.post_json("/webhooks/rest/webhook", {"sender": f"c-{n}", "message": "hi"}) for n in range(3)]

    replies = run(app, scenario)

    assert [reply.status for reply in replies] == [200, 200, 429]
    assert int(replies[2].headers["retry-after"]) >= 1
    assert "try again" in replies[2].json()["error"]
    assert len(assistant.received) == 2


def test_every_answer_carries_the_security_headers(monkeypatch: pytest.MonkeyPatch, conversation_keys: str) -> None:
    monkeypatch.setattr(limits, "LIMITER", ClientLimiter())
    app, _ = rest_app()

    async def scenario(client: InProcessClient) -> list:
        return [
            await client.post_json("/webhooks/rest/webhook", {"sender": "c-1", "message": "hi"}),
            await client.request("GET", "/no-such-route"),
        ]

    answer, missing = run(app, scenario)

    for reply in (answer, missing):
        assert reply.headers["x-content-type-options"] == "nosniff"
        assert reply.headers["referrer-policy"] == "no-referrer"
        assert reply.headers["content-security-policy"] == DEFAULT_CONTENT_POLICY
        assert reply.headers["x-frame-options"] == "DENY"
    assert answer.headers["cache-control"] == "no-store"
    assert SECRET_HEADER in answer.headers["access-control-expose-headers"]


def test_the_api_token_is_checked_before_rasa_sees_it_and_taken_as_a_bearer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CANDOR_API_TOKEN", "the-right-token")
    app, _ = rest_app()

    async def scenario(client: InProcessClient) -> list:
        return [
            await client.request("GET", "/status", headers={"authorization": "Bearer the-right-token"}),
            await client.request("GET", "/status", headers={"authorization": "Bearer the-wrong-token"}),
            await client.request("GET", "/status?token=the-wrong-token"),
        ]

    compared: List[bytes] = []
    real_compare = hmac.compare_digest

    def spy(given: bytes, expected: bytes) -> bool:
        compared.append(given)
        return real_compare(given, expected)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    bearer, wrong_bearer, wrong_query = run(app, scenario)

    assert bearer.status == 200 and bearer.json() == {"token": "the-right-token"}, "handed to Rasa as ?token="
    assert (wrong_bearer.status, wrong_query.status) == (401, 401)
    assert compared == [b"the-right-token", b"the-wrong-token", b"the-wrong-token"], "compared in constant time, every time"


def test_the_server_refuses_bodies_over_its_limit() -> None:
    app, _ = rest_app()
    protect_server(app, RateLimits(), max_body_bytes=1234)

    assert app.config.REQUEST_MAX_SIZE == 1234


def test_an_integration_holds_its_own_conversations_with_its_token(monkeypatch: pytest.MonkeyPatch, conversation_keys: str) -> None:
    monkeypatch.setenv("CANDOR_INTEGRATION_TOKEN", "integration-token-0123456789")
    monkeypatch.setattr(limits, "LIMITER", ClientLimiter(RateLimits(requests_per_minute=1e6, burst=10**6, concurrent=100)))
    app, assistant = rest_app(guarded=False)

    async def scenario(client: InProcessClient) -> Dict[str, Any]:
        body = {"sender": "user-42", "message": "hi"}
        return {
            "without": await client.post_json("/webhooks/rest/webhook", body),
            "wrong": await client.post_json("/webhooks/rest/webhook", body, {"authorization": "Bearer nope"}),
            "first": await client.post_json("/webhooks/rest/webhook", body, {"authorization": "Bearer integration-token-0123456789"}),
            "again": await client.post_json("/webhooks/rest/webhook", body, {"authorization": "Bearer integration-token-0123456789"}),
        }

    replies = run(app, scenario)

    assert (replies["without"].status, replies["wrong"].status) == (401, 401)
    assert (replies["first"].status, replies["again"].status) == (200, 200)
    assert SECRET_HEADER.lower() not in replies["first"].headers, "no session secrets in integration mode"
    assert {message.sender_id for message in assistant.received} == {conversation_id(INTEGRATION_NAMESPACE, "user-42")}


def test_a_rest_conversation_answers_only_its_secret(monkeypatch: pytest.MonkeyPatch, conversation_keys: str) -> None:
    monkeypatch.setattr(limits, "LIMITER", ClientLimiter(RateLimits(requests_per_minute=1e6, burst=10**6, concurrent=100)))
    app, assistant = rest_app(guarded=False)

    async def scenario(client: InProcessClient) -> list:
        body = {"sender": "me", "message": "hi"}
        first = await client.post_json("/webhooks/rest/webhook", body)
        secret = first.headers[SECRET_HEADER.lower()]
        return [
            first,
            await client.post_json("/webhooks/rest/webhook", body, {SECRET_HEADER: secret}),
            await client.post_json("/webhooks/rest/webhook", body),
            await client.post_json("/webhooks/rest/webhook", body, {SECRET_HEADER: secret[:-2] + "xx"}),
        ]

    first, again, without, wrong = run(app, scenario)

    assert (first.status, again.status, without.status, wrong.status) == (200, 200, 403, 403)
    assert len(assistant.received) == 2
    assert json.loads(without.body)["error"].startswith("this conversation has already started")

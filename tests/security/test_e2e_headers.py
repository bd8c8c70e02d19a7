"""What a browser is told about every page and answer, who may open socket.io, how the API token is
checked, and that a customer's text never becomes markup."""

from __future__ import annotations

import uuid

import pytest
import requests
import socketio

from tests.running import Candor, Chat

PAGES = ["/webhooks/web/", "/webhooks/agent/", "/webhooks/web/widget.js", "/webhooks/web/notice", "/", "/no-such-page"]


@pytest.mark.parametrize("path", PAGES)
def test_every_response_forbids_sniffing_framing_and_referrers(candor: Candor, path: str) -> None:
    headers = requests.get(f"{candor.url}{path}", timeout=30).headers

    assert headers.get("X-Content-Type-Options") == "nosniff"
    assert headers.get("Referrer-Policy") == "no-referrer"
    assert "frame-ancestors 'none'" in headers.get("Content-Security-Policy", "")


@pytest.mark.parametrize("path", ["/webhooks/web/", "/webhooks/agent/"])
def test_pages_run_only_their_own_scripts(candor: Candor, path: str) -> None:
    policy = requests.get(f"{candor.url}{path}", timeout=30).headers["Content-Security-Policy"]
    page = requests.get(f"{candor.url}{path}", timeout=30).text

    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "<script>" not in page and "<style>" not in page, "no inline code the policy would have to allow"


def test_the_agent_consoles_script_and_styles_are_served_beside_it(candor: Candor) -> None:
    script = requests.get(f"{candor.url}/webhooks/agent/console.js", timeout=30)
    styles = requests.get(f"{candor.url}/webhooks/agent/console.css", timeout=30)

    assert script.status_code == 200 and script.headers["content-type"].startswith("text/javascript")
    assert styles.status_code == 200 and styles.headers["content-type"].startswith("text/css")


def test_a_customers_conversation_is_never_cached(chat: Chat) -> None:
    assert chat.post("hello").headers.get("Cache-Control") == "no-store"


def test_socketio_refuses_a_browser_from_another_site(candor: Candor) -> None:
    stranger = socketio.Client()
    with pytest.raises(socketio.exceptions.ConnectionError):
        stranger.connect(candor.url, transports=["polling"], socketio_path="socket.io", headers={"Origin": "https://evil.example"})

    own = socketio.Client()
    own.connect(candor.url, transports=["polling"], socketio_path="socket.io", headers={"Origin": candor.url})
    own.disconnect()


def test_the_api_token_is_accepted_as_a_bearer_token(candor: Candor) -> None:
    status = requests.get(f"{candor.url}/status", headers={"Authorization": f"Bearer {candor.token}"}, timeout=30)

    assert status.status_code == 200


@pytest.mark.parametrize("how", ["query", "bearer"])
def test_a_wrong_api_token_is_refused(candor: Candor, how: str) -> None:
    wrong = candor.token[:-1] + ("x" if candor.token[-1] != "x" else "y")
    kwargs = {"params": {"token": wrong}} if how == "query" else {"headers": {"Authorization": f"Bearer {wrong}"}}

    assert requests.get(f"{candor.url}/status", timeout=30, **kwargs).status_code == 401


def test_a_link_in_what_the_customer_typed_is_quoted_back_as_text(chat: Chat) -> None:
    chat.say("where is my order")
    answer = chat.say_text("[click here](https://evil.example/login)")

    assert "evil.example" in answer, "what was typed is quoted back..."
    assert "](" not in answer and "[click" not in answer, "...but never as a link"


def test_the_http_api_is_not_reachable_without_the_token(candor: Candor) -> None:
    conversation = f"rest-{uuid.uuid4().hex}"
    for method, path in [("GET", "/status"), ("GET", f"/conversations/{conversation}/tracker"), ("DELETE", "/model")]:
        assert requests.request(method, f"{candor.url}{path}", timeout=30).status_code == 401

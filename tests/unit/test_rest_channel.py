"""The REST channel tells a client exactly what is wrong with a request."""

from __future__ import annotations

import json

import pytest
from sanic.exceptions import InvalidUsage

from bot.channels.rest import MessageLimits, RequestProblem, ValidatingRestInput, checked_request

LIMITS = MessageLimits(max_characters=100)


class FakeRequest:
    def __init__(self, body: object, content_type: str = "application/json") -> None:
        self._body = body
        self.headers = {"content-type": content_type}

    @property
    def json(self) -> object:
        if isinstance(self._body, bytes):
            try:
                return json.loads(self._body)
            except ValueError:
                raise InvalidUsage("Failed when parsing body as json") from None
        return self._body


def test_a_good_request_passes_with_its_fields() -> None:
    fields = checked_request(FakeRequest({"sender": "c1", "message": "hi", "metadata": {"a": 1}}), LIMITS)

    assert fields == {"sender": "c1", "message": "hi", "metadata": {"a": 1}, "input_channel": None}


@pytest.mark.parametrize(
    "body, problem",
    [
        (b"{not json", "not valid JSON"),
        ([1, 2], "JSON object"),
        ({"message": "hi"}, '"sender" is required'),
        ({"sender": "x" * 129, "message": "hi"}, "longer than 128"),
        ({"sender": "c1"}, '"message" is required'),
        ({"sender": "c1", "message": "x" * 101}, "longer than 100"),
        ({"sender": "c1", "message": "hi", "metadata": []}, '"metadata"'),
        ({"sender": "c1", "message": "hi", "input_channel": 3}, '"input_channel"'),
    ],
)
def test_a_bad_request_is_refused_with_a_reason(body: object, problem: str) -> None:
    with pytest.raises(RequestProblem, match=problem):
        checked_request(FakeRequest(body), LIMITS)


def test_an_empty_message_is_allowed_so_the_assistant_can_answer_it() -> None:
    assert checked_request(FakeRequest({"sender": "c1", "message": ""}), LIMITS)["message"] == ""


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data", ""])
def test_a_body_that_is_not_declared_json_is_refused_with_a_415(content_type: str) -> None:
    """A browser posts `text/plain` cross-site without asking first; only JSON is taken."""
    with pytest.raises(RequestProblem, match="application/json") as refused:
        checked_request(FakeRequest({"sender": "c1", "message": "hi"}, content_type), LIMITS)

    assert refused.value.status == 415


@pytest.mark.parametrize(
    "body, problem",
    [
        ({"sender": "x-\ud800-y", "message": "hi"}, '"sender" is not valid Unicode'),
        ({"sender": "c1", "message": "a \udfff b"}, '"message" is not valid Unicode'),
        ({"sender": "c1", "message": "hi", "metadata": {"k": "\ud800"}}, "a value in \"metadata\" is not valid Unicode"),
        ({"sender": "c1", "message": "hi", "metadata": {"\ud800": 1}}, "a key in \"metadata\" is not valid Unicode"),
        ({"sender": "line\nbreak", "message": "hi"}, '"sender" holds a control character'),
    ],
)
def test_text_no_database_could_store_is_refused(body: object, problem: str) -> None:
    with pytest.raises(RequestProblem, match=problem):
        checked_request(FakeRequest(body), LIMITS)


def test_metadata_is_bounded_in_size_and_depth() -> None:
    small = MessageLimits(max_characters=100, max_metadata_bytes=200, max_metadata_depth=3)
    with pytest.raises(RequestProblem, match="at most 200 are accepted") as too_big:
        checked_request(FakeRequest({"sender": "c1", "message": "hi", "metadata": {"a": "x" * 300}}), small)
    assert too_big.value.status == 413
    with pytest.raises(RequestProblem, match="nested too deeply"):
        checked_request(FakeRequest({"sender": "c1", "message": "hi", "metadata": {"a": {"b": {"c": {}}}}}), small)


def test_control_characters_are_dropped_from_a_message_not_refused() -> None:
    assert checked_request(FakeRequest({"sender": "c1", "message": "hello\x00\x07 there\n"}), LIMITS)["message"] == "hello there\n"


def test_the_limit_can_be_set_in_credentials() -> None:
    assert ValidatingRestInput.from_credentials({"max_message_characters": 500}).max_characters == 500
    assert ValidatingRestInput.from_credentials(None).max_characters == 20_000
    assert ValidatingRestInput.name() == "rest"

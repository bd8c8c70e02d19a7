"""The REST channel tells a client exactly what is wrong with a request."""

from __future__ import annotations

import json

import pytest
from sanic.exceptions import InvalidUsage

from bot.channels.rest import RequestProblem, ValidatingRestInput, checked_request


class FakeRequest:
    def __init__(self, body: object) -> None:
        self._body = body

    @property
    def json(self) -> object:
        if isinstance(self._body, bytes):
            try:
                return json.loads(self._body)
            except ValueError:
                raise InvalidUsage("Failed when parsing body as json") from None
        return self._body


def test_a_good_request_passes_with_its_fields() -> None:
    fields = checked_request(FakeRequest({"sender": "c1", "message": "hi", "metadata": {"a": 1}}), 100)

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
        checked_request(FakeRequest(body), 100)


def test_an_empty_message_is_allowed_so_the_assistant_can_answer_it() -> None:
    assert checked_request(FakeRequest({"sender": "c1", "message": ""}), 100)["message"] == ""


def test_the_limit_can_be_set_in_credentials() -> None:
    assert ValidatingRestInput.from_credentials({"max_message_characters": 500}).max_characters == 500
    assert ValidatingRestInput.from_credentials(None).max_characters == 20_000
    assert ValidatingRestInput.name() == "rest"

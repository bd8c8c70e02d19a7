"""Candor's Rasa server checks the action server's answers as stock Rasa does, with a validator built once."""

from __future__ import annotations

import inspect
from typing import Any, Dict, Iterator

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

from bot import rasa_server
from bot.launcher import RASA_SERVER

ACTION = RemoteAction("action_track_order", None)

VALID_ANSWERS = [
    {"events": [], "responses": []},
    {"events": [{"event": "slot", "name": "order_id", "value": "104502", "timestamp": None}]},
    {"events": [{"event": "followup", "name": "action_listen"}], "responses": [{"response": "utter_greet"}]},
    {},
]
INVALID_ANSWERS = [
    {"events": [{"event": "no_such_event"}]},
    {"events": "not a list"},
    {"responses": ["not an object"]},
    {"events": [{"event": "slot"}]},  # a slot event without the slot's name
]


@pytest.fixture
def installed() -> Iterator[None]:
    stock = RemoteAction._validate_action_result
    rasa_server.install()
    yield
    RemoteAction._validate_action_result = stock  # type: ignore[method-assign]


@pytest.mark.parametrize("answer", VALID_ANSWERS)
def test_a_valid_answer_is_accepted_without_rasas_slow_check(answer: Dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    def slow_check(*_: Any) -> bool:
        raise AssertionError("a valid answer went to Rasa's own check")

    monkeypatch.setattr(rasa_server, "RASAS_OWN_CHECK", slow_check)

    assert rasa_server.validate_action_result(ACTION, answer) is True


@pytest.mark.parametrize("answer", INVALID_ANSWERS)
def test_an_invalid_answer_is_refused_with_rasas_own_error(answer: Dict[str, Any]) -> None:
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        rasa_server.validate_action_result(ACTION, answer)


@pytest.mark.parametrize("answer", VALID_ANSWERS + INVALID_ANSWERS)
def test_it_accepts_and_refuses_exactly_what_stock_rasa_does(answer: Dict[str, Any]) -> None:
    assert verdict(rasa_server.RASAS_OWN_CHECK, answer) == verdict(rasa_server.validate_action_result, answer)


def test_installing_it_makes_every_remote_action_use_it(installed: None) -> None:
    assert RemoteAction("action_anything", None)._validate_action_result({"events": []}) is True
    assert RemoteAction._validate_action_result is rasa_server.validate_action_result


def test_the_method_it_replaces_still_checks_only_rasas_own_schema() -> None:
    """If an upgrade of Rasa changes what its check does, this replacement must be looked at again."""
    source = inspect.getsource(rasa_server.RASAS_OWN_CHECK)

    assert "validate(result, self.action_response_format_spec())" in source


def verdict(check: Any, answer: Dict[str, Any]) -> bool:
    try:
        return check(ACTION, answer)
    except ValidationError:
        return False


def test_candor_starts_its_rasa_server_through_it() -> None:
    assert RASA_SERVER == rasa_server.__name__

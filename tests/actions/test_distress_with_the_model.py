"""The shipped model understands enough of a distressed message for its request to carry on.

Whether a request can be carried on after distress depends on the trained model: the detector
must keep the intent classifier's ranking after its own intent, the classifier must be as sure
of the request as the assistant needs to act on it, and the order number must be extracted. The
other tests set all of that by hand; this one asks the model `make test` has just trained.
"""

from __future__ import annotations

import asyncio
from typing import Any, Dict

import pytest
from rasa.core.agent import Agent

from actions.distress_resume import SetAside, request_in_message
from bot import model
from tests.actions.conftest import DOMAIN

ISSUE_MESSAGE = "My mum died last week and I need to cancel her order 104502"


@pytest.fixture(scope="module")
def understood() -> Dict[str, Any]:
    path = model.model_path()
    if not path.is_file():
        pytest.fail(f"no trained model at {path}; run `make train` first")
    return asyncio.run(Agent.load(str(path)).parse_message(ISSUE_MESSAGE))


def test_the_issues_message_gets_care_first(understood: Dict[str, Any]) -> None:
    assert understood["intent"]["name"] == "distress"
    assert understood["distress"]["category"] == "bereavement"


def test_the_cancellation_it_asks_for_is_set_aside_to_carry_on(understood: Dict[str, Any]) -> None:
    assert request_in_message(understood, DOMAIN) == SetAside("cancel_order_form", intent="cancel_order")


def test_its_order_number_is_extracted_so_it_is_not_asked_for_again(understood: Dict[str, Any]) -> None:
    assert {"entity": "order_id", "value": "104502"}.items() <= next(
        entity for entity in understood["entities"] if entity["entity"] == "order_id"
    ).items()

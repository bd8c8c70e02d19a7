"""Distress end to end: the verdict is in the parse result, and the customer gets care and a person."""

from __future__ import annotations

import requests
from sqlalchemy import select

from bot.store.database import open_session
from bot.store.distress import DistressDetection
from bot.store.handoffs import Handoff
from tests.running import Candor, Chat


def parse(candor: Candor, text: str) -> dict:
    response = requests.post(f"{candor.url}/model/parse", params={"token": candor.token}, json={"text": text}, timeout=30)
    response.raise_for_status()
    return response.json()


def test_the_verdict_is_part_of_every_parse_result(candor: Candor) -> None:
    ordinary = parse(candor, "where is my order 104502")
    idiom = parse(candor, "I'm dead serious about this refund")
    bereaved = parse(candor, "my mum died last month and I need to close her account")

    assert ordinary["distress"] == {"category": None, "score": ordinary["distress"]["score"], "tier": None}
    assert idiom["distress"]["category"] is None
    assert bereaved["distress"]["category"] == "bereavement"
    assert bereaved["intent"]["name"] == "distress"


def test_someone_at_risk_gets_crisis_resources_and_the_front_of_the_queue(candor: Candor, chat: Chat) -> None:
    chat.say("I want to cancel my order")
    reply = chat.say_text("honestly I want to end my life")

    assert "Samaritans" in reply and "116 123" in reply
    assert "asked for a person" in reply
    with open_session(candor.database_url) as session:
        handoff = session.execute(select(Handoff).where(Handoff.conversation_id == chat.conversation_id)).scalar_one()
        detection = session.execute(select(DistressDetection).where(DistressDetection.conversation_id == chat.conversation_id)).scalar_one()
    assert (handoff.reason, handoff.priority) == ("distress_self_harm", 1)
    assert detection.category == "self_harm"
    assert chat.tracker()["active_loop"] in ({}, None, {"name": None})  # the cancellation form was stopped
    assert "Samaritans" not in chat.say_text("hello?")  # now waiting for the person, the bot stays out of the way

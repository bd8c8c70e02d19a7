"""The Rasa side of a takeover: events reach the tracker as Rasa reads them, under the conversation's lock."""

from __future__ import annotations

import asyncio

from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet

from bot.handoff.events import bot_uttered
from bot.handoff.rasa_conversation import RasaConversation
from bot.handoff.slot import slot_events
from tests.handoff.rasa_stand_in import RasaAgent


def test_a_response_is_worded_by_the_nlg_from_the_conversations_own_tracker() -> None:
    agent = RasaAgent()
    conversation = RasaConversation(agent, "chat-1")

    assert asyncio.run(conversation.word("utter_agent_joined", agent="Sam")) == "utter_agent_joined for Sam"
    assert asyncio.run(conversation.word("utter_unknown")) == ""  # a response the NLG cannot word says nothing
    assert agent.nlg.asked[0] == {"response": "utter_agent_joined", "channel": "agent_console", "slot": "waiting", "agent": "Sam"}
    assert agent.processor.locked_when == [True, True]


def test_appended_events_become_rasa_events_and_the_assistant_listens_after_them() -> None:
    agent = RasaAgent()

    asyncio.run(RasaConversation(agent, "chat-1").append([*slot_events(person_due=False), bot_uttered("Back to me", metadata={"handed_back_by": "Sam"})]))

    tracker = agent.processor.trackers["chat-1"]
    slot, said, listen = list(tracker.events)[-3:]
    assert isinstance(slot, SlotSet) and (slot.key, slot.value) == ("handoff_status", None)
    assert isinstance(said, BotUttered) and (said.text, said.metadata) == ("Back to me", {"handed_back_by": "Sam"})
    assert isinstance(listen, ActionExecuted) and listen.action_name == "action_listen"
    assert tracker.get_slot("handoff_status") is None
    assert agent.processor.locked_when == [True, True]  # read and saved under the lock

"""The Rasa side of a takeover: events reach the tracker as Rasa reads them, under the conversation's lock."""

from __future__ import annotations

import asyncio
from typing import Any, Dict, List, Optional

from rasa.core.lock_store import InMemoryLockStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet
from rasa.shared.core.trackers import DialogueStateTracker
from rasa_sdk.events import BotUttered as SentBotUttered

from bot.handoff.rasa_conversation import RasaConversation
from bot.handoff.slot import slot_events
from bot.settings import PROJECT_ROOT

DOMAIN = Domain.load(str(PROJECT_ROOT / "bot" / "domain" / "handoff.yml"))


class Processor:
    """Keeps one tracker, and says whether each read and save happened under the conversation's lock."""

    def __init__(self, lock_store: InMemoryLockStore, conversation_id: str) -> None:
        self.lock_store = lock_store
        self.tracker = DialogueStateTracker(conversation_id, DOMAIN.slots)
        self.tracker.update(SlotSet("handoff_status", "waiting"))
        self.locked_when: List[bool] = []

    def _note_lock(self) -> None:
        # Inside `lock_store.lock(...)` the conversation's lock holds a ticket; outside it holds none.
        self.locked_when.append(self.lock_store.is_someone_waiting(self.tracker.sender_id))

    async def fetch_tracker_with_initial_session(self, conversation_id: str) -> DialogueStateTracker:
        self._note_lock()
        return self.tracker

    async def save_tracker(self, tracker: DialogueStateTracker) -> None:
        self._note_lock()
        self.tracker = tracker


class NLG:
    def __init__(self) -> None:
        self.asked: List[Dict[str, Any]] = []

    async def generate(self, response: str, tracker: DialogueStateTracker, channel: str, **values: Any) -> Optional[Dict[str, Any]]:
        self.asked.append({"response": response, "channel": channel, "slot": tracker.get_slot("handoff_status"), **values})
        return {"text": f"{response} for {values.get('agent', 'nobody')}"} if response != "utter_unknown" else None


class Agent:
    def __init__(self, conversation_id: str) -> None:
        self.lock_store = InMemoryLockStore()
        self.processor = Processor(self.lock_store, conversation_id)
        self.nlg = NLG()


def test_a_response_is_worded_by_the_nlg_from_the_conversations_own_tracker() -> None:
    agent = Agent("chat-1")
    conversation = RasaConversation(agent, "chat-1")

    assert asyncio.run(conversation.word("utter_agent_joined", agent="Sam")) == "utter_agent_joined for Sam"
    assert asyncio.run(conversation.word("utter_unknown")) == ""  # a response the NLG cannot word says nothing
    assert agent.nlg.asked[0] == {"response": "utter_agent_joined", "channel": "agent_console", "slot": "waiting", "agent": "Sam"}
    assert agent.processor.locked_when == [True, True]


def test_appended_events_become_rasa_events_and_the_assistant_listens_after_them() -> None:
    agent = Agent("chat-1")

    asyncio.run(RasaConversation(agent, "chat-1").append([*slot_events(person_due=False), SentBotUttered("Back to me", metadata={"handed_back_by": "Sam"})]))

    tracker = agent.processor.tracker
    slot, said, listen = list(tracker.events)[-3:]
    assert isinstance(slot, SlotSet) and (slot.key, slot.value) == ("handoff_status", None)
    assert isinstance(said, BotUttered) and (said.text, said.metadata) == ("Back to me", {"handed_back_by": "Sam"})
    assert isinstance(listen, ActionExecuted) and listen.action_name == "action_listen"
    assert tracker.get_slot("handoff_status") is None
    assert agent.processor.locked_when == [True, True]  # read and saved under the lock

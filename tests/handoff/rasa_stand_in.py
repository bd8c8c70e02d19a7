"""A stand-in for the Rasa server's agent: a real lock store and tracker, an NLG that names what it words."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from rasa.core.lock_store import InMemoryLockStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet
from rasa.shared.core.trackers import DialogueStateTracker

from bot.settings import PROJECT_ROOT

DOMAIN = Domain.load(str(PROJECT_ROOT / "bot" / "domain" / "handoff.yml"))


class Processor:
    """Keeps each conversation's tracker (its slot saying a person is due), and whether each read
    and save happened under the conversation's lock."""

    def __init__(self, lock_store: InMemoryLockStore) -> None:
        self.lock_store = lock_store
        self.trackers: Dict[str, DialogueStateTracker] = {}
        self.locked_when: List[bool] = []

    def tracker(self, conversation_id: str) -> DialogueStateTracker:
        if conversation_id not in self.trackers:
            self.trackers[conversation_id] = DialogueStateTracker(conversation_id, DOMAIN.slots)
            self.trackers[conversation_id].update(SlotSet("handoff_status", "waiting"))
        return self.trackers[conversation_id]

    def _note_lock(self, conversation_id: str) -> None:
        # Inside `lock_store.lock(...)` the conversation's lock holds a ticket; outside it holds none.
        self.locked_when.append(self.lock_store.is_someone_waiting(conversation_id))

    async def fetch_tracker_with_initial_session(self, conversation_id: str) -> DialogueStateTracker:
        self._note_lock(conversation_id)
        return self.tracker(conversation_id)

    async def save_tracker(self, tracker: DialogueStateTracker) -> None:
        self._note_lock(tracker.sender_id)
        self.trackers[tracker.sender_id] = tracker


class NLG:
    def __init__(self) -> None:
        self.asked: List[Dict[str, Any]] = []

    async def generate(self, response: str, tracker: DialogueStateTracker, channel: str, **values: Any) -> Optional[Dict[str, Any]]:
        self.asked.append({"response": response, "channel": channel, "slot": tracker.get_slot("handoff_status"), **values})
        return {"text": f"{response} for {values.get('agent', 'nobody')}"} if response != "utter_unknown" else None


class RasaAgent:
    """What the takeover uses of `app.ctx.agent`: its lock store, processor and NLG."""

    def __init__(self) -> None:
        self.lock_store = InMemoryLockStore()
        self.processor = Processor(self.lock_store)
        self.nlg = NLG()

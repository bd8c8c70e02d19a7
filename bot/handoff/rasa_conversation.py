"""A conversation kept by the running Rasa server, as `bot.handoff.takeover` changes it.

The takeover decides what happens; this is only the Rasa plumbing: the conversation's lock, its
tracker, and the NLG that words a response for the customer's mode.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, List

from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import ActionExecuted, Event

from bot.handoff.events import Event as SentEvent

if TYPE_CHECKING:
    from rasa.core.agent import Agent

# The output channel the NLG is told the words are for.
CHANNEL_NAME = "agent_console"


class RasaConversation:
    """One conversation in the Rasa server whose agent (`app.ctx.agent`) is given."""

    def __init__(self, rasa_agent: "Agent", conversation_id: str) -> None:
        self._agent = rasa_agent
        self._id = conversation_id

    async def word(self, response: str, **values: Any) -> str:
        """A domain response in the words the customer's accessibility mode calls for (the NLG's choice).

        Read under the conversation's lock, like any turn: a turn still being saved is read whole.
        """
        async with self._agent.lock_store.lock(self._id):
            tracker = await self._agent.processor.fetch_tracker_with_initial_session(self._id)
        message = await self._agent.nlg.generate(response, tracker, CHANNEL_NAME, **values) or {}
        return message.get("text") or ""

    async def append(self, events: List[SentEvent]) -> None:
        """Add events to the conversation under its lock, then listen, as after any bot turn.

        The events come as the action server sends them and are read the way Rasa reads those.
        The closing `action_listen` matters: when Rasa later rewinds a misunderstood message, it
        undoes back to the previous action, and would otherwise undo what the agent did too.
        """
        async with self._agent.lock_store.lock(self._id):
            tracker = await self._agent.processor.fetch_tracker_with_initial_session(self._id)
            for event in [*(Event.from_parameters(event) for event in events), ActionExecuted(ACTION_LISTEN_NAME)]:
                tracker.update(event)
            await self._agent.processor.save_tracker(tracker)

"""Handoff: a person from the team takes over a conversation, and gives it back.

The `handoffs` table (`bot.store.handoffs`) is the one record of whether a conversation is
waiting for a person or has one; everything here reads and changes it, and derives the rest:

  events.py            conversation events in the action server's format, for actions and console
  slot.py              the `handoff_status` slot, a copy of the table for Rasa's policies (which
                       cannot read the store); nothing outside this package writes it
  state.py             a conversation's handoff state, read from the table, and the slot it implies
  reasons.py           why a customer is being passed to a person, read from the conversation
  queue.py             the customer's side: request, withdraw, place in the queue, the waiting list
  takeover.py          the agent's side: take, reply, hand back, and the record of what agents did
  briefing.py          what an agent reads first: the summary and the transcript as stored
  rasa_conversation.py the Rasa server's lock, tracker and NLG, as the takeover needs them

This file imports nothing: Rasa's graph components import `bot.handoff.slot` and must not pull in
the store by way of the package.
"""

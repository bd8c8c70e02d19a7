"""Accounting for the assistant's decisions: what it understood, what chose each step, what it used.

Everything here reads the conversation's own events (as Rasa recorded them), never a guess made
afterwards, so the same facts serve the customer's "why?" and the audit trail.
"""

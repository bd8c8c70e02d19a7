"""The conversation's shared vocabulary: slot, intent and action names both servers use.

Rasa's side (`bot/`, including the graph components) and the action server (`actions/`) refer to
the same domain names; keeping them here means one spelling, checked against the domain by
tests/unit/test_conversation_names.py. Pure constants: this package imports nothing from Candor.
"""

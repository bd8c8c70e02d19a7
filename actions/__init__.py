"""Candor's action server (rasa-sdk): one module per capability.

Actions decide and act; the words they use live in the domain's responses, so every message
the customer sees can be reviewed, versioned and reworded in one place.
"""

"""The conversation as both servers read it: the names they share, its events' queries, its turns.

Rasa's side (`bot/`, including the graph components) and the action server (`actions/`) refer to
the same domain names (`names`), ask the same questions of a conversation's events (`events`) and
group them into the same turns (`turns`, which "why?" and the audit trail read). Each is written
once, here, so the two servers cannot drift apart. The bottom layer: this package imports nothing
else from Candor (an import-linter contract in pyproject.toml), and this file imports nothing at all.
"""

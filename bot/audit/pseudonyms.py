"""Conversations in the audit trail are named by pseudonym, never by their id.

A channel's conversation id can be personal (a phone number on a voice line), and an append-only
trail cannot forget it when the customer asks for erasure. So the trail holds a one-way
pseudonym. Whoever still has a conversation's id (the tracker store, until retention or erasure
deletes it) can find its records; once the conversation is gone, nothing links the records back.
"""

from __future__ import annotations

import hashlib
from typing import Dict, Iterable

PREFIX = "conv-"
# Separates these hashes from any other SHA-256 of the same id.
DOMAIN_SEPARATOR = "candor-audit-conversation:"


def conversation_pseudonym(conversation_id: str) -> str:
    """The name of a conversation in the audit trail."""
    digest = hashlib.sha256(f"{DOMAIN_SEPARATOR}{conversation_id}".encode("utf-8")).hexdigest()
    return PREFIX + digest[:32]


def pseudonyms_of(conversation_ids: Iterable[str]) -> Dict[str, str]:
    """`{pseudonym: conversation id}` for the ids given: how a holder of the ids finds their records."""
    return {conversation_pseudonym(conversation_id): conversation_id for conversation_id in conversation_ids}

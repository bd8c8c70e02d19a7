"""Which secret opens which conversation: one row per conversation, written once, never shown.

The row holds the SHA-256 of the conversation's session secret, never the secret itself, so
whoever reads the database cannot speak in anyone's conversation. Claiming a conversation is an
insert on its primary key: when two requests race for the same new conversation, exactly one
wins, on SQLite and on PostgreSQL, across any number of servers.
"""

from __future__ import annotations

from datetime import datetime
from typing import Iterable, Optional

from sqlalchemy import Column, String, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session

from bot.store.base import Base, UTCDateTime


class ConversationKey(Base):
    """The lock on one conversation: its channel and the hash of the secret that opens it."""

    __tablename__ = "conversation_keys"

    # The conversation id as the assistant knows it (`bot.ownership.conversation_id`).
    conversation_id: Mapped[str] = Column(String(255), primary_key=True)
    channel: Mapped[str] = Column(String(40), nullable=False)
    secret_sha256: Mapped[str] = Column(String(64), nullable=False)
    created_at: Mapped[datetime] = Column(UTCDateTime, nullable=False, index=True)


def key_of(session: Session, conversation_id: str) -> Optional[ConversationKey]:
    return session.get(ConversationKey, conversation_id)


def claim(session: Session, conversation_id: str, channel: str, secret_sha256: str, now: datetime) -> bool:
    """Lock a conversation nobody has yet; False if someone else got there first."""
    try:
        with session.begin_nested():
            session.add(ConversationKey(conversation_id=conversation_id, channel=channel, secret_sha256=secret_sha256, created_at=now))
    except IntegrityError:
        return False
    return True


def forget_keys(session: Session, conversation_ids: Iterable[str]) -> int:
    """Delete the keys of conversations that no longer exist (retention); how many."""
    ids = list(conversation_ids)
    if not ids:
        return 0
    return session.execute(
        delete(ConversationKey).where(ConversationKey.conversation_id.in_(ids)).execution_options(synchronize_session=False)
    ).rowcount or 0


def keys_created_before(session: Session, cutoff: datetime) -> list[str]:
    """Conversations locked before `cutoff`: candidates for retention when nothing was said in them."""
    return list(session.execute(select(ConversationKey.conversation_id).where(ConversationKey.created_at < cutoff)).scalars())

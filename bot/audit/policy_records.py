"""The policy file in the audit trail: which version governed the records that follow it.

A `policy` record holds the whole file as parsed (no personal data is in it) and its SHA-256, so
`candor policy diff` can show what changed between versions even after the file was edited, and a
change made without bumping the version is visible.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, Dict, List, Optional

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.audit.chain import append, canonical_json
from bot.policy import Policy
from bot.store.audit import AuditRecord
from bot.store.database import open_session

POLICY_KIND = "policy"


def policy_body(policy: Policy) -> Dict[str, Any]:
    content = json.loads(policy.json())
    return {"version": policy.version, "sha256": hashlib.sha256(canonical_json(content).encode("utf-8")).hexdigest(), "policy": content}


def latest_policy_record(session: Session) -> Optional[AuditRecord]:
    query = select(AuditRecord).where(AuditRecord.kind == POLICY_KIND).order_by(AuditRecord.seq.desc()).limit(1)
    return session.execute(query).scalar_one_or_none()


def policy_records(session: Session) -> List[AuditRecord]:
    """Every policy the trail has seen, oldest first."""
    return list(session.execute(select(AuditRecord).where(AuditRecord.kind == POLICY_KIND).order_by(AuditRecord.seq)).scalars())


def record_policy_if_new(engine: Engine, policy: Policy) -> bool:
    """Append a policy record unless the latest one holds exactly this policy; whether it did."""
    body = policy_body(policy)
    with open_session(engine) as session:
        latest = latest_policy_record(session)
        if latest is not None and json.loads(latest.body).get("sha256") == body["sha256"]:
            return False
    append(engine, POLICY_KIND, body, policy.version)
    return True

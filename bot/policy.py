"""The policy file (`bot/policy.yml`), read and checked once for every process that needs it.

The assistant's promises (what it discloses, when it offers a person, when people answer) are
data a team edits, not code; this module reads that data, with its version and changelog, into
the typed sections of `bot.policy_sections`, and refuses a file that would make a promise the
code cannot keep.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Dict, List, Optional

from pydantic import BaseModel, Field, ValidationError, validator

from bot import settings
from bot.policy_sections import (
    Assistant,
    Audit,
    Distress,
    Fairness,
    Handoff,
    Identity,
    Notices,
    PolicyError,
    Privacy,
    Review,
)
from bot.yaml_files import read_yaml


class ChangelogEntry(BaseModel):
    """What changed in one version of the policy file, and when."""

    version: int
    date: str = Field(..., min_length=1)
    changes: List[str] = Field(..., min_items=1)


class Policy(BaseModel):
    version: int
    changelog: List[ChangelogEntry] = Field(..., min_items=1)
    assistant: Assistant
    audit: Audit
    review: Review
    notices: Notices
    handoff: Handoff
    distress: Distress
    privacy: Privacy
    identity: Identity
    fairness: Fairness

    @validator("changelog")
    def _newest_first_and_current(cls, changelog: List[ChangelogEntry], values: Dict) -> List[ChangelogEntry]:
        versions = [entry.version for entry in changelog]
        if versions != sorted(versions, reverse=True) or len(set(versions)) != len(versions):
            raise ValueError("list each version once, newest first")
        if "version" in values and versions[0] != values["version"]:
            raise ValueError(f"the newest entry is for version {versions[0]}, but the policy is version {values['version']}: say what changed")
        return changelog


def load_policy(path: Optional[Path] = None) -> Policy:
    """Read and check the policy file; errors name the file and the field to fix."""
    path = Path(path or settings.POLICY_FILE)
    raw = read_yaml(path, PolicyError, "the policy file")
    try:
        return Policy.parse_obj(raw)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in problem['loc'])}: {problem['msg']}"
            for problem in error.errors()
        )
        raise PolicyError(f"{path} is invalid: {problems}") from error


@functools.lru_cache(maxsize=1)
def current_policy() -> Policy:
    """The policy in force for this process (read once; restart to apply edits)."""
    return load_policy()

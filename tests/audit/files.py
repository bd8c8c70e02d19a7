"""Figures files as the evaluation commands write them, for the report's tests to find."""

from __future__ import annotations

import json
from pathlib import Path


def write(path: Path, document: object) -> Path:
    """`document` as JSON at `path`, its folders made."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document), encoding="utf-8")
    return path

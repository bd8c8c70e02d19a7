"""Trained models kept outside the checkout, by the fingerprint in their names.

A model's name says exactly which inputs made it (`candor-<fingerprint>.tar.gz`, `ner-<fingerprint>/`),
so a model cached by one checkout is the very model another checkout of the same inputs would
train: a fresh clone on a machine that trained them before copies them instead of training again.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Optional

from bot.settings import model_cache


def restore(path: Path, cache: Optional[Path] = None) -> bool:
    """Copy the cached model of `path`'s name to `path`; False if the cache has none."""
    cached = _cached(path, cache)
    if cached is None or not cached.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    _copy(cached, path)
    return True


def keep(path: Path, cache: Optional[Path] = None) -> None:
    """Put a copy of the trained model at `path` in the cache (whole or not at all)."""
    cached = _cached(path, cache)
    if cached is None or cached.exists() or not path.exists():
        return
    cached.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cached.parent) as scratch:
        partial = Path(scratch) / path.name
        _copy(path, partial)
        partial.rename(cached)  # atomic: another checkout never sees half a model


def _cached(path: Path, cache: Optional[Path]) -> Optional[Path]:
    folder = cache if cache is not None else model_cache()
    return None if folder is None else folder / path.name


def _copy(source: Path, target: Path) -> None:
    if source.is_dir():
        shutil.copytree(source, target)
    else:
        shutil.copy2(source, target)

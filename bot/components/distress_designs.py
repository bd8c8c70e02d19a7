"""The learned half of the distress detector, by design name: one interface, three designs.

Every design is fitted on spaCy Docs (with the lexicon's idioms and denials already removed),
scores Docs per distress category, and saves itself to and loads itself from a folder in Rasa's
model storage. `bot/config.yml` names the design the detector uses; `candor eval-distress
--cross-validate` measures them side by side, so the choice can be checked again on new data.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, Iterable, List, Mapping, Protocol, Sequence

from spacy.tokens import Doc

from bot.components.distress_ngrams import NgramModel
from bot.components.distress_textcat import SpacyTextcat

DESIGNS = ("ngrams", "bow", "ensemble")


class DistressModel(Protocol):
    def fit(self, docs: Sequence[Doc], labels: Sequence[str]) -> None:
        ...

    def scores(self, docs: Iterable[Doc]) -> List[Dict[str, float]]:
        ...

    def save(self, directory: Path) -> None:
        ...


def new_model(design: str, config: Mapping[str, Any]) -> DistressModel:
    """An untrained model of `design`, set up from the detector's config."""
    if design == "ngrams":
        return NgramModel.from_config(config)
    if design in ("bow", "ensemble"):
        return SpacyTextcat.from_config(design, config)
    raise ValueError(f"unknown distress design {design!r} (use one of {', '.join(DESIGNS)})")


def load_model(design: str, directory: Path, config: Mapping[str, Any]) -> DistressModel:
    """The model of `design` saved in `directory`."""
    if design == "ngrams":
        return NgramModel.load(directory)
    if design in ("bow", "ensemble"):
        return SpacyTextcat.load(directory, design, config)
    raise ValueError(f"unknown distress design {design!r} (use one of {', '.join(DESIGNS)})")

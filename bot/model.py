"""The trained model for the current training data, cached by a fingerprint of that data.

`rasa train` always writes a new archive; Candor names the archive after a hash of everything
that shapes the model (config, domain, NLU data, rules, stories, custom components and the Rasa
version), so an unchanged project is never trained twice and a changed one is never served stale.
Rasa's own graph cache (`.rasa/cache`) still makes a retrain after a small change quick.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path
from typing import Iterable, List, Optional

import rasa

from bot.settings import PROJECT_ROOT

CONFIG = PROJECT_ROOT / "bot" / "config.yml"
DOMAIN = PROJECT_ROOT / "bot" / "domain"
TRAINING_DATA = [PROJECT_ROOT / "data" / part for part in ("nlu", "rules", "stories")]
COMPONENTS = PROJECT_ROOT / "bot" / "components"
# The shared slot, intent and action names: the components' defaults are made of them. Only this
# file of bot/conversation: the event queries and the turn reader beside it are read when serving,
# never in training, and editing them must not retrain the model.
CONVERSATION_NAMES = PROJECT_ROOT / "bot" / "conversation" / "names.py"
# Read by the distress detector during training, though not Rasa training data itself: the lexicon
# and every writing pass in data/distress/train/ (the evaluation CSVs are left out, being neither).
COMPONENT_DATA = PROJECT_ROOT / "data" / "distress"
MODELS_DIR = PROJECT_ROOT / "models"


def training_inputs() -> List[Path]:
    """Every file whose content changes what `rasa train` produces, in a stable order."""
    roots = [CONFIG, DOMAIN, *TRAINING_DATA, COMPONENTS, CONVERSATION_NAMES, COMPONENT_DATA]
    files: List[Path] = []
    for root in roots:
        if root.is_file():
            files.append(root)
        elif root.is_dir():
            files.extend(sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in (".yml", ".yaml", ".py")))
    return files


def fingerprint(files: Iterable[Path] | None = None) -> str:
    """A hash of the training inputs' names and contents and of the Rasa version."""
    digest = hashlib.sha256(f"rasa {rasa.__version__}\n".encode())
    for path in files if files is not None else training_inputs():
        digest.update(str(path.relative_to(PROJECT_ROOT)).encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def model_path() -> Path:
    """Where the model for the current training inputs is (or will be) stored."""
    return MODELS_DIR / f"candor-{fingerprint()[:16]}.tar.gz"


def start_training(force: bool = False) -> Optional["subprocess.Popen[bytes]"]:
    """Start `rasa train` in its own process unless a model for exactly these inputs exists.

    It runs beside the NER model's training (`candor train`): each uses about one core.
    """
    path = model_path()
    if path.exists() and not force:
        return None
    command = [
        sys.executable, "-m", "rasa", "train",
        "--config", str(CONFIG),
        "--domain", str(DOMAIN),
        "--data", *(str(p) for p in TRAINING_DATA),
        "--out", str(MODELS_DIR),
        "--fixed-model-name", path.name.removesuffix(".tar.gz"),
    ]
    return subprocess.Popen(command, cwd=PROJECT_ROOT)

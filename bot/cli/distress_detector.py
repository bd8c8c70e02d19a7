"""The distress detector the evaluation commands measure: the one `candor train` made, or a new one.

`candor eval-distress`, `candor bench-inputs`, the cross-validation and the tests all read the
detector through here, so each of them measures the detector the server runs, configured as
bot/config.yml says, and none trains it again when the trained model is at hand.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, Dict, Optional

from bot.cli.errors import CommandError

if TYPE_CHECKING:  # Rasa is slow to import; these are imported when a detector is asked for
    from rasa.shared.nlu.training_data.training_data import TrainingData

    from bot.components.distress import DistressDetector


def trained_detector(design: Optional[str] = None) -> DistressDetector:
    """The detector as `rasa train` trains it, from the project's data and bot/config.yml.

    Loaded from the model `candor train` made for the current data when there is one and no other
    design is asked for (the very detector the server runs, in seconds); trained here otherwise.
    """
    # Not configuration: TensorFlow reads this on import, to quiet its start-up chatter.
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    from bot import model

    shipped = model.model_path()
    if (design is None or design == detector_config()["design"]) and shipped.is_file():
        return detector_in(shipped)
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource

    from bot.components.distress import DistressDetector
    from bot.components.distress_data import TrainingDataError
    from bot.components.distress_lexicon import LexiconError

    config = detector_config(design)
    with tempfile.TemporaryDirectory(prefix="candor-distress-") as directory:
        detector = DistressDetector(config, LocalModelStorage(Path(directory)), Resource("distress_detector"))
        try:
            detector.train(nlu_training_data())
        except (LexiconError, TrainingDataError) as error:
            raise CommandError(str(error)) from None
    return detector


def detector_in(archive: Path) -> DistressDetector:
    """The distress detector a trained Rasa model archive holds, loaded as the server loads it."""
    from rasa.engine.graph import ExecutionContext
    from rasa.engine.storage.local_model_storage import LocalModelStorage

    from bot.components.distress import DistressDetector

    with tempfile.TemporaryDirectory(prefix="candor-model-") as directory:
        storage, metadata = LocalModelStorage.from_model_archive(Path(directory), archive)
        node = next(node for node in metadata.predict_schema.nodes.values() if node.uses is DistressDetector)
        context = ExecutionContext(metadata.predict_schema, metadata.model_id)
        return DistressDetector.load(node.config, storage, node.resource, context)


def nlu_training_data() -> TrainingData:
    """The NLU examples in data/nlu as `rasa train` finds them: files that are not NLU data are skipped."""
    from rasa.shared.data import get_data_files, is_nlu_file
    from rasa.shared.nlu.training_data.loading import load_data
    from rasa.shared.nlu.training_data.training_data import TrainingData

    from bot.settings import PROJECT_ROOT

    files = sorted(get_data_files([str(PROJECT_ROOT / "data" / "nlu")], is_nlu_file))
    return TrainingData().merge(*(load_data(file) for file in files))


def detector_config(design: Optional[str] = None) -> Dict[str, Any]:
    """The detector's settings as bot/config.yml gives them (paths made absolute), `design` overriding."""
    import yaml

    from bot.components.distress import DistressDetector
    from bot.settings import PROJECT_ROOT

    pipeline = yaml.safe_load((PROJECT_ROOT / "bot" / "config.yml").read_text(encoding="utf-8"))["pipeline"]
    written = next((step for step in pipeline if step["name"].endswith("DistressDetector")), {})
    config = {**DistressDetector.get_default_config(), **{k: v for k, v in written.items() if k != "name"}}
    config.update({key: str(PROJECT_ROOT / config[key]) for key in ("training_data", "lexicon")})
    if design is not None:
        config["design"] = design
    return config

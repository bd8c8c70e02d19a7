"""The distress detector `candor train` made for the current data, loaded once per test session.

`make test` trains the model before the tests; run alone without one, the tests train the detector
themselves, exactly as `rasa train` does (`trained_detector`).
"""

from __future__ import annotations

import pytest
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource

from bot.cli.distress_detector import detector_config as project_detector_config
from bot.cli.distress_detector import trained_detector
from bot.components.distress import DistressDetector


def detector_config() -> dict:
    """The detector's settings as bot/config.yml gives them, with absolute paths."""
    return project_detector_config()


@pytest.fixture(scope="session")
def model_storage(tmp_path_factory: pytest.TempPathFactory) -> LocalModelStorage:
    return LocalModelStorage(tmp_path_factory.mktemp("distress-model"))


@pytest.fixture(scope="session")
def detector(model_storage: LocalModelStorage) -> DistressDetector:
    shipped = trained_detector()
    detector = DistressDetector(
        detector_config(), model_storage, Resource("distress_detector"), model=shipped.model, lexicon=shipped.lexicon
    )
    detector.persist()
    return detector

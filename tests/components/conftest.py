"""A distress detector trained once per test session, exactly as `rasa train` trains it."""

from __future__ import annotations

import pytest
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource

from bot.cli.eval_distress import detector_config as project_detector_config
from bot.cli.eval_distress import nlu_training_data
from bot.components.distress import DistressDetector


def detector_config() -> dict:
    """The detector's settings as bot/config.yml gives them, with absolute paths."""
    return project_detector_config()


@pytest.fixture(scope="session")
def model_storage(tmp_path_factory: pytest.TempPathFactory) -> LocalModelStorage:
    return LocalModelStorage(tmp_path_factory.mktemp("distress-model"))


@pytest.fixture(scope="session")
def detector(model_storage: LocalModelStorage) -> DistressDetector:
    trained = DistressDetector(detector_config(), model_storage, Resource("distress_detector"))
    trained.train(nlu_training_data())
    return trained

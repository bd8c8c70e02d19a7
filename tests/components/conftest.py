"""A distress detector trained once per test session, exactly as `rasa train` trains it."""

from __future__ import annotations

import pytest
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.loading import load_data

from bot.components.distress import DistressDetector
from bot.settings import PROJECT_ROOT


def detector_config() -> dict:
    config = DistressDetector.get_default_config()
    config.update({key: str(PROJECT_ROOT / config[key]) for key in ("training_data", "lexicon")})
    return config


@pytest.fixture(scope="session")
def model_storage(tmp_path_factory: pytest.TempPathFactory) -> LocalModelStorage:
    return LocalModelStorage(tmp_path_factory.mktemp("distress-model"))


@pytest.fixture(scope="session")
def detector(model_storage: LocalModelStorage) -> DistressDetector:
    trained = DistressDetector(detector_config(), model_storage, Resource("distress_detector"))
    trained.train(load_data(str(PROJECT_ROOT / "data" / "nlu")))
    return trained

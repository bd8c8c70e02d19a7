"""A model trained once on a machine is copied, not trained again, by another checkout of the same inputs."""

from __future__ import annotations

from pathlib import Path

from bot.cli import model_cache


def test_a_cached_model_is_restored_under_its_own_name(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "candor-0123456789abcdef.tar.gz").write_bytes(b"a trained model")
    wanted = tmp_path / "checkout" / "models" / "candor-0123456789abcdef.tar.gz"

    assert model_cache.restore(wanted, cache) is True
    assert wanted.read_bytes() == b"a trained model"


def test_a_model_of_other_inputs_is_not_restored(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "candor-0123456789abcdef.tar.gz").write_bytes(b"a trained model")
    wanted = tmp_path / "models" / "candor-fedcba9876543210.tar.gz"

    assert model_cache.restore(wanted, cache) is False
    assert not wanted.exists()


def test_a_trained_model_folder_is_kept_whole_and_restored_elsewhere(tmp_path: Path) -> None:
    trained = tmp_path / "one" / "models" / "ner-0123456789abcdef"
    (trained / "ner").mkdir(parents=True)
    (trained / "config.cfg").write_text("[nlp]\n")
    (trained / "ner" / "model").write_bytes(b"weights")
    cache = tmp_path / "cache"

    model_cache.keep(trained, cache)
    other = tmp_path / "two" / "models" / "ner-0123456789abcdef"

    assert model_cache.restore(other, cache) is True
    assert (other / "config.cfg").read_text() == "[nlp]\n" and (other / "ner" / "model").read_bytes() == b"weights"
    assert sorted(path.name for path in cache.iterdir()) == ["ner-0123456789abcdef"]  # nothing half-written left


def test_with_the_cache_turned_off_nothing_is_kept_or_restored(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("CANDOR_MODEL_CACHE", "off")
    trained = tmp_path / "candor-0123456789abcdef.tar.gz"
    trained.write_bytes(b"a trained model")

    model_cache.keep(trained)

    assert model_cache.restore(tmp_path / "elsewhere" / trained.name) is False

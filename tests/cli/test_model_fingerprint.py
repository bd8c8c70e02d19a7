"""The trained model is cached by a fingerprint of everything that shapes it."""

from __future__ import annotations

from pathlib import Path

from bot import model


def test_the_fingerprint_covers_config_domain_data_and_custom_components() -> None:
    inputs = {str(path.relative_to(model.PROJECT_ROOT)) for path in model.training_inputs()}

    assert "bot/config.yml" in inputs
    assert any(name.startswith("bot/domain/") for name in inputs)
    assert any(name.startswith("data/nlu/") for name in inputs)
    assert any(name.startswith("data/rules/") for name in inputs)
    assert "bot/components/handoff_policy.py" in inputs
    assert "bot/conversation/names.py" in inputs  # the components' defaults name these
    assert "bot/conversation/events.py" not in inputs  # read when serving, never in training
    assert "data/distress/lexicon.yml" in inputs  # the distress detector learns from these...
    passes = {f"data/distress/train/{path.name}" for path in (model.PROJECT_ROOT / "data" / "distress" / "train").glob("*.yml")}
    assert "data/distress/train/candor-original.yml" in passes and passes <= inputs  # ...and every writing pass
    assert not any(name.endswith(".csv") for name in inputs)  # evaluation data never changes the model
    assert not any(name.startswith("data/tests/") for name in inputs), "conversation tests don't change the model"


def test_changing_any_input_changes_the_fingerprint(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(model, "PROJECT_ROOT", tmp_path)
    first = tmp_path / "a.yml"
    first.write_text("version: 1")
    before = model.fingerprint([first])

    first.write_text("version: 2")

    assert model.fingerprint([first]) != before
    first.write_text("version: 1")
    assert model.fingerprint([first]) == before, "the same content gives the same model"


def test_the_model_is_named_after_the_fingerprint() -> None:
    assert model.model_path().name == f"candor-{model.fingerprint()[:16]}.tar.gz"


def test_a_new_writing_pass_for_the_distress_detector_changes_the_fingerprint(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(model, "PROJECT_ROOT", tmp_path)
    monkeypatch.setattr(model, "COMPONENT_DATA", tmp_path / "data" / "distress")
    monkeypatch.setattr(model, "CONFIG", tmp_path / "config.yml")
    for name in ("DOMAIN", "COMPONENTS", "CONVERSATION_NAMES"):
        monkeypatch.setattr(model, name, tmp_path / name.lower())
    monkeypatch.setattr(model, "TRAINING_DATA", [])
    passes = tmp_path / "data" / "distress" / "train"
    passes.mkdir(parents=True)
    (passes / "candor-original.yml").write_text("examples: {}")
    (tmp_path / "data" / "distress" / "eval.csv").write_text("text,label")
    before = model.fingerprint()

    (passes / "text-speak.yml").write_text("examples: {}")

    assert [path.name for path in model.training_inputs()] == ["candor-original.yml", "text-speak.yml"]
    assert model.fingerprint() != before

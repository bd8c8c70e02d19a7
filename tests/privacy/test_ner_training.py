"""The redaction NER model's training data and its cache.

The model is trained from generated messages (`bot.privacy.ner.generator`) and stored under a
fingerprint of what it learns from, so that `make train` rebuilds it exactly when that changes.
"""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path
from typing import Dict, List

import yaml

from bot.privacy.ner import fingerprint
from bot.privacy.ner.generator import LABELS, PERSON, STREET_ADDRESS, Settings, generate
from bot.privacy.ner import training
from bot.privacy.ner.training import DOMAIN_DIR, POLICY_FILE

TEMPLATES = Path("bot/privacy/ner/templates.yml")
CATEGORIES: Dict[str, float] = {
    category: 1.0 for category in yaml.safe_load(TEMPLATES.read_text(encoding="utf-8"))["templates"]
}
SETTINGS = Settings(
    seed=7,
    categories=CATEGORIES,
    name_locales={"en_GB": 1, "en_IN": 1, "vi_VN": 1},
    address_locales={"en_GB": 1, "en_US": 1},
    name_shapes={"given_and_surname": 1, "given_only": 1},
    lower_case_share=0.5,
    typo_rate=0.03,
    strip_accents_share=0.4,
    join_share=0.2,
)


def test_the_same_settings_give_the_same_messages() -> None:
    assert generate(TEMPLATES, SETTINGS, 50) == generate(TEMPLATES, SETTINGS, 50)
    assert generate(TEMPLATES, SETTINGS, 50) != generate(TEMPLATES, dataclasses.replace(SETTINGS, seed=8), 50)


def names_from(locale: str, count: int = 300) -> List[str]:
    settings = dataclasses.replace(
        SETTINGS, name_locales={locale: 1}, categories={category: float(category == "name_as_answer") for category in CATEGORIES},
        lower_case_share=0.0, typo_rate=0.0,
        strip_accents_share=0.0, join_share=0.0,
    )
    return [message.text[start:end] for message in generate(TEMPLATES, settings, count) for start, end, _ in message.entities]


def test_vietnamese_customers_names_are_vietnamese_given_names_not_fakers_placeholders() -> None:
    # vi_VN's `first_name()` in Faker gives "John" or "Jane": the model never met a Vietnamese given name.
    words = {word for name in names_from("vi_VN") for word in name.split()}

    assert not words & {"John", "Jane"}
    assert {"Văn", "Thị"} & words, "Vietnamese given names often follow a middle name"
    assert len(words) > 40


def test_chinese_names_are_romanised() -> None:
    assert all(name.replace(" ", "").isascii() for name in names_from("zh_CN", 100))


ITALIAN_TOWNS = """
from faker import Faker
from bot.privacy.ner.generator import in_a_stable_order
faker = Faker("it_IT")
faker.seed_instance(7)
in_a_stable_order(faker)
print([faker.city() for _ in range(20)])
"""


def test_the_same_seed_gives_the_same_towns_in_every_process() -> None:
    # Faker's it_IT towns come from a set, whose order follows each process's string hashing.
    towns = {
        subprocess.run(
            [sys.executable, "-c", ITALIAN_TOWNS], capture_output=True, text=True, check=True,
            env={**os.environ, "PYTHONHASHSEED": hash_seed},
        ).stdout
        for hash_seed in ("1", "2")
    }

    assert len(towns) == 1, towns


def test_every_labelled_span_is_a_name_or_an_address_inside_its_message() -> None:
    messages = generate(TEMPLATES, SETTINGS, 400)

    for message in messages:
        for start, end, label in message.entities:
            span = message.text[start:end]
            assert label in LABELS
            assert 0 <= start < end <= len(message.text)
            assert span == span.strip() and any(character.isalpha() for character in span), (message.text, span)
    labels = {label for message in messages for _, _, label in message.entities}
    assert labels == {PERSON, STREET_ADDRESS}
    assert any(not message.entities for message in messages), "messages that name nobody are learnt too"


def test_a_date_followed_by_more_words_is_never_labelled() -> None:
    weights = {category: float(category == "numbers_and_dates") for category in CATEGORIES}
    only_dates = dataclasses.replace(SETTINGS, categories=weights, join_share=0.0)

    assert [message.text for message in generate(TEMPLATES, only_dates, 200) if message.entities] == []


def policy_with(tmp_path: Path, edit) -> Path:  # type: ignore[no-untyped-def]
    policy = yaml.safe_load(POLICY_FILE.read_text(encoding="utf-8"))
    edit(policy)
    path = tmp_path / "policy.yml"
    path.write_text(yaml.safe_dump(policy, sort_keys=False), encoding="utf-8")
    return path


def test_a_new_threshold_or_changelog_entry_does_not_retrain_the_model(tmp_path: Path) -> None:
    def new_version(policy: dict) -> None:
        policy["version"] += 1
        policy["changelog"].insert(0, {"version": policy["version"], "date": "2027-01-01", "changes": ["A new threshold."]})
        policy["distress"]["thresholds"]["self_harm"] = 0.35

    unchanged = policy_with(tmp_path, lambda policy: None)

    assert fingerprint(policy_file=policy_with(tmp_path, new_version)) == fingerprint(policy_file=unchanged)


def test_a_new_sentence_the_assistant_says_retrains_the_model(tmp_path: Path) -> None:
    unchanged = fingerprint(policy_file=policy_with(tmp_path, lambda policy: None))

    def new_notice(policy: dict) -> None:
        policy["notices"]["ai_disclosure"]["text"] = "Hello, I am Fernleaf Home's automated assistant, a computer program."

    assert fingerprint(policy_file=policy_with(tmp_path, new_notice)) != unchanged


def domain_copy(tmp_path: Path, edit) -> Path:  # type: ignore[no-untyped-def]
    """A copy of the domain folder with `edit(name, text)` applied to every file's text."""
    folder = tmp_path / "domain"
    folder.mkdir(parents=True)
    for path in sorted(DOMAIN_DIR.glob("*.yml")):
        (folder / path.name).write_text(edit(path.name, path.read_text(encoding="utf-8")), encoding="utf-8")
    return folder


def test_a_comment_or_a_slot_in_the_domain_does_not_retrain_the_model(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(training, "DOMAIN_DIR", domain_copy(tmp_path / "before", lambda name, text: text))
    unchanged = fingerprint()
    commented = domain_copy(tmp_path / "after", lambda name, text: f"# A note for whoever edits {name}.\n{text}")
    monkeypatch.setattr(training, "DOMAIN_DIR", commented)

    assert fingerprint() == unchanged


def test_a_new_response_retrains_the_model(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(training, "DOMAIN_DIR", domain_copy(tmp_path / "before", lambda name, text: text))
    unchanged = fingerprint()
    added = "responses:\n  utter_planted:\n    - text: Your parcel left our warehouse this morning.\n"
    monkeypatch.setattr(training, "DOMAIN_DIR", domain_copy(tmp_path / "after", lambda name, text: text.replace("responses:\n", added, 1)))

    assert fingerprint() != unchanged

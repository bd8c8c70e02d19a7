"""Every question a form asks is either personal (stored as its type) or named as not personal.

The tracker store stores a free-text answer to an unlisted question as "<FORM_ANSWER>", so nothing
leaks; these tests keep the policy's lists true to the domain, so nothing is lost either.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from rasa.shared.core.domain import Domain

from bot.policy import current_policy, load_policy
from bot.policy_sections import PolicyError
from bot.settings import POLICY_FILE

DOMAIN = Domain.load(str(Path(__file__).resolve().parents[2] / "bot" / "domain"))
REDACTION = current_policy().privacy.redaction


def free_text_slots() -> set:
    return {slot.name for slot in DOMAIN.slots if any(mapping.get("type") == "from_text" for mapping in slot.mappings)}


def test_every_slot_a_form_fills_from_free_text_is_listed_as_personal_or_not() -> None:
    listed = set(REDACTION.slot_types) | set(REDACTION.slots_not_personal)

    assert sorted(free_text_slots() - listed) == []


def test_every_slot_the_policy_lists_is_in_the_domain() -> None:
    names = {slot.name for slot in DOMAIN.slots}

    assert sorted((set(REDACTION.slot_types) | set(REDACTION.slots_not_personal)) - names) == []


@pytest.mark.parametrize("slot", ["shipping_address", "email", "identity_claim", "identity_postcode", "step_up_postcode"])
def test_the_answers_the_assistant_asks_to_prove_identity_or_deliver_are_personal(slot: str) -> None:
    assert slot in REDACTION.slot_types


def with_redaction(tmp_path: Path, **changes: object) -> Path:
    raw = yaml.safe_load(Path(POLICY_FILE).read_text(encoding="utf-8"))
    raw["privacy"]["redaction"].update(changes)
    path = tmp_path / "policy.yml"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    return path


def test_a_type_that_cannot_be_a_placeholder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="slot_types.*capitals"):
        load_policy(with_redaction(tmp_path, slot_types={"shipping_address": "street address"}))


def test_a_slot_cannot_be_both_personal_and_not(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="email cannot be both"):
        load_policy(with_redaction(tmp_path, slots_not_personal=["order_id", "email"]))

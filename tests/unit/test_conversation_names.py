"""Every shared name in bot.conversation names something in the domain, so a rename cannot leave it stale."""

from __future__ import annotations

import ast
import inspect
from typing import Dict

import pytest
from rasa.shared.core.domain import Domain

from bot import conversation
from bot.conversation import names
from bot.model import DOMAIN as DOMAIN_DIR

DOMAIN = Domain.load(str(DOMAIN_DIR))
# What each kind of constant must name; Domain.load adds Rasa's own (nlu_fallback, requested_slot,
# action_session_start), which Candor's code refers to as well.
KINDS = {
    "_SLOT": {slot.name for slot in DOMAIN.slots},
    "_INTENT": set(DOMAIN.intents),
    "_ACTION": set(DOMAIN.action_names_or_texts),
    "_FORM": set(DOMAIN.form_names),
}


def constants() -> Dict[str, str]:
    return {name: value for name, value in vars(names).items() if name.isupper() and isinstance(value, str)}


def test_there_are_names_to_check() -> None:
    assert len(constants()) > 30


@pytest.mark.parametrize("constant", sorted(constants()))
def test_each_constant_names_what_its_kind_says_in_the_domain(constant: str) -> None:
    kind = next((suffix for suffix in KINDS if constant.endswith(suffix)), None)
    assert kind is not None, f"{constant}: end the name with one of {sorted(KINDS)}"
    assert constants()[constant] in KINDS[kind], f"{constant} = {constants()[constant]!r} is not in the domain"


def test_each_value_is_defined_once() -> None:
    values = list(constants().values())
    assert len(values) == len(set(values))


def test_the_names_import_nothing_of_candor() -> None:
    """Both servers and Rasa's graph components import these: pure constants, nothing else."""
    for module in (conversation, names):
        tree = ast.parse(inspect.getsource(module))
        imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
        assert imported <= {"__future__", "typing"}, f"{module.__name__} imports {sorted(imported)}"

"""The import contracts in pyproject.toml cover every part of bot, so a new module cannot slip past them."""

from __future__ import annotations

import tomli

from bot.settings import PROJECT_ROOT

# What Rasa's graph components may import: the policy, the small modules it reads, and the shared names.
COMPONENTS_MAY_IMPORT = {
    "bot.components",
    "bot.conversation",
    "bot.policy",
    "bot.policy_sections",
    "bot.settings",
    "bot.yaml_files",
    "bot.bounded_text",
    # For `bot.handoff.slot` only (what the handoff_status slot means): the rest of bot.handoff reads
    # bot.store, which stays forbidden, and lint-imports follows indirect imports too.
    "bot.handoff",
}


def contract(name_starts: str) -> dict:
    config = tomli.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return next(c for c in config["tool"]["importlinter"]["contracts"] if c["name"].startswith(name_starts))


def bot_modules() -> set:
    """Every package and module directly under bot/, as import-linter names them."""
    folder = PROJECT_ROOT / "bot"
    packages = {path.parent.name for path in folder.glob("*/__init__.py")}
    modules = {path.stem for path in folder.glob("*.py") if path.stem not in ("__init__", "__main__")}
    return {f"bot.{name}" for name in packages | modules}


def test_every_part_of_bot_is_either_allowed_to_components_or_forbidden_to_them() -> None:
    forbidden = set(contract("bot.components").get("forbidden_modules", []))

    assert bot_modules() - COMPONENTS_MAY_IMPORT - forbidden == set()
    assert forbidden & COMPONENTS_MAY_IMPORT == set()

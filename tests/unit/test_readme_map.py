"""The README's "How it is built" map stays true: what it names exists, and every package is on it.

A newcomer finds each capability's code from that map (issue 18), so a folder moved or renamed
without the map, or a new package left off it, fails here rather than misleading them.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import List, Tuple

from bot.settings import PROJECT_ROOT

README = PROJECT_ROOT / "README.md"
SECTION = "## How it is built"
# "components/", "nlg.py", "tracker_store.py, lock_store.py": the names a map line starts with.
ENTRY = re.compile(r"^(?P<indent> *)(?P<names>[\w.]+/?(?:, [\w.]+/?)*)(?:\s|$)")
# A path in backticks in the walk-through: `bot/channels/web.py`, `data/rules/distress.yml`.
QUOTED_PATH = re.compile(r"`((?:bot|actions|data|accessibility|tests)/[\w./-]*)`")


def section() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index(SECTION)
    end = text.find("\n## ", start + len(SECTION))
    return text[start : end if end != -1 else len(text)]


def map_entries() -> List[Tuple[str, str]]:
    """(line, path) for every folder or file the map's code block names, resolved from its parents."""
    block = section().split("```")[1]
    entries: List[Tuple[str, str]] = []
    parents: List[Tuple[int, str]] = []
    for line in block.splitlines():
        match = ENTRY.match(line)
        if not match or not re.search(r"[/.]", match.group("names").split(",")[0]):
            continue  # a description carried over from the line above
        indent = len(match.group("indent"))
        parents = [(depth, folder) for depth, folder in parents if depth < indent]
        prefix = parents[-1][1] if parents else ""
        for name in match.group("names").split(", "):
            entries.append((line.strip(), prefix + name))
        first = match.group("names").split(", ")[0]
        if first.endswith("/"):
            parents.append((indent, prefix + first))
    return entries


def test_the_map_names_the_projects_top_folders() -> None:
    paths = {path for _, path in map_entries()}

    assert {"bot/", "actions/", "data/", "accessibility/", "tests/", "bot/handoff/", "bot/conversation/"} <= paths


def test_every_folder_and_file_on_the_map_exists() -> None:
    missing = [f"{path} ({line})" for line, path in map_entries() if not (PROJECT_ROOT / path).exists()]

    assert not missing, f"the README's map names what is not there: {missing}"


def test_every_package_of_the_rasa_servers_python_is_on_the_map() -> None:
    on_the_map = {path for _, path in map_entries()}
    packages = sorted(
        f"bot/{folder.name}/" for folder in (PROJECT_ROOT / "bot").iterdir() if (folder / "__init__.py").is_file()
    )

    assert [package for package in packages if package not in on_the_map] == []


def test_every_path_the_walk_through_quotes_exists() -> None:
    quoted = QUOTED_PATH.findall(section())

    assert quoted, "the walk-through follows the message through named files"
    assert [path for path in quoted if not (PROJECT_ROOT / path).exists()] == []

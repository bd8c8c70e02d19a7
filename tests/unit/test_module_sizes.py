"""No Python module in Candor's packages grows past 400 lines (issue 18).

A module that long has usually taken on a second job; splitting it along that seam keeps each
file readable in one sitting. The test names every module over the limit, so the fix is obvious.
"""

from __future__ import annotations

from pathlib import Path
from typing import Dict

from bot.settings import PROJECT_ROOT

MAX_LINES = 400
PACKAGES = ("bot", "actions", "accessibility")


def line_count(path: Path) -> int:
    with path.open("rb") as source:
        return sum(1 for _ in source)


def oversized_modules(root: Path = PROJECT_ROOT) -> Dict[str, int]:
    """Every `.py` module under the packages that is over the limit, by its path from `root`."""
    sizes = {
        path.relative_to(root).as_posix(): line_count(path)
        for package in PACKAGES
        for path in sorted((root / package).rglob("*.py"))
    }
    return {module: lines for module, lines in sizes.items() if lines > MAX_LINES}


def test_every_package_holds_python_modules() -> None:
    for package in PACKAGES:
        assert any((PROJECT_ROOT / package).rglob("*.py")), f"{package}/ has no Python modules to check"


def test_no_module_is_over_the_limit() -> None:
    oversized = oversized_modules()
    assert not oversized, f"modules over {MAX_LINES} lines; split each along a seam: " + ", ".join(
        f"{module} ({lines} lines)" for module, lines in sorted(oversized.items())
    )


def test_an_oversized_module_is_named(tmp_path: Path) -> None:
    (tmp_path / "bot").mkdir()
    (tmp_path / "bot" / "long.py").write_text("x = 1\n" * (MAX_LINES + 1), encoding="utf-8")
    (tmp_path / "bot" / "short.py").write_text("x = 1\n" * MAX_LINES, encoding="utf-8")
    (tmp_path / "actions").mkdir()

    assert oversized_modules(tmp_path) == {"bot/long.py": MAX_LINES + 1}

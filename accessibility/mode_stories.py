"""The conversation tests, rewritten for one accessibility mode, to prove modes change no decision.

`python -m accessibility.mode_stories plain var/tests/plain` copies every test story in
`data/tests/` with the mode set right after the customer's first message (as a channel's metadata
would set it). `candor test-conversations` (in `make test`) runs the copies for plain and
screen-reader modes with the same model and the same expectations as the originals.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Dict, List

import yaml

from accessibility.modes import MODE_SLOT, Mode

# The project's test stories, for `python -m`; found beside this package, not through `bot`.
TESTS_DIR = Path(__file__).resolve().parents[1] / "data" / "tests"


def story_in_mode(story: Dict[str, Any], mode: Mode) -> Dict[str, Any]:
    """`story` with the mode set after its first customer message."""
    steps: List[Dict[str, Any]] = list(story.get("steps") or [])
    first_user = next((index for index, step in enumerate(steps) if "user" in step or "intent" in step), None)
    if first_user is not None:
        steps.insert(first_user + 1, {"slot_was_set": [{MODE_SLOT: mode.value}]})
    return {**story, "story": f"{story.get('story')} ({mode.value} mode)", "steps": steps}


def write_mode_stories(mode: Mode, out: Path, tests_dir: Path = TESTS_DIR) -> int:
    """Write every test story in `mode` under `out`; how many stories were written."""
    out.mkdir(parents=True, exist_ok=True)
    written = 0
    for path in sorted(tests_dir.glob("*.yml")):
        content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        stories = [story_in_mode(story, mode) for story in content.get("stories") or []]
        written += len(stories)
        (out / path.name).write_text(yaml.safe_dump({**content, "stories": stories}, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return written


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in {mode.value for mode in Mode}:
        sys.exit(f"usage: python -m accessibility.mode_stories {{{'|'.join(mode.value for mode in Mode)}}} OUT_DIR")
    count = write_mode_stories(Mode(sys.argv[1]), Path(sys.argv[2]))
    print(f"{count} test stories written for {sys.argv[1]} mode to {sys.argv[2]}")

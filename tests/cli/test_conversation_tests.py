"""`candor test-conversations`: a wrong expectation fails it, in the mode where it is wrong, with a reason."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

WRONG_STORY = {
    "version": "3.1",
    "stories": [
        {
            "story": "a greeting answered with a goodbye",
            "steps": [{"user": "hello", "intent": "greet"}, {"action": "utter_goodbye"}],
        }
    ],
}


def test_conversation_tests_fail_on_a_wrong_prediction(tmp_path: Path) -> None:
    (tmp_path / "test_wrong.yml").write_text(yaml.safe_dump(WRONG_STORY), encoding="utf-8")

    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "test-conversations", "--stories", str(tmp_path)],
        capture_output=True, text=True, env=os.environ, timeout=300,
    )

    assert result.returncode == 2, result.stdout[-2000:]
    assert "a conversation test failed in standard mode" in result.stderr


def test_conversation_tests_without_stories_are_refused_with_a_reason(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "test-conversations", "--stories", str(tmp_path)],
        capture_output=True, text=True, env=os.environ, timeout=120,
    )

    assert result.returncode == 2
    assert f"no test stories (*.yml) in {tmp_path}" in result.stderr

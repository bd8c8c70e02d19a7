"""Reading the YAML files people edit (the policy, the distress lexicon and training data), with
errors that name the file and what it was meant to be, in the caller's own exception type."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Type

import yaml


def read_yaml(path: Path, error: Type[Exception], what: str) -> Any:
    """The parsed content of `path`; `error` if it cannot be read ("cannot read <what> <path>")
    or is not YAML."""
    try:
        return yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as failure:
        raise error(f"cannot read {what} {path}: {failure.strerror}") from failure
    except yaml.YAMLError as failure:
        raise error(f"{path} is not valid YAML: {failure}") from failure

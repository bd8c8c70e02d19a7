"""Reading the shop's YAML data files, with errors that name the file, the record and the field.

Teams change Candor's behaviour by editing data, so a typo there must produce a message that
says exactly where to look, not a stack trace from deep inside a parser.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError


class DataFileError(ValueError):
    """A data file is missing, unreadable or holds a value the shop cannot use."""


def read_yaml_mapping(path: Path) -> dict[str, Any]:
    """Parse `path`, insisting on a mapping at the top so every file has named sections."""
    try:
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataFileError(f"{path}: file not found") from None
    except yaml.YAMLError as exc:
        raise DataFileError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(content, dict):
        raise DataFileError(f"{path}: expected a mapping of names to values at the top level")
    return content


def explain(exc: ValidationError, where: str) -> DataFileError:
    """Turn pydantic's error list into one message per field, each prefixed with `where`."""
    problems = []
    for error in exc.errors():
        # Record-wide checks report under `__root__` and name their fields in the message.
        field = ".".join(str(part) for part in error["loc"] if part != "__root__")
        problems.append(
            f"{where}: {field}: {error['msg']}" if field else f"{where}: {error['msg']}"
        )
    return DataFileError("\n".join(problems))

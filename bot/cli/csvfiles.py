"""Reading the CSV files evaluation commands are given, with one-line reasons for bad ones."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Dict, List, Sequence

from bot.cli.errors import CommandError


def read_csv_rows(path: Path, columns: Sequence[str]) -> List[Dict[str, str]]:
    """Every row of a UTF-8 CSV that has at least `columns` (named in the error in this order)."""
    if not path.is_file():
        raise CommandError(f"no such file: {path}")
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            missing = set(columns) - set(reader.fieldnames or [])
            if missing:
                raise CommandError(
                    f"{path} needs the columns {' and '.join(columns)} (missing: {', '.join(sorted(missing))})"
                )
            return list(reader)
    except UnicodeDecodeError:
        raise CommandError(f"{path} is not UTF-8 text") from None
    except csv.Error as error:
        raise CommandError(f"{path} is not valid CSV: {error}") from None

"""The shop's business rules, read from `data/seed/shop.yml` so a team changes policy in data.

Refund windows, quantity limits and VAT are the kind of numbers a business revises; keeping them
out of Python means the assistant's answers and the rules it enforces always agree.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, ValidationError

from bot.settings import SEED_DIR
from bot.store.datafiles import explain, read_yaml_mapping

SHOP_FILE = "shop.yml"
_CURRENCY_SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$"}


class Shop(BaseModel):
    """Fernleaf Home's policies; every field is required so a missing rule is noticed early."""

    name: str = Field(..., min_length=1)
    currency: str = Field(..., regex=r"^[A-Z]{3}$")
    vat_rate: Decimal = Field(..., ge=0, lt=1)
    refund_window_days: int = Field(..., gt=0)
    refund_payment_working_days: int = Field(..., gt=0)
    max_quantity_per_line: int = Field(..., gt=0)
    # The only policy the demo implements, named so the assistant's wording can cite it.
    invoice_issued_on: Literal["dispatch"]

    class Config:
        extra = "forbid"
        allow_mutation = False

    def vat_included_in(self, gross_pence: int) -> int:
        """The VAT inside a VAT-inclusive UK price, rounded to the nearest penny."""
        net = (Decimal(gross_pence) / (1 + self.vat_rate)).quantize(Decimal(1), ROUND_HALF_UP)
        return gross_pence - int(net)

    def refund_expected_by(self, approved_on: date) -> date:
        """When an approved refund should reach the customer's account."""
        return add_working_days(approved_on, self.refund_payment_working_days)


def format_money(pence: int, currency: str = "GBP") -> str:
    """`£1,234.50` for GBP; currencies without a known symbol read `1,234.50 SEK`."""
    sign = "-" if pence < 0 else ""
    amount = f"{abs(pence) // 100:,}.{abs(pence) % 100:02d}"
    symbol = _CURRENCY_SYMBOLS.get(currency)
    return f"{sign}{symbol}{amount}" if symbol else f"{sign}{amount} {currency}"


def add_working_days(start: date, days: int) -> date:
    """`days` weekdays after `start`; bank holidays are ignored, which the demo accepts."""
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            remaining -= 1
    return current


def load_shop(seed_dir: Path = SEED_DIR) -> Shop:
    """Read and validate `shop.yml`; a bad value raises a `DataFileError` naming file and field."""
    path = seed_dir / SHOP_FILE
    try:
        return Shop(**read_yaml_mapping(path))
    except ValidationError as exc:
        raise explain(exc, str(path)) from None


@cache
def shop_rules() -> Shop:
    """The shop's rules from the default seed directory, read once per process."""
    return load_shop()

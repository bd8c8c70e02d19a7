"""The shop's business rules come from data/seed/shop.yml and are checked when read."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from bot.store import DataFileError, format_money, load_shop, shop_rules
from bot.store.shop import add_working_days


def test_the_shop_rules_come_from_shop_yml():
    shop = shop_rules()

    assert shop.name == "Fernleaf Home" and shop.currency == "GBP"
    assert shop.refund_window_days == 30 and shop.max_quantity_per_line == 10
    assert shop.vat_rate == Decimal("0.20") and shop.invoice_issued_on == "dispatch"
    assert shop.refund_payment_working_days == 5


def test_a_bad_shop_rule_is_reported_with_its_file_and_field(seed_copy, edit_yaml):
    edit_yaml(seed_copy / "shop.yml", lambda rules: rules.update(refund_window_days=0))

    with pytest.raises(DataFileError, match=r"shop\.yml: refund_window_days: .*greater than 0"):
        load_shop(seed_copy)


def test_a_misspelt_shop_rule_is_refused_rather_than_ignored(seed_copy, edit_yaml):
    edit_yaml(seed_copy / "shop.yml", lambda rules: rules.update(refund_window_day=14))

    with pytest.raises(DataFileError, match=r"shop\.yml: refund_window_day: extra fields"):
        load_shop(seed_copy)


def test_a_missing_shop_file_is_named(tmp_path):
    with pytest.raises(DataFileError, match=r"shop\.yml: file not found"):
        load_shop(tmp_path)


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        (date(2026, 3, 11), date(2026, 3, 18)),  # Wednesday to Wednesday
        (date(2026, 3, 13), date(2026, 3, 20)),  # Friday to Friday
        (date(2026, 3, 14), date(2026, 3, 20)),  # Saturday: the weekend does not count
    ],
)
def test_refund_payments_are_expected_after_five_working_days(start, expected):
    assert shop_rules().refund_expected_by(start) == expected == add_working_days(start, 5)


@pytest.mark.parametrize(
    ("pence", "text"),
    [(6900, "£69.00"), (5, "£0.05"), (123456, "£1,234.56"), (-250, "-£2.50")],
)
def test_money_reads_as_pounds_and_pence(pence, text):
    assert format_money(pence) == text


def test_money_in_a_currency_without_a_symbol_names_the_currency():
    assert format_money(1999, "SEK") == "19.99 SEK"

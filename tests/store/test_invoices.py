"""Invoices: issued on dispatch, with VAT shown as the part of the price it already includes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from bot.store import invoice_for_order, invoice_view, shop_rules

ADA = "ada.thornbury@example.com"


@pytest.mark.parametrize(
    ("number", "email"),
    [(104501, ADA), (104506, "bilal.okafor@example.com"), (104505, ADA)],
)
def test_there_is_no_invoice_before_dispatch(session, order, number, email):
    assert invoice_for_order(session, order(number, email)) is None


def test_the_invoice_is_dated_on_dispatch_and_numbered_by_that_year(session, order):
    delivered = order(104503, ADA)

    invoice = invoice_for_order(session, delivered)

    assert invoice is not None
    assert invoice.issued_at == delivered.shipped_at
    assert invoice.number == "INV-2026-000309"


def test_invoice_totals_show_the_vat_included_at_twenty_percent(session, order):
    invoice = invoice_for_order(session, order(104503, ADA))

    assert (invoice.total_pence, invoice.vat_pence, invoice.net_pence) == (6900, 1150, 5750)


def test_the_invoice_view_lists_every_line_and_adds_up(session, order):
    several_lines = order(104525, "grace.whitlock@example.com")

    view = invoice_view(invoice_for_order(session, several_lines))

    assert [line.sku for line in view.lines] == ["THR-WOOL", "CSH-VELV", "POT-HANG"]
    assert sum(line.total_pence for line in view.lines) == view.total_pence == 6500 + 4400 + 1400
    assert view.net_pence + view.vat_pence == view.total_pence
    assert (view.order_number, view.customer_name) == (104525, "Grace Whitlock")
    assert view.issued_on == date(2026, 3, 7) and view.currency == "GBP"


def test_an_invoice_reads_as_plain_text(session, order):
    text = invoice_view(invoice_for_order(session, order(104503, ADA))).as_text()

    assert text.splitlines() == [
        "Invoice INV-2026-000309 for order 104503, issued 4 March 2026",
        "1 × Opal mushroom table lamp (LMP-MUSH): £45.00",
        "2 × Oatmeal speckled mug (MUG-OAT): £24.00",
        "Net: £57.50",
        "VAT at 20%: £11.50",
        "Total: £69.00",
    ]


@pytest.mark.parametrize(("gross", "vat"), [(1200, 200), (1001, 167), (950, 158), (1, 0)])
def test_vat_is_rounded_to_the_nearest_penny(gross, vat):
    shop = shop_rules()

    assert shop.vat_rate == Decimal("0.20")
    assert shop.vat_included_in(gross) == vat

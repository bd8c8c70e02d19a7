"""Invoices, issued when an order is dispatched, and a plain view of one to read out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import partial

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.store.shop import Shop, format_money, shop_rules
from bot.store.shop_records import Invoice, Order


@dataclass(frozen=True)
class InvoiceLineView:
    sku: str
    description: str
    quantity: int
    unit_price_pence: int
    total_pence: int


@dataclass(frozen=True)
class InvoiceView:
    """Everything printed on an invoice, as plain values with no database session attached."""

    number: str
    order_number: int
    issued_on: date
    customer_name: str
    lines: tuple[InvoiceLineView, ...]
    net_pence: int
    vat_pence: int
    total_pence: int
    vat_rate: Decimal
    currency: str

    def as_text(self) -> str:
        """A short plain-text rendering that reads well in a chat bubble or a screen reader."""
        money = partial(format_money, currency=self.currency)
        issued = f"{self.issued_on.day} {self.issued_on:%B %Y}"
        vat_percent = f"{(self.vat_rate * 100).normalize():f}"
        return "\n".join(
            [
                f"Invoice {self.number} for order {self.order_number}, issued {issued}",
                *(
                    f"{line.quantity} × {line.description} ({line.sku}): {money(line.total_pence)}"
                    for line in self.lines
                ),
                f"Net: {money(self.net_pence)}",
                f"VAT at {vat_percent}%: {money(self.vat_pence)}",
                f"Total: {money(self.total_pence)}",
            ]
        )


def invoice_for_order(session: Session, order: Order) -> Invoice | None:
    """The order's invoice; None until the order is dispatched, which is when it is issued."""
    query = select(Invoice).where(Invoice.order_id == order.id)
    return session.execute(query).scalar_one_or_none()


def invoice_view(invoice: Invoice, *, shop: Shop | None = None) -> InvoiceView:
    """Lines and totals of an invoice; lines come from the order, frozen once it was dispatched."""
    shop = shop or shop_rules()
    order = invoice.order
    return InvoiceView(
        number=invoice.number,
        order_number=order.id,
        issued_on=invoice.issued_at.date(),
        customer_name=order.customer.name,
        lines=tuple(
            InvoiceLineView(
                sku=line.sku,
                description=line.product.name,
                quantity=line.quantity,
                unit_price_pence=line.unit_price_pence,
                total_pence=line.total_pence,
            )
            for line in order.lines
        ),
        net_pence=invoice.net_pence,
        vat_pence=invoice.vat_pence,
        total_pence=invoice.total_pence,
        vat_rate=shop.vat_rate,
        currency=shop.currency,
    )


def invoice_number(issued_at: datetime, sequence: int) -> str:
    """`INV-2026-000123`: the year of issue, then the shop's running sequence."""
    return f"INV-{issued_at.year}-{sequence:06d}"


def issue_invoice(
    session: Session,
    order: Order,
    sequence: int,
    issued_at: datetime,
    *,
    shop: Shop | None = None,
) -> Invoice:
    """Issue the invoice for a dispatched order; prices include VAT, so VAT is the part within."""
    if not order.is_dispatched:
        raise ValueError(
            f"order {order.id} is {order.status.value}: invoices are issued on dispatch"
        )
    shop = shop or shop_rules()
    total = order.total_pence
    invoice = Invoice(
        number=invoice_number(issued_at, sequence),
        order=order,
        issued_at=issued_at,
        total_pence=total,
        vat_pence=shop.vat_included_in(total),
    )
    session.add(invoice)
    return invoice

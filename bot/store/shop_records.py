"""The shop's records: customers, products, orders and their lines, refunds, invoices.

Rules that follow from a record's own state (can this order still be cancelled?) live here, so
every caller asks the same question the same way. Money is integer pence; times are UTC.
"""

from __future__ import annotations

import enum
from datetime import date, datetime, timedelta

from sqlalchemy import Boolean, CheckConstraint, Column, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, relationship, validates

from bot.store.base import Base, UTCDateTime, stored_as_text


def normalise_email(email: str) -> str:
    """Emails are compared trimmed and lowercased, as customers type them every which way."""
    return email.strip().lower()


class OrderStatus(str, enum.Enum):
    """placed → processing → shipped → delivered; cancelled is possible only before shipping."""

    PLACED = "placed"
    PROCESSING = "processing"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"


class DeliveryMethod(str, enum.Enum):
    STANDARD = "standard"
    EXPRESS = "express"
    CLICK_AND_COLLECT = "click_and_collect"


class RefundStatus(str, enum.Enum):
    """requested → approved → paid, or requested → rejected."""

    REQUESTED = "requested"
    APPROVED = "approved"
    PAID = "paid"
    REJECTED = "rejected"


class Customer(Base):
    """Someone who has an account; the email is how the assistant recognises them."""

    __tablename__ = "customers"

    id: Mapped[int] = Column(Integer, primary_key=True)
    customer_number: Mapped[str] = Column(String(16), unique=True, nullable=False)
    name: Mapped[str] = Column(String(120), nullable=False)
    email: Mapped[str] = Column(String(254), unique=True, nullable=False)
    postcode: Mapped[str] = Column(String(10), nullable=False)
    default_address: Mapped[str] = Column(Text, nullable=False)
    newsletter_opt_in: Mapped[bool] = Column(Boolean, nullable=False, default=False)
    # When consent last changed, so the shop can show when a customer said yes or no.
    newsletter_changed_at: Mapped[datetime | None] = Column(UTCDateTime)
    created_at: Mapped[datetime] = Column(UTCDateTime, nullable=False)

    orders: Mapped[list[Order]] = relationship(
        "Order", back_populates="customer", order_by="Order.placed_at"
    )

    @property
    def postal_address(self) -> str:
        """The default address with its postcode, as printed on a parcel."""
        return f"{self.default_address} {self.postcode}"

    @validates("email")
    def _normalise_email(self, _key: str, email: str) -> str:
        return normalise_email(email)


class Product(Base):
    """An item in the catalogue, at today's VAT-inclusive price."""

    __tablename__ = "products"
    __table_args__ = (CheckConstraint("price_pence >= 0", name="price_not_negative"),)

    sku: Mapped[str] = Column(String(32), primary_key=True)
    name: Mapped[str] = Column(String(120), nullable=False)
    price_pence: Mapped[int] = Column(Integer, nullable=False)


class Order(Base):
    """A customer's order; its state decides what the assistant may still do with it."""

    __tablename__ = "orders"

    # The public six-digit order number customers quote, so it is assigned, not generated.
    id: Mapped[int] = Column(Integer, primary_key=True, autoincrement=False)
    customer_id: Mapped[int] = Column(ForeignKey("customers.id"), nullable=False, index=True)
    status: Mapped[OrderStatus] = Column(stored_as_text(OrderStatus), nullable=False)
    placed_at: Mapped[datetime] = Column(UTCDateTime, nullable=False)
    updated_at: Mapped[datetime] = Column(UTCDateTime, nullable=False)
    shipped_at: Mapped[datetime | None] = Column(UTCDateTime)
    delivered_at: Mapped[datetime | None] = Column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = Column(UTCDateTime)
    shipping_address: Mapped[str] = Column(Text, nullable=False)
    delivery_method: Mapped[DeliveryMethod] = Column(
        stored_as_text(DeliveryMethod), nullable=False
    )
    carrier: Mapped[str | None] = Column(String(60))
    tracking_number: Mapped[str | None] = Column(String(60))
    estimated_delivery: Mapped[date | None] = Column(Date)

    customer: Mapped[Customer] = relationship("Customer", back_populates="orders")
    lines: Mapped[list[OrderLine]] = relationship(
        "OrderLine", back_populates="order", cascade="all, delete-orphan", order_by="OrderLine.id"
    )
    refunds: Mapped[list[Refund]] = relationship(
        "Refund", back_populates="order", order_by="Refund.requested_at"
    )
    invoice: Mapped[Invoice | None] = relationship("Invoice", back_populates="order", uselist=False)

    @property
    def total_pence(self) -> int:
        return sum(line.total_pence for line in self.lines)

    @property
    def can_be_cancelled(self) -> bool:
        """Only until the warehouse dispatches it."""
        return self.status in (OrderStatus.PLACED, OrderStatus.PROCESSING)

    @property
    def can_be_changed(self) -> bool:
        """Lines and address can change exactly while the order could still be cancelled."""
        return self.can_be_cancelled

    @property
    def is_cancelled(self) -> bool:
        return self.status is OrderStatus.CANCELLED

    @property
    def is_dispatched(self) -> bool:
        return self.status in (OrderStatus.SHIPPED, OrderStatus.DELIVERED)

    @property
    def is_in_transit(self) -> bool:
        return self.status is OrderStatus.SHIPPED

    @property
    def is_delivered(self) -> bool:
        return self.status is OrderStatus.DELIVERED

    @property
    def is_for_collection(self) -> bool:
        return self.delivery_method is DeliveryMethod.CLICK_AND_COLLECT

    def is_overdue(self, today: date) -> bool:
        """In transit past its estimated delivery date: the customer deserves an apology."""
        return (
            self.is_in_transit
            and self.estimated_delivery is not None
            and self.estimated_delivery < today
        )

    def refund_window_closes_at(self, window_days: int) -> datetime | None:
        """The last moment a refund may be requested; None until the order is delivered."""
        if self.delivered_at is None:
            return None
        return self.delivered_at + timedelta(days=window_days)

    def line_for(self, sku: str) -> OrderLine | None:
        return next((line for line in self.lines if line.sku == sku), None)


class OrderLine(Base):
    """One product on an order; one line per product, so quantities change in one place."""

    __tablename__ = "order_lines"
    __table_args__ = (
        UniqueConstraint("order_id", "sku"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("unit_price_pence >= 0", name="unit_price_not_negative"),
    )

    id: Mapped[int] = Column(Integer, primary_key=True)
    order_id: Mapped[int] = Column(ForeignKey("orders.id"), nullable=False, index=True)
    sku: Mapped[str] = Column(ForeignKey("products.sku"), nullable=False)
    quantity: Mapped[int] = Column(Integer, nullable=False)
    # The price paid, which may differ from the product's price today.
    unit_price_pence: Mapped[int] = Column(Integer, nullable=False)

    order: Mapped[Order] = relationship("Order", back_populates="lines")
    product: Mapped[Product] = relationship("Product")

    @property
    def total_pence(self) -> int:
        return self.quantity * self.unit_price_pence


class Refund(Base):
    """Money going back to the customer, for a delivered order or a cancellation."""

    __tablename__ = "refunds"
    __table_args__ = (CheckConstraint("amount_pence > 0", name="amount_positive"),)

    id: Mapped[int] = Column(Integer, primary_key=True)
    reference: Mapped[str] = Column(String(16), unique=True, nullable=False)
    order_id: Mapped[int] = Column(ForeignKey("orders.id"), nullable=False, index=True)
    status: Mapped[RefundStatus] = Column(stored_as_text(RefundStatus), nullable=False)
    amount_pence: Mapped[int] = Column(Integer, nullable=False)
    reason: Mapped[str] = Column(Text, nullable=False)
    requested_at: Mapped[datetime] = Column(UTCDateTime, nullable=False)
    updated_at: Mapped[datetime] = Column(UTCDateTime, nullable=False)
    # Set once approved: when the money should reach the customer.
    expected_by: Mapped[date | None] = Column(Date)

    order: Mapped[Order] = relationship("Order", back_populates="refunds")

    @property
    def is_active(self) -> bool:
        """Anything but rejected; a rejected refund leaves the customer free to ask again."""
        return self.status is not RefundStatus.REJECTED


class Invoice(Base):
    """The VAT invoice issued when an order is dispatched; its totals never change afterwards."""

    __tablename__ = "invoices"

    id: Mapped[int] = Column(Integer, primary_key=True)
    number: Mapped[str] = Column(String(20), unique=True, nullable=False)
    order_id: Mapped[int] = Column(ForeignKey("orders.id"), unique=True, nullable=False)
    issued_at: Mapped[datetime] = Column(UTCDateTime, nullable=False)
    total_pence: Mapped[int] = Column(Integer, nullable=False)
    vat_pence: Mapped[int] = Column(Integer, nullable=False)

    order: Mapped[Order] = relationship("Order", back_populates="invoice")

    @property
    def net_pence(self) -> int:
        return self.total_pence - self.vat_pence

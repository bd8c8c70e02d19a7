"""The shop's records: customers, products, orders and their lines, refunds, invoices, handoffs.

Rules that follow from a record's own state (can this order still be cancelled?) live here, so
every caller asks the same question the same way. Money is integer pence; times are UTC.
"""

from __future__ import annotations

import enum
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Mapped, declarative_base, relationship, validates
from sqlalchemy.types import TypeDecorator

# Named constraints, so a later migration can refer to them on any database.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
Base = declarative_base(metadata=MetaData(naming_convention=NAMING_CONVENTION))


class UTCDateTime(TypeDecorator):
    """Stores UTC and always reads back timezone-aware, even on SQLite, which drops tzinfo."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: pass a timezone-aware time, e.g. in UTC")
        return value.astimezone(timezone.utc)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


def _stored_as_text(enum_class: type[enum.Enum]) -> Enum:
    """Store an enum's lowercase values as checked text: portable, and readable in SQL."""
    return Enum(
        enum_class,
        native_enum=False,
        create_constraint=True,
        length=24,
        values_callable=lambda members: [member.value for member in members],
    )


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


class HandoffStatus(str, enum.Enum):
    """waiting → assigned → closed; a customer may cancel while waiting."""

    WAITING = "waiting"
    CANCELLED = "cancelled"
    ASSIGNED = "assigned"
    CLOSED = "closed"


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
    status: Mapped[OrderStatus] = Column(_stored_as_text(OrderStatus), nullable=False)
    placed_at: Mapped[datetime] = Column(UTCDateTime, nullable=False)
    updated_at: Mapped[datetime] = Column(UTCDateTime, nullable=False)
    shipped_at: Mapped[datetime | None] = Column(UTCDateTime)
    delivered_at: Mapped[datetime | None] = Column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = Column(UTCDateTime)
    shipping_address: Mapped[str] = Column(Text, nullable=False)
    delivery_method: Mapped[DeliveryMethod] = Column(
        _stored_as_text(DeliveryMethod), nullable=False
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
    status: Mapped[RefundStatus] = Column(_stored_as_text(RefundStatus), nullable=False)
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


class Handoff(Base):
    """A conversation's request for a human agent, and its place in the queue."""

    __tablename__ = "handoffs"
    __table_args__ = (
        CheckConstraint("priority >= 1", name="priority_positive"),
        Index("ix_handoffs_queue", "status", "priority", "requested_at"),
        # At most one waiting handoff per conversation, even if two processes race to add one.
        Index(
            "uq_handoffs_one_waiting_per_conversation",
            "conversation_id",
            unique=True,
            sqlite_where=text("status = 'waiting'"),
            postgresql_where=text("status = 'waiting'"),
        ),
    )

    id: Mapped[int] = Column(Integer, primary_key=True)
    conversation_id: Mapped[str] = Column(String(255), nullable=False, index=True)
    reason: Mapped[str] = Column(Text, nullable=False)
    # Smaller is served first; 3 is an ordinary request.
    priority: Mapped[int] = Column(Integer, nullable=False)
    status: Mapped[HandoffStatus] = Column(_stored_as_text(HandoffStatus), nullable=False)
    channel: Mapped[str | None] = Column(String(40))
    requested_at: Mapped[datetime] = Column(UTCDateTime, nullable=False)
    updated_at: Mapped[datetime] = Column(UTCDateTime, nullable=False)

    @property
    def is_waiting(self) -> bool:
        return self.status is HandoffStatus.WAITING


class ConsentDecision(str, enum.Enum):
    """What a customer said when asked to let the assistant use their history."""

    GRANTED = "granted"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"


class ConsentRecord(Base):
    """One decision about one purpose, kept as proof: who, what they were shown, when, where.

    Records are only ever added; the latest record for a customer and purpose is in force.
    """

    __tablename__ = "consent_records"
    __table_args__ = (Index("ix_consent_records_latest", "customer_id", "purpose", "decided_at"),)

    id: Mapped[int] = Column(Integer, primary_key=True)
    customer_id: Mapped[int] = Column(ForeignKey("customers.id"), nullable=False)
    purpose: Mapped[str] = Column(String(60), nullable=False)
    consent_version: Mapped[str] = Column(String(40), nullable=False)
    decision: Mapped[ConsentDecision] = Column(_stored_as_text(ConsentDecision), nullable=False)
    decided_at: Mapped[datetime] = Column(UTCDateTime, nullable=False)
    channel: Mapped[str | None] = Column(String(40))
    conversation_id: Mapped[str | None] = Column(String(255))
    # SHA-256 of the exact words the customer was shown, so the wording can be proven later.
    wording_sha256: Mapped[str | None] = Column(String(64))


class CustomerConversation(Base):
    """A conversation in which a customer proved who they are: what export and erasure reach."""

    __tablename__ = "customer_conversations"
    __table_args__ = (UniqueConstraint("customer_id", "conversation_id"),)

    id: Mapped[int] = Column(Integer, primary_key=True)
    customer_id: Mapped[int] = Column(ForeignKey("customers.id"), nullable=False, index=True)
    conversation_id: Mapped[str] = Column(String(255), nullable=False, index=True)
    identified_at: Mapped[datetime] = Column(UTCDateTime, nullable=False)


class ErasureReceipt(Base):
    """Proof that an erasure happened, holding nothing that identifies whose data it was."""

    __tablename__ = "erasure_receipts"

    id: Mapped[int] = Column(Integer, primary_key=True)
    reference: Mapped[str] = Column(String(24), unique=True, nullable=False)
    erased_at: Mapped[datetime] = Column(UTCDateTime, nullable=False)
    conversations_erased: Mapped[int] = Column(Integer, nullable=False)
    consent_records_erased: Mapped[int] = Column(Integer, nullable=False)
    orders_anonymised: Mapped[int] = Column(Integer, nullable=False)


class DistressDetection(Base):
    """That the assistant noticed distress, and what it did: never the words that showed it."""

    __tablename__ = "distress_detections"

    id: Mapped[int] = Column(Integer, primary_key=True)
    conversation_id: Mapped[str] = Column(String(255), nullable=False, index=True)
    category: Mapped[str] = Column(String(40), nullable=False)
    score: Mapped[float] = Column(Float, nullable=False)
    # What the assistant did: "crisis_resources_and_handoff", "offered_person", "told_person_is_coming".
    response: Mapped[str] = Column(String(60), nullable=False)
    detected_at: Mapped[datetime] = Column(UTCDateTime, nullable=False)


class AgentAction(Base):
    """Who did what from the agent console, and when: the record of every human intervention.

    What an agent wrote is in the conversation itself (redacted like everything stored there).
    """

    __tablename__ = "agent_actions"

    id: Mapped[int] = Column(Integer, primary_key=True)
    agent: Mapped[str] = Column(String(80), nullable=False)
    action: Mapped[str] = Column(String(24), nullable=False)  # view, take, reply, hand_back
    conversation_id: Mapped[str | None] = Column(String(255), index=True)
    at: Mapped[datetime] = Column(UTCDateTime, nullable=False)


class AuditRecord(Base):
    """One link of the audit trail: what the assistant decided in one turn, or which policy it ran.

    Records are only ever added. Each holds the hash of the one before it, so an edited, removed
    or reordered record breaks the chain (`bot.audit.chain.verify_chain`). The body is canonical
    JSON of decisions only: intents, scores, actions, policies, versions. Never what anyone wrote.
    """

    __tablename__ = "audit_records"

    # Position in the chain, from 1, without gaps; unique, so two writers cannot both append seq n.
    seq: Mapped[int] = Column(Integer, primary_key=True, autoincrement=False)
    kind: Mapped[str] = Column(String(24), nullable=False, index=True)  # "turn" or "policy"
    # A one-way pseudonym of the conversation id (bot.audit.pseudonyms), never the id itself.
    conversation_id: Mapped[str | None] = Column(String(255), index=True)
    recorded_at: Mapped[datetime] = Column(UTCDateTime, nullable=False, index=True)
    policy_version: Mapped[int] = Column(Integer, nullable=False)
    body: Mapped[str] = Column(Text, nullable=False)
    prev_hash: Mapped[str] = Column(String(64), nullable=False)
    hash: Mapped[str] = Column(String(64), nullable=False, unique=True)


class ReviewLabel(Base):
    """What a person decided a customer meant, for a turn the assistant may have got wrong.

    The text is the redacted message as stored in the conversation, copied when it is labelled:
    it becomes training data for the next model, so it must outlive the conversation.
    """

    __tablename__ = "review_labels"
    __table_args__ = (UniqueConstraint("conversation_id", "message_id"),)

    id: Mapped[int] = Column(Integer, primary_key=True)
    # The conversation's pseudonym, as in the audit trail.
    conversation_id: Mapped[str] = Column(String(255), nullable=False)
    message_id: Mapped[str] = Column(String(64), nullable=False)
    audit_seq: Mapped[int | None] = Column(Integer)
    predicted_intent: Mapped[str | None] = Column(String(80))
    intent: Mapped[str] = Column(String(80), nullable=False)
    text: Mapped[str] = Column(Text, nullable=False)
    labelled_by: Mapped[str] = Column(String(80), nullable=False)
    labelled_at: Mapped[datetime] = Column(UTCDateTime, nullable=False)

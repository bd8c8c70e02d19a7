"""Fernleaf Home's demo data files (`data/seed/`), read and checked before anything is written.

Every record is validated on its own, then the references between records, so a mistake is
reported with its file, record and field and the database is never left half seeded. Writing the
checked data into the database is `bot.store.seed`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, Field, ValidationError, root_validator, validator

from bot.settings import SEED_DIR
from bot.store.datafiles import DataFileError, explain, read_yaml_mapping
from bot.store.shop import Shop, load_shop
from bot.store.shop_records import DeliveryMethod, OrderStatus, RefundStatus, normalise_email

CUSTOMERS_FILE = "customers.yml"
PRODUCTS_FILE = "products.yml"
ORDERS_FILE = "orders.yml"
# Domains reserved for examples (RFC 2606), so demo data can never reach a real inbox.
EXAMPLE_EMAIL_DOMAINS = ("example.com", "example.org")
UK_POSTCODE = r"^[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}$"

# The event times an order in each status must have; the others must be left out.
EVENTS_BY_STATUS = {
    OrderStatus.PLACED: (),
    OrderStatus.PROCESSING: (),
    OrderStatus.SHIPPED: ("shipped_days_ago",),
    OrderStatus.DELIVERED: ("shipped_days_ago", "delivered_days_ago"),
    OrderStatus.CANCELLED: ("cancelled_days_ago",),
}
EVENTS = ("shipped_days_ago", "delivered_days_ago", "cancelled_days_ago")
AWAITING_DELIVERY = (OrderStatus.PLACED, OrderStatus.PROCESSING, OrderStatus.SHIPPED)


class _SeedRecord(BaseModel):
    class Config:
        extra = "forbid"
        allow_mutation = False


Record = TypeVar("Record", bound=_SeedRecord)


class CustomerSeed(_SeedRecord):
    customer_number: str = Field(..., regex=r"^C\d{5}$")
    name: str = Field(..., min_length=1)
    email: str
    default_address: str = Field(..., min_length=1)
    postcode: str = Field(..., regex=UK_POSTCODE)
    newsletter_opt_in: bool = False
    joined_days_ago: int = Field(..., ge=0)

    @validator("email")
    def _fictional_email(cls, email: str) -> str:
        email = normalise_email(email)
        local_part, _, domain = email.partition("@")
        if not local_part or domain not in EXAMPLE_EMAIL_DOMAINS:
            raise ValueError(
                f"use an address at {' or '.join(EXAMPLE_EMAIL_DOMAINS)}, not {email!r}"
            )
        return email


class ProductSeed(_SeedRecord):
    sku: str = Field(..., regex=r"^[A-Z]{3}-[A-Z0-9]{2,6}$")
    name: str = Field(..., min_length=1)
    price_pence: int = Field(..., gt=0)


class LineSeed(_SeedRecord):
    sku: str
    quantity: int = Field(..., gt=0)
    # Defaults to the product's price: set it only when the customer paid a different price.
    unit_price_pence: int | None = Field(None, ge=0)


class RefundSeed(_SeedRecord):
    reference: str = Field(..., regex=r"^RF-\d{6}$")
    status: RefundStatus
    reason: str = Field(..., min_length=1)
    requested_days_ago: int = Field(..., ge=0)
    # Defaults to requested_days_ago: a refund that has not moved since it was asked for.
    updated_days_ago: int | None = Field(None, ge=0)
    amount_pence: int | None = Field(None, gt=0)

    @validator("updated_days_ago")
    def _updated_after_requested(cls, days: int | None, values: dict[str, Any]) -> int | None:
        requested = values.get("requested_days_ago")
        if days is not None and requested is not None and days > requested:
            raise ValueError("must not be more than requested_days_ago")
        return days


class OrderSeed(_SeedRecord):
    number: int = Field(..., ge=100000, le=999999)
    customer: str
    status: OrderStatus
    delivery_method: DeliveryMethod = DeliveryMethod.STANDARD
    shipping_address: str | None = None
    placed_days_ago: int = Field(..., ge=0)
    shipped_days_ago: int | None = Field(None, ge=0)
    delivered_days_ago: int | None = Field(None, ge=0)
    cancelled_days_ago: int | None = Field(None, ge=0)
    estimated_delivery_in_days: int | None = None
    carrier: str | None = None
    tracking_number: str | None = None
    invoice: int | None = Field(None, gt=0)
    lines: list[LineSeed] = Field(..., min_items=1)
    refunds: list[RefundSeed] = []

    @root_validator(skip_on_failure=True)
    def _consistent_with_status(cls, values: dict[str, Any]) -> dict[str, Any]:
        status: OrderStatus = values["status"]
        for event in EVENTS:
            required = event in EVENTS_BY_STATUS[status]
            if (values[event] is not None) != required:
                need = "is required" if required else "must be left out"
                raise ValueError(f"{event} {need} for a {status.value} order")

        timeline = [
            values[name] for name in ("placed_days_ago", "shipped_days_ago", "delivered_days_ago")
        ]
        happened = [days for days in timeline if days is not None]
        if happened != sorted(happened, reverse=True):
            raise ValueError(
                "placed, shipped and delivered must happen in that order (days ago decreasing)"
            )
        if (
            values["cancelled_days_ago"] is not None
            and values["cancelled_days_ago"] > values["placed_days_ago"]
        ):
            raise ValueError("cancelled_days_ago must not be more than placed_days_ago")

        dispatched = values["shipped_days_ago"] is not None
        if dispatched != (values["invoice"] is not None):
            raise ValueError("invoice is required once an order is dispatched, and only then")
        by_post = values["delivery_method"] is not DeliveryMethod.CLICK_AND_COLLECT
        if dispatched and by_post and not (values["carrier"] and values["tracking_number"]):
            raise ValueError("carrier and tracking_number are required once a posted order ships")
        if status in AWAITING_DELIVERY and values["estimated_delivery_in_days"] is None:
            raise ValueError(f"estimated_delivery_in_days is required for a {status.value} order")

        refunds: list[RefundSeed] = values["refunds"]
        if refunds and status not in (OrderStatus.DELIVERED, OrderStatus.CANCELLED):
            raise ValueError("refunds are only possible on a delivered or cancelled order")
        if sum(refund.status is not RefundStatus.REJECTED for refund in refunds) > 1:
            raise ValueError("refunds: at most one refund may be other than rejected")
        since = (
            values["delivered_days_ago"]
            if values["delivered_days_ago"] is not None
            else values["cancelled_days_ago"]
        )
        if any(refund.requested_days_ago > since for refund in refunds):
            raise ValueError(
                "refunds: a refund cannot be requested before delivery or cancellation"
            )
        return values


@dataclass(frozen=True)
class SeedData:
    customers: list[CustomerSeed]
    products: list[ProductSeed]
    orders: list[OrderSeed]


def load_seed_data(seed_dir: Path = SEED_DIR, shop: Shop | None = None) -> SeedData:
    """Read and check every seed file, including references between them, before any write."""
    shop = shop or load_shop(seed_dir)
    data = SeedData(
        customers=_read_records(
            seed_dir / CUSTOMERS_FILE, "customers", CustomerSeed, "customer_number"
        ),
        products=_read_records(seed_dir / PRODUCTS_FILE, "products", ProductSeed, "sku"),
        orders=_read_records(seed_dir / ORDERS_FILE, "orders", OrderSeed, "number"),
    )
    _check_references(data, seed_dir, shop)
    return data


def _read_records(path: Path, section: str, model: type[Record], key: str) -> list[Record]:
    """Validate each record of `section` on its own, so an error names the record it is in."""
    items = read_yaml_mapping(path).get(section)
    if not isinstance(items, list):
        raise DataFileError(f"{path}: expected a list of records under '{section}:'")
    records: list[Record] = []
    for index, item in enumerate(items):
        label = item.get(key) if isinstance(item, dict) else None
        where = f"{path}: {section}[{index}]" + (f" ({key} {label})" if label is not None else "")
        if not isinstance(item, dict):
            raise DataFileError(f"{where}: expected a mapping of fields to values")
        try:
            records.append(model(**item))
        except ValidationError as exc:
            raise explain(exc, where) from None
    return records


def _check_references(data: SeedData, seed_dir: Path, shop: Shop) -> None:
    """Cross-record rules: unique identifiers, known customers and products, quantity limits."""
    _require_unique(
        seed_dir / CUSTOMERS_FILE,
        "customers",
        "customer_number",
        (c.customer_number for c in data.customers),
    )
    _require_unique(
        seed_dir / CUSTOMERS_FILE, "customers", "email", (c.email for c in data.customers)
    )
    _require_unique(seed_dir / PRODUCTS_FILE, "products", "sku", (p.sku for p in data.products))
    orders_file = seed_dir / ORDERS_FILE
    _require_unique(orders_file, "orders", "number", (o.number for o in data.orders))
    _require_unique(
        orders_file,
        "orders",
        "refunds.reference",
        (r.reference for o in data.orders for r in o.refunds),
    )
    _require_unique(
        orders_file, "orders", "invoice", (o.invoice for o in data.orders if o.invoice is not None)
    )

    customer_numbers = {customer.customer_number for customer in data.customers}
    skus = {product.sku for product in data.products}
    for index, order in enumerate(data.orders):
        where = f"{orders_file}: orders[{index}] (number {order.number})"
        if order.customer not in customer_numbers:
            raise DataFileError(f"{where}: customer: {order.customer} is not in {CUSTOMERS_FILE}")
        for line_index, line in enumerate(order.lines):
            if line.sku not in skus:
                raise DataFileError(
                    f"{where}: lines[{line_index}].sku: {line.sku} is not in {PRODUCTS_FILE}"
                )
            if line.quantity > shop.max_quantity_per_line:
                raise DataFileError(
                    f"{where}: lines[{line_index}].quantity: {line.quantity} is more than "
                    f"max_quantity_per_line ({shop.max_quantity_per_line}) in the shop rules"
                )
        _require_unique(
            orders_file, f"orders[{index}]", "lines.sku", (line.sku for line in order.lines)
        )


def _require_unique(path: Path, section: str, field: str, values: Iterable[object]) -> None:
    seen: set[object] = set()
    for value in values:
        if value in seen:
            raise DataFileError(f"{path}: {section}: {field}: {value} appears more than once")
        seen.add(value)

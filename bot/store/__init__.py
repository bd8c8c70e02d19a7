"""Fernleaf Home's shop back end: the records and rules the assistant's actions work with.

Actions open a unit of work with `open_session()` and call the functions below; each command
returns an outcome the assistant can put into honest words instead of raising.
"""

from bot.store.customers import NewsletterOutcome, customer_by_email, set_newsletter
from bot.store.database import cached_engine, create_schema, make_engine, open_session
from bot.store.datafiles import DataFileError
from bot.store.handoffs import (
    Handoff,
    HandoffStatus,
    cancel_handoff,
    handoff_queue,
    queue_position,
    request_handoff,
    waiting_handoff,
)
from bot.store.invoices import InvoiceLineView, InvoiceView, invoice_for_order, invoice_view
from bot.store.orders import (
    AddressChangeOutcome,
    AddressChangeResult,
    CancelOutcome,
    CancelResult,
    LineChangeOutcome,
    LineChangeResult,
    cancel_order,
    change_line_quantity,
    change_shipping_address,
    find_verified_order,
    parse_order_number,
)
from bot.store.refunds import (
    RefundOutcome,
    RefundRequestResult,
    refunds_for_order,
    request_refund,
)
from bot.store.seed import DatabaseNotEmptyError, init_database, seed_database
from bot.store.shop import Shop, format_money, load_shop, shop_rules
from bot.store.shop_records import (
    Customer,
    DeliveryMethod,
    Invoice,
    Order,
    OrderLine,
    OrderStatus,
    Product,
    Refund,
    RefundStatus,
)

__all__ = [
    "AddressChangeOutcome",
    "AddressChangeResult",
    "CancelOutcome",
    "CancelResult",
    "Customer",
    "DataFileError",
    "DatabaseNotEmptyError",
    "DeliveryMethod",
    "Handoff",
    "HandoffStatus",
    "Invoice",
    "InvoiceLineView",
    "InvoiceView",
    "LineChangeOutcome",
    "LineChangeResult",
    "NewsletterOutcome",
    "Order",
    "OrderLine",
    "OrderStatus",
    "Product",
    "Refund",
    "RefundOutcome",
    "RefundRequestResult",
    "RefundStatus",
    "Shop",
    "cached_engine",
    "cancel_handoff",
    "cancel_order",
    "change_line_quantity",
    "change_shipping_address",
    "create_schema",
    "customer_by_email",
    "find_verified_order",
    "format_money",
    "handoff_queue",
    "init_database",
    "invoice_for_order",
    "invoice_view",
    "load_shop",
    "make_engine",
    "open_session",
    "parse_order_number",
    "queue_position",
    "refunds_for_order",
    "request_handoff",
    "request_refund",
    "seed_database",
    "set_newsletter",
    "shop_rules",
    "waiting_handoff",
]

# Every table registered on the shared metadata, whichever module is imported first.
from bot.store import tables  # noqa: E402,F401

"""Every table of the Candor store, so that creating the schema creates them all.

Tables live with their capability, a module each, all on the one `Base` (`bot.store.base`). A
table's module is listed here once; nothing else needs to know where it is.
"""

from bot.store import agent_console  # noqa: F401  (what agents did from the console)
from bot.store import audit  # noqa: F401  (the hash-chained audit trail)
from bot.store import consent  # noqa: F401  (the consent ledger)
from bot.store import conversation_keys  # noqa: F401  (which secret opens which conversation)
from bot.store import distress  # noqa: F401  (distress noticed, and what was done)
from bot.store import handoffs  # noqa: F401  (the queue for a human agent)
from bot.store import privacy  # noqa: F401  (conversations data rights reach, erasure receipts)
from bot.store import review  # noqa: F401  (labels from reviewed turns)
from bot.store import shop_records  # noqa: F401  (customers, products, orders, refunds, invoices)
from bot.store import sign_ins  # noqa: F401  (failed postcode checks, across conversations)

__all__ = [
    "agent_console",
    "audit",
    "consent",
    "conversation_keys",
    "distress",
    "handoffs",
    "privacy",
    "review",
    "shop_records",
    "sign_ins",
]

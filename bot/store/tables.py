"""Every table of the Candor store, so that creating the schema creates them all.

Tables live with their capability (`models.py` for the shop's records, a module of its own for
each newer capability), all on the one `Base`. A table's module is listed here once; nothing
else needs to know where it is.
"""

from bot.store import conversation_keys  # noqa: F401  (which secret opens which conversation)
from bot.store import models  # noqa: F401  (the shop's records, consent, handoffs, audit)
from bot.store import sign_ins  # noqa: F401  (failed postcode checks, across conversations)

__all__ = ["conversation_keys", "models", "sign_ins"]

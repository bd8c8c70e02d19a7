"""Invoices: show the invoice of a dispatched order, in words and as data for the widget."""

from __future__ import annotations

from typing import List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.verification import VerifiedOrderFormValidation, order_not_matched, verified_order
from actions.wording import day, listing, money
from bot.store.database import open_session
from bot.store.invoices import invoice_for_order, invoice_view


class ValidateInvoiceForm(VerifiedOrderFormValidation):
    def name(self) -> Text:
        return "validate_invoice_form"


class ActionShowInvoice(Action):
    """The invoice's lines and totals; a machine-readable copy travels in the custom payload."""

    def name(self) -> Text:
        return "action_show_invoice"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        with open_session() as session:
            order = verified_order(session, tracker)
            if order is None:
                return order_not_matched(dispatcher, tracker)
            invoice = invoice_for_order(session, order)
            if invoice is None:
                dispatcher.utter_message(response="utter_invoice_not_issued", order_id=str(order.id))
                return []
            view = invoice_view(invoice)
        lines = listing(f"{line.quantity} × {line.description} {money(line.total_pence)}" for line in view.lines)
        dispatcher.utter_message(
            response="utter_invoice",
            invoice_number=view.number,
            order_id=str(view.order_number),
            issued_on=day(view.issued_on),
            lines=lines,
            total=money(view.total_pence),
            vat=money(view.vat_pence),
            json_message={
                "invoice": {
                    "number": view.number,
                    "order": view.order_number,
                    "issued_on": view.issued_on.isoformat(),
                    "currency": view.currency,
                    "lines": [
                        {
                            "sku": line.sku,
                            "description": line.description,
                            "quantity": line.quantity,
                            "unit_price_pence": line.unit_price_pence,
                            "total_pence": line.total_pence,
                        }
                        for line in view.lines
                    ],
                    "net_pence": view.net_pence,
                    "vat_pence": view.vat_pence,
                    "total_pence": view.total_pence,
                }
            },
        )
        return []

"""Setting a request aside and carrying it on, run by Rasa's own machinery in this process.

The other action tests call Candor's actions directly and drive forms with a model of what Rasa
does. Here Rasa's real classes do it: its slot extraction after every message, its `FormAction`
(activation, validation, asking the next question), and its remote-action calls, answered by
Candor's action server code in this process instead of over HTTP. What is proven is that a form
Candor pauses and resumes, or starts for a request it set aside, behaves in Rasa as the
conversation tests say it does, with the real shop database behind it.
"""

from __future__ import annotations

import asyncio
from typing import Any, Dict, List, Optional, Sequence, Tuple

import pytest
from rasa.core.actions.action import ActionExtractSlots, RemoteAction
from rasa.core.actions.forms import FormAction
from rasa.core.channels import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa_sdk.executor import ActionExecutor

from bot.policy import current_policy
from bot.store.database import open_session
from bot.store.shop_records import Order, OrderStatus
from tests.actions.chat import parsed
from tests.unit.dialogue import DOMAIN

ADA_EMAIL, ADA_POSTCODE = "ada.thornbury@example.com", "AC1 4RT"
NLG = TemplatedNaturalLanguageGenerator(DOMAIN.responses)


class InProcessActionServer:
    """Rasa's endpoint to the action server, answered by Candor's actions in this process."""

    url = "in-process"
    kwargs: Dict[str, Any] = {}  # no endpoint options: Rasa sends the whole domain, as by default

    def __init__(self) -> None:
        self.executor = ActionExecutor()
        self.executor.register_package("actions")

    async def request(self, json: Optional[Dict[str, Any]] = None, **_: Any) -> Optional[Dict[str, Any]]:
        return await self.executor.run(json or {})


ACTION_SERVER = InProcessActionServer()


class RasaConversation:
    """A conversation as Rasa's processor keeps it: each message, its slot extraction, each action."""

    def __init__(self, sender_id: str) -> None:
        self.tracker = DialogueStateTracker.from_events(
            sender_id, [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen")],
            slots=DOMAIN.slots,
        )

    def say(self, intent: str, ranking: Sequence[Tuple[str, float]] = (), distress: Optional[Dict[str, Any]] = None,
            entities: Sequence[Tuple[str, str]] = (), text: str = "") -> None:
        parse_data = parsed(intent, ranking, distress, entities, text)
        self.tracker.update(UserUttered(text, parse_data["intent"], parse_data["entities"], parse_data), DOMAIN)
        self.tracker.update_with_events(self._run(ActionExtractSlots(ACTION_SERVER)), DOMAIN)

    def then(self, name: str) -> List[str]:
        """Run the action `name` (a form, or a custom action), as the policies would choose it; what it said."""
        action = FormAction(name, ACTION_SERVER) if name in DOMAIN.form_names else RemoteAction(name, ACTION_SERVER)
        events = self._run(action)
        self.tracker.update(ActionExecuted(name), DOMAIN)
        self.tracker.update_with_events(events, DOMAIN)
        return [event.metadata.get("utter_action") for event in events if isinstance(event, BotUttered)]

    def listen(self) -> None:
        self.tracker.update(ActionExecuted("action_listen"), DOMAIN)

    def _run(self, action: Any) -> List[Event]:
        return asyncio.run(action.run(CollectingOutputChannel(), NLG, self.tracker, DOMAIN))

    @property
    def asking_for(self) -> Optional[str]:
        return self.tracker.get_slot("requested_slot") if self.tracker.active_loop_name else None


@pytest.fixture(autouse=True)
def always_open(monkeypatch):
    monkeypatch.setattr(type(current_policy().handoff.hours), "is_open", lambda self, moment: True)


def order_status(number: int) -> OrderStatus:
    with open_session() as session:
        return session.get(Order, number).status


def test_the_bereaved_customer_declines_a_person_and_the_cancellation_finishes_without_the_number_asked_again():
    chat = RasaConversation("rasa-bereaved")
    chat.say(
        "distress", [("distress", 0.82), ("cancel_order", 0.91)], {"category": "bereavement", "score": 0.82, "tier": 1},
        entities=[("order_id", "104501")], text="My mum died last week and I need to cancel her order 104501",
    )
    assert chat.tracker.get_slot("order_id") == "104501"
    assert chat.then("action_respond_to_distress") == ["utter_distress_bereavement", "utter_distress_offer_person"]
    chat.listen()
    chat.say("deny", text="no thank you")

    assert chat.then("action_resume_request") == ["utter_distress_carry_on"]
    assert chat.then("cancel_order_form") == ["utter_ask_email"]  # not the order number
    chat.listen()
    chat.say("inform", entities=[("email", ADA_EMAIL)], text=ADA_EMAIL)
    chat.then("cancel_order_form")
    assert chat.asking_for == "step_up_postcode"  # issue 14's check, before anything irreversible
    chat.listen()
    chat.say("inform", text=ADA_POSTCODE)
    chat.then("cancel_order_form")
    assert chat.asking_for == "cancel_confirmed"
    chat.listen()
    chat.say("affirm", text="yes")
    chat.then("cancel_order_form")
    assert chat.tracker.active_loop_name is None

    assert chat.then("action_cancel_order") == ["utter_order_cancelled"]
    assert order_status(104501) is OrderStatus.CANCELLED


def test_a_no_to_the_self_harm_question_in_a_form_brings_the_form_back_at_its_question():
    chat = RasaConversation("rasa-in-form")
    chat.say("cancel_order", entities=[("order_id", "104501")], text="cancel order 104501")
    chat.then("cancel_order_form")
    chat.listen()
    chat.say("inform", entities=[("email", ADA_EMAIL)], text=ADA_EMAIL)
    chat.then("cancel_order_form")
    chat.listen()
    chat.say("inform", text=ADA_POSTCODE)
    chat.then("cancel_order_form")
    assert chat.asking_for == "cancel_confirmed"
    chat.listen()

    chat.say("self_harm_check", [("self_harm_check", 0.27), ("deny", 0.3)], {"category": "self_harm", "score": 0.27, "tier": 2},
             text="honestly what's the point of any of it")
    assert chat.then("action_ask_about_self_harm") == ["utter_self_harm_check"]
    assert chat.tracker.active_loop_name is None
    chat.listen()
    chat.say("deny", text="no")
    assert chat.tracker.get_slot("cancel_confirmed") is None  # the "no" was to the question, not to the cancellation

    assert chat.then("action_answer_self_harm_check") == ["utter_self_harm_check_sorry", "utter_self_harm_check_offer_person"]
    assert chat.tracker.active_loop_name == "cancel_order_form"
    assert chat.then("cancel_order_form") == ["utter_cancel_confirmation"]  # its question again, not the postcode
    assert order_status(104501) is OrderStatus.PLACED

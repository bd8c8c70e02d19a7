"""Slot, intent and action names that Python code in `bot/` and `actions/` shares.

A name that code uses more than once, or in more than one module, lives here so a rename in
`bot/domain/*.yml` is one edit, and a test (tests/unit/test_conversation_names.py) fails if a
constant no longer names anything in the domain. Response names (`utter_*`) stay literal in the
actions: `candor validate` finds the responses the action server sends by reading those literals.
"""

from __future__ import annotations

from typing import Final

# Slots.
ADDRESS_CONFIRMED_SLOT: Final = "address_confirmed"
CANCEL_CONFIRMED_SLOT: Final = "cancel_confirmed"
CHANGE_CONFIRMED_SLOT: Final = "change_confirmed"
CUSTOMER_ID_SLOT: Final = "customer_id"
DATA_REQUEST_SLOT: Final = "data_request"
EMAIL_SLOT: Final = "email"
ERASE_CONFIRMED_SLOT: Final = "erase_confirmed"
# Set by the erasure action; the tracker store deletes the conversation when it sees it.
ERASE_CONVERSATION_SLOT: Final = "erase_conversation"
HANDOFF_STATUS_SLOT: Final = "handoff_status"
HISTORY_CONSENT_SLOT: Final = "history_consent"
IDENTITY_POSTCODE_SLOT: Final = "identity_postcode"
NEW_QUANTITY_SLOT: Final = "new_quantity"
NEWSLETTER_CHOICE_SLOT: Final = "newsletter_choice"
NEWSLETTER_EMAIL_SLOT: Final = "newsletter_email"
ORDER_ID_SLOT: Final = "order_id"
ORDER_ITEM_SLOT: Final = "order_item"
REFUND_CONFIRMED_SLOT: Final = "refund_confirmed"
# Rasa's own: the slot a form is asking for.
REQUESTED_SLOT: Final = "requested_slot"
SHIPPING_ADDRESS_SLOT: Final = "shipping_address"
SPEECH_PACE_SLOT: Final = "speech_pace"

# Intents.
AFFIRM_INTENT: Final = "affirm"
ASK_WHY_INTENT: Final = "ask_why"
CONTACT_HUMAN_AGENT_INTENT: Final = "contact_human_agent"
DENY_INTENT: Final = "deny"
# Set by the distress detector (bot/components), never learned from examples.
DISTRESS_INTENT: Final = "distress"
# Rasa's own: set by the FallbackClassifier when no intent is confident enough.
NLU_FALLBACK_INTENT: Final = "nlu_fallback"
OUT_OF_SCOPE_INTENT: Final = "out_of_scope"
REPORT_WRONG_ANSWER_INTENT: Final = "report_wrong_answer"
# Set by the distress detector when a message may be about self-harm but is not clear enough.
SELF_HARM_CHECK_INTENT: Final = "self_harm_check"
STOP_INTENT: Final = "stop"

# Custom actions (served by the action server) and Rasa's session start.
ANSWER_SELF_HARM_CHECK_ACTION: Final = "action_answer_self_harm_check"
ASK_ABOUT_SELF_HARM_ACTION: Final = "action_ask_about_self_harm"
CHANGE_SPEECH_PACE_ACTION: Final = "action_change_speech_pace"
EXPLAIN_DECISION_ACTION: Final = "action_explain_decision"
HANDLE_FALLBACK_ACTION: Final = "action_handle_fallback"
HANDOFF_WAITING_ACTION: Final = "action_handoff_waiting"
REQUEST_HUMAN_ACTION: Final = "action_request_human"
RESPOND_TO_DISTRESS_ACTION: Final = "action_respond_to_distress"
RESUME_REQUEST_ACTION: Final = "action_resume_request"
SESSION_START_ACTION: Final = "action_session_start"
TAKE_FEEDBACK_ACTION: Final = "action_take_feedback"

# Forms.
ADDRESS_CHANGE_FORM: Final = "address_change_form"
CANCEL_ORDER_FORM: Final = "cancel_order_form"

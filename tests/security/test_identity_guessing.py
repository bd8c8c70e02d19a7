"""Finding 6 of issue 14: a postcode cannot be guessed by starting over.

Signing in takes a customer number (or email) and the account's postcode. The limit on wrong
postcodes used to live in the conversation, so a new conversation id or `/restart` gave an
attacker three fresh guesses, for ever. Failures are now counted in the database, per customer
and per claim, across every conversation; past a few, each further try must wait.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import update

from actions.data_rights import ActionFulfilDataRequest
from actions.identity import ValidateDataRequestForm
from bot.policy import current_policy
from bot.store.database import open_session
from tests.actions.forms import FormConversation, sign_in

pytestmark = pytest.mark.usefixtures("shop_database")

ADA_NUMBER, ADA_POSTCODE = "C10001", "AC1 4RT"
WRONG_POSTCODES = ["ZZ1 1AA", "ZZ1 1AB", "ZZ1 1AC", "ZZ1 1AD", "ZZ1 1AE", "ZZ1 1AF", "ZZ1 1AG"]


def guess_in_new_conversations(claim: str, times: int) -> None:
    for attempt in range(times):
        sign_in(claim, WRONG_POSTCODES[attempt], f"attacker-{claim}-{attempt}")


def test_a_fourth_wrong_postcode_in_a_new_conversation_is_refused_without_being_checked() -> None:
    guess_in_new_conversations(ADA_NUMBER, 3)

    # Even the right postcode is not checked now: the guess is refused before it is looked at.
    fresh = sign_in(ADA_NUMBER, ADA_POSTCODE, "attacker-fresh")

    assert fresh.slots.get("customer_id") is None
    assert fresh.submit(ActionFulfilDataRequest()).responses == ["utter_identity_wait"]


def test_restart_does_not_reset_the_count() -> None:
    conversation = FormConversation("data_request_form", ValidateDataRequestForm(), sender_id="one-chat")
    for postcode in WRONG_POSTCODES[:3]:
        conversation.start("identify", data_request="identify")
        conversation.answer(ADA_NUMBER)
        if conversation.requested == "identity_postcode":
            conversation.answer(postcode)
        conversation.submit(ActionFulfilDataRequest())

    # `/restart`: the same conversation id, every slot and event forgotten.
    restarted = sign_in(ADA_NUMBER, ADA_POSTCODE, "one-chat")

    assert restarted.slots.get("customer_id") is None
    assert restarted.submit(ActionFulfilDataRequest()).responses == ["utter_identity_wait"]


def test_an_unknown_customer_number_is_slowed_down_exactly_like_a_real_one() -> None:
    guess_in_new_conversations(ADA_NUMBER, 3)
    guess_in_new_conversations("C99999", 3)

    real = sign_in(ADA_NUMBER, "ZZ9 9ZZ", "probe-real")
    made_up = sign_in("C99999", "ZZ9 9ZZ", "probe-made-up")
    said_real = real.submit(ActionFulfilDataRequest())
    said_made_up = made_up.submit(ActionFulfilDataRequest())

    assert said_real.responses == said_made_up.responses == ["utter_identity_wait"]
    assert said_real.messages == said_made_up.messages
    assert real.slots == made_up.slots


def test_the_customer_is_told_by_email_when_guesses_reach_the_notice_threshold(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    threshold = current_policy().identity.notice_after_failures

    for attempt in range(threshold + 2):  # past the threshold too: one notice, not one per guess
        sign_in(ADA_NUMBER, WRONG_POSTCODES[attempt % len(WRONG_POSTCODES)], f"noisy-{attempt}")
        let_the_wait_pass()

    notices = [record for record in caplog.records if record.name.startswith("candor.notices")]
    assert len(notices) == 1
    line = notices[0].getMessage()
    assert re.search(r"\bcustomer 1\b", line)  # the internal id, nothing a reader of logs could use
    for personal in (ADA_NUMBER, ADA_POSTCODE, "ada.thornbury", "Ada", "Thornbury"):
        assert personal.lower() not in line.lower()


def let_the_wait_pass() -> None:
    """Time passes: every wait the guesses caused is over (the counts stay)."""
    from bot.store.sign_ins import SignInFailures  # the table the fix added

    with open_session() as session:
        session.execute(update(SignInFailures).values(retry_at=datetime.now(timezone.utc) - timedelta(seconds=1)))

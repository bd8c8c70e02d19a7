"""What redaction replaces, what it keeps, and that it keeps the kind of thing that was said."""

from __future__ import annotations

import re

from typing import List, Tuple

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.bounded_text import TextBounds, pieces
from bot.policy import current_policy
from bot.policy_sections import PolicyError
from bot.privacy.redaction import Redactor
from bot.settings import SEED_DIR

# (what the customer typed, the personal data in it, the placeholder stored instead)
PERSONAL_DATA = [
    ("my email is ada.thornbury@example.com, thanks", "ada.thornbury@example.com", "<EMAIL_ADDRESS>"),
    ("ring me on 07911 123456 after six", "07911 123456", "<PHONE_NUMBER>"),
    ("my number is +1 415 555 0132", "+1 415 555 0132", "<PHONE_NUMBER>"),
    ("my mobile is 06 12 34 56 78 if you need it", "06 12 34 56 78", "<PHONE_NUMBER>"),
    ("I paid with 4111 1111 1111 1111", "4111 1111 1111 1111", "<CREDIT_CARD>"),
    ("the card was 2221000000000009", "2221000000000009", "<CREDIT_CARD>"),
    ("refund to GB82 WEST 1234 5698 7654 32 please", "GB82 WEST 1234 5698 7654 32", "<IBAN_CODE>"),
    ("my SSN is 536-22-8726", "536-22-8726", "<US_SSN>"),
    ("national insurance AB 12 34 56 C", "AB 12 34 56 C", "<UK_NINO>"),
    ("it failed from 192.168.0.12 again", "192.168.0.12", "<IP_ADDRESS>"),
    ("send it to 14 Larkspur Lane, Ashcombe AC1 4RT instead", "14 Larkspur Lane, Ashcombe AC1 4RT", "<STREET_ADDRESS>"),
    ("I'm at Flat 3, 22 Quayside Walk, Fernbridge now", "Flat 3, 22 Quayside Walk, Fernbridge", "<STREET_ADDRESS>"),
    ("ship to 1600 Pennsylvania Avenue NW, Washington, DC 20500", "1600 Pennsylvania Avenue NW, Washington, DC 20500", "<STREET_ADDRESS>"),
    ("new address: 7 kingfisher close, wrenfield", "7 kingfisher close", "<STREET_ADDRESS>"),
    ("please deliver to Hauptstraße 12, Berlin", "Hauptstraße 12", "<STREET_ADDRESS>"),
    ("my postcode is FB2 7LN", "FB2 7LN", "<POSTCODE>"),
    ("customer number C10001", "C10001", "<CUSTOMER_NUMBER>"),
    ("my name is bilal okafor and the lamp broke", "bilal okafor", "<PERSON>"),
    ("this is for Mrs Llewellyn", "Llewellyn", "<PERSON>"),
    ("hi, I'm priya", "priya", "<PERSON>"),
    ("Grace Whitlock ordered it for me", "Grace Whitlock", "<PERSON>"),
    ("the parcel was signed for by Zora K. Adamczyk", "Zora K. Adamczyk", "<PERSON>"),
    ("ask José about it", "José", "<PERSON>"),
]

ORDER_SENTENCES = [
    "where is my order {}",
    "cancel {} please",
    "I want a refund for order number {}",
    "order {}, it never arrived",
    "can I get the invoice for {}",
    "my order {} came damaged and my email is sam.roe@example.com",
]


@pytest.mark.parametrize("text, personal, placeholder", PERSONAL_DATA, ids=[p for _, _, p in PERSONAL_DATA])
def test_personal_data_is_replaced_by_its_type(redactor: Redactor, text: str, personal: str, placeholder: str) -> None:
    redacted = redactor.redact_text(text)

    assert personal not in redacted
    assert placeholder in redacted


@pytest.mark.parametrize("template", ORDER_SENTENCES)
def test_order_numbers_are_kept_because_explanations_need_them(redactor: Redactor, template: str) -> None:
    assert "104502" in redactor.redact_text(template.format("104502"))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(number=st.integers(100000, 999999), template=st.sampled_from(ORDER_SENTENCES))
def test_no_six_digit_order_number_is_ever_redacted(redactor: Redactor, number: int, template: str) -> None:
    assert str(number) in redactor.redact_text(template.format(number))


def realistic_emails() -> st.SearchStrategy[str]:
    local = st.from_regex(r"[a-z][a-z0-9._+-]{0,14}[a-z0-9]", fullmatch=True)
    label = st.from_regex(r"[a-z][a-z0-9-]{0,10}[a-z0-9]", fullmatch=True)
    tld = st.sampled_from(["com", "org", "net", "co.uk", "io", "de", "fr"])
    return st.builds(lambda user, domain, suffix: f"{user}@{domain}.{suffix}", local, label, tld)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(email=realistic_emails(), template=st.sampled_from(["{}", "my email is {}", "use {} please", "it's {}, thanks"]))
def test_no_email_address_survives(redactor: Redactor, email: str, template: str) -> None:
    redacted = redactor.redact_text(template.format(email))

    assert email not in redacted
    assert "<EMAIL_ADDRESS>" in redacted


def with_luhn_check_digit(digits: str) -> str:
    total = 0
    for position, digit in enumerate(reversed(digits)):
        value = int(digit) * (2 if position % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return digits + str((10 - total % 10) % 10)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    body=st.from_regex(r"[2-6][0-9]{14}", fullmatch=True),
    grouped=st.booleans(),
)
def test_no_valid_card_number_survives(redactor: Redactor, body: str, grouped: bool) -> None:
    number = with_luhn_check_digit(body)
    typed = " ".join(number[i : i + 4] for i in range(0, 16, 4)) if grouped else number

    redacted = redactor.redact_text(f"my card is {typed}")

    assert typed not in redacted and number[-4:] not in redacted


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=200))
def test_any_text_can_be_redacted_without_error(redactor: Redactor, text: str) -> None:
    # A failure here would make the tracker store fail to save the conversation.
    redacted = redactor.redact(text)

    assert all(0 <= finding.start < finding.end <= len(text) for finding in redacted.findings)


@pytest.mark.parametrize("text", [text for text, _, _ in PERSONAL_DATA])
def test_redacting_twice_changes_nothing_more(redactor: Redactor, text: str) -> None:
    once = redactor.redact_text(text)

    assert redactor.redact_text(once) == once


def test_the_assistants_own_notices_are_stored_word_for_word(redactor: Redactor) -> None:
    policy = current_policy()
    notices = [policy.notices.ai_disclosure.text]
    notices += [policy.privacy.consent.request_text(name) for name in policy.privacy.consent.purposes]

    assert [redactor.redact_text(notice) for notice in notices] == notices


def test_product_names_are_not_mistaken_for_people_or_places(redactor: Redactor) -> None:
    products = yaml.safe_load((SEED_DIR / "products.yml").read_text())["products"]
    names = [product["name"] for product in products]

    assert [redactor.redact_text(name) for name in names] == names


def test_everyday_words_that_are_also_names_stay_words(redactor: Redactor) -> None:
    texts = ["hey, hope you're well", "you can review it on its page", "I will wait", "200 ms later", "Olive wood chopping board"]

    assert [redactor.redact_text(text) for text in texts] == texts


def test_a_redacted_value_is_a_copy_and_the_original_is_untouched(redactor: Redactor) -> None:
    value = {"address": ["14 Larkspur Lane", {"email": "ada.thornbury@example.com"}], "count": 2, "ok": True}
    original = {"address": ["14 Larkspur Lane", {"email": "ada.thornbury@example.com"}], "count": 2, "ok": True}

    redacted = redactor.redact_value(value)

    assert redacted == {"address": ["<STREET_ADDRESS>", {"email": "<EMAIL_ADDRESS>"}], "count": 2, "ok": True}
    assert value == original


def test_a_policy_asking_for_a_type_nobody_recognises_is_refused(redactor: Redactor) -> None:
    with pytest.raises(PolicyError, match="privacy.redaction.entities"):
        Redactor(redactor.analyzer, ["EMAIL_ADDRESS", "MARTIAN_PASSPORT"], 0.4)


# Long texts are redacted piece by piece (bot.bounded_text); nothing may slip through the cuts.

FILLER = "My parcel has not arrived yet and I would like to know when it will come. "
WORDS = "please tell me when the parcel will come because I have waited a long time for it "
LONG_TEXT_DATA = [
    ("4111 1111 1111 1111", "<CREDIT_CARD>"),
    ("ada.thornbury@example.com", "<EMAIL_ADDRESS>"),
    ("14 Larkspur Lane, Ashcombe AC1 4RT", "<STREET_ADDRESS>"),
    ("07911 123456", "<PHONE_NUMBER>"),
    ("GB82 WEST 1234 5698 7654 32", "<IBAN_CODE>"),
    ("C10001", "<CUSTOMER_NUMBER>"),
]


def filler(length: int, source: str = FILLER) -> str:
    return (source * (length // len(source) + 1))[:length]


@pytest.mark.parametrize("personal, placeholder", LONG_TEXT_DATA, ids=[p for _, p in LONG_TEXT_DATA])
def test_personal_data_at_the_start_middle_and_end_of_a_long_text_is_redacted(
    redactor: Redactor, personal: str, placeholder: str
) -> None:
    text = f"{personal} {filler(10_000)} {personal} {filler(10_000)} {personal}"

    redacted = redactor.redact_text(text)

    assert personal not in redacted
    assert redacted.count(placeholder) == 3
    assert redacted.count("when it will come") == text.count("when it will come")  # the rest is kept


def around_the_first_cut(personal: str, piece: int) -> List[Tuple[str, bool]]:
    """Texts with `personal` just before, across and just after the first cut; and whether a cut is inside it.

    No sentence ends near the cut, so the text is cut between words.
    """
    texts = []
    for before in range(piece - len(personal) - 12, piece + 4, 3):
        text = f"{filler(before, WORDS)} my details are {personal} and {filler(piece, WORDS)}"
        start = text.index(personal)
        texts.append((text, any(start < end < start + len(personal) for _, end in pieces(text, piece))))
    return texts


@pytest.mark.parametrize("personal, placeholder", LONG_TEXT_DATA, ids=[p for _, p in LONG_TEXT_DATA])
def test_personal_data_right_around_a_cut_is_redacted_whole(redactor: Redactor, personal: str, placeholder: str) -> None:
    for text, _ in around_the_first_cut(personal, redactor.bounds.max_piece_chars):
        redacted = redactor.redact_text(text)

        assert personal not in redacted, f"leaked at {text.index(personal)}"
        # Whole: no part of it survives (a postcode may get a placeholder of its own), and its type
        # is named. What the model makes of the filler is over-redaction, which
        # `candor eval-over-redaction` measures.
        survivors = [part for part in re.findall(r"\w+", personal) if re.search(rf"\b{part}\b", redacted)]
        assert not survivors, f"{survivors} survived at {text.index(personal)}"
        assert placeholder in redacted


@pytest.mark.parametrize("personal", [personal for personal, _ in LONG_TEXT_DATA if " " in personal])
def test_the_cuts_in_those_texts_do_fall_inside_personal_data_of_several_words(redactor: Redactor, personal: str) -> None:
    assert any(inside for _, inside in around_the_first_cut(personal, redactor.bounds.max_piece_chars))


@pytest.mark.parametrize("run", ["😀", "-"])
def test_personal_data_in_a_long_run_without_spaces_is_redacted_wherever_the_run_is_cut(redactor: Redactor, run: str) -> None:
    piece, email = redactor.bounds.max_piece_chars, "ada.thornbury@example.com"
    for before in range(2 * piece - len(email), 2 * piece + 1, 6):
        text = f"hi {run * before}{email}{run * piece}"

        redacted = redactor.redact_text(text)

        assert email not in redacted and redacted.count("<EMAIL_ADDRESS>") == 1, f"email at {before + 3}"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(positions=st.lists(st.integers(0, 4000), min_size=1, max_size=6), email=realistic_emails())
def test_no_email_survives_anywhere_in_a_long_text(redactor: Redactor, positions: list, email: str) -> None:
    text = filler(4000, WORDS)
    for position in sorted(positions, reverse=True):
        space = text.rfind(" ", 0, position) + 1
        text = f"{text[:space]}{email} {text[space:]}"

    redacted = redactor.redact(text)

    assert email not in redacted.text
    assert all(0 <= finding.start < finding.end <= len(text) for finding in redacted.findings)


def test_a_message_up_to_one_piece_long_is_analysed_in_one_call_as_before(
    redactor: Redactor, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = filler(redactor.bounds.max_piece_chars - 40) + " ada.thornbury@example.com"
    analysed = []
    analyze = redactor.analyzer.analyze
    monkeypatch.setattr(redactor.analyzer, "analyze", lambda text, **kw: analysed.append(text) or analyze(text=text, **kw))

    redactor.redact(text)

    assert analysed == [text]


def test_short_messages_are_redacted_exactly_as_one_unbounded_call(redactor: Redactor) -> None:
    unbounded = Redactor(redactor.analyzer, redactor.entities, redactor.score_threshold, TextBounds(10**6, 10**6))
    texts = [text for text, _, _ in PERSONAL_DATA] + [filler(400) + " mail ada.thornbury@example.com today"]

    assert [redactor.redact(text) for text in texts] == [unbounded.redact(text) for text in texts]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(min_size=501, max_size=1600))
def test_any_long_text_can_be_redacted_without_error(redactor: Redactor, text: str) -> None:
    redacted = redactor.redact(text)

    assert all(0 <= finding.start < finding.end <= len(text) for finding in redacted.findings)


@pytest.mark.parametrize("name_in_code", ["order_history", "self_harm", "contact_human_agent"])
def test_a_name_in_code_is_never_taken_for_a_person(redactor: Redactor, name_in_code: str) -> None:
    # Audit records quote the policy's purposes and the domain's intents.
    assert redactor.redact_text(name_in_code) == name_in_code
    assert redactor.redact_text(f"purpose {name_in_code}, agreed") == f"purpose {name_in_code}, agreed"

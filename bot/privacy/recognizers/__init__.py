"""Candor's own Presidio recognizers: the shop's identifiers, UK and US addresses, and names.

Presidio ships recognizers for emails, phone and card numbers, IBANs and national IDs; these add
what a shop's customers type that Presidio does not know (UK bank details, dates of birth, phone
numbers as people type them, in service or not, US ZIP and Indian PIN codes), and widen three of Presidio's patterns (emails, cards, National
Insurance numbers) that miss real values. One recognizer a file, in the manner of Presidio's own
(`presidio_analyzer/predefined_recognizers`): what it knows is data (`PATTERNS`, `CONTEXT`, and
the word lists in `words/`), with as little code as possible.

Six-digit order numbers are deliberately *not* recognised: they are the shop's reference, needed
to explain decisions, and say nothing about who the customer is.
"""

from __future__ import annotations

from typing import Sequence

from presidio_analyzer import LocalRecognizer

from bot.privacy.recognizers.card_number_recognizer import CardNumberRecognizer
from bot.privacy.recognizers.customer_number_recognizer import CustomerNumberRecognizer
from bot.privacy.recognizers.date_of_birth_recognizer import DateOfBirthRecognizer
from bot.privacy.recognizers.email_address_recognizer import EmailAddressRecognizer
from bot.privacy.recognizers.international_phone_number_recognizer import InternationalPhoneNumberRecognizer
from bot.privacy.recognizers.national_insurance_number_recognizer import NationalInsuranceNumberRecognizer
from bot.privacy.recognizers.national_phone_number_recognizer import NationalPhoneNumberRecognizer
from bot.privacy.recognizers.person_name_recognizer import PersonNameRecognizer
from bot.privacy.recognizers.phone_shaped_number_recognizer import PhoneShapedNumberRecognizer
from bot.privacy.recognizers.postal_code_recognizer import PostalCodeRecognizer
from bot.privacy.recognizers.street_address_recognizer import StreetAddressRecognizer
from bot.privacy.recognizers.uk_bank_account_recognizer import UkBankAccountRecognizer
from bot.privacy.recognizers.uk_phone_number_recognizer import UkPhoneNumberRecognizer
from bot.privacy.recognizers.uk_postcode_recognizer import UkPostcodeRecognizer
from bot.privacy.recognizers.uk_sort_code_recognizer import UkSortCodeRecognizer

__all__ = [
    "CardNumberRecognizer",
    "CustomerNumberRecognizer",
    "DateOfBirthRecognizer",
    "EmailAddressRecognizer",
    "InternationalPhoneNumberRecognizer",
    "NationalInsuranceNumberRecognizer",
    "NationalPhoneNumberRecognizer",
    "PersonNameRecognizer",
    "PhoneShapedNumberRecognizer",
    "PostalCodeRecognizer",
    "StreetAddressRecognizer",
    "UkBankAccountRecognizer",
    "UkPhoneNumberRecognizer",
    "UkPostcodeRecognizer",
    "UkSortCodeRecognizer",
    "candor_recognizers",
]


def candor_recognizers() -> Sequence[LocalRecognizer]:
    """Candor's recognizers: its own, and Presidio's email, card and NINO recognizers with wider patterns."""
    return (
        EmailAddressRecognizer(),
        CardNumberRecognizer(),
        InternationalPhoneNumberRecognizer(),
        NationalPhoneNumberRecognizer(),
        PhoneShapedNumberRecognizer(),
        UkPhoneNumberRecognizer(),
        NationalInsuranceNumberRecognizer(),
        UkSortCodeRecognizer(),
        UkBankAccountRecognizer(),
        DateOfBirthRecognizer(),
        CustomerNumberRecognizer(),
        UkPostcodeRecognizer(),
        PostalCodeRecognizer(),
        StreetAddressRecognizer(),
        PersonNameRecognizer(),
    )

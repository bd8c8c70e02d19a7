"""Street addresses as customers write them, from the UK, the US and continental Europe."""

from __future__ import annotations

from typing import List, Optional

from presidio_analyzer import Pattern, PatternRecognizer

from bot.privacy.recognizers.uk_postcode_recognizer import UK_POSTCODE
from bot.privacy.recognizers.word_lists import word_list

# The street's type follows its name ("Larkspur Lane"); most of Europe puts it first ("ul.
# Narewska 94", "Calle Mayor 12") or makes it the end of the name ("Hauptstraße 12"), and numbers
# the house after it.
STREET_TYPES = word_list("street_types")
STREET_PREFIXES = word_list("street_prefixes")
STREET_SUFFIXES = word_list("street_suffixes")
NOT_STREET_NAME_WORDS = word_list("not_street_name_words")
# "delivered on 3 March 2026", "deliver by Friday 14": a month or a day and a number near
# "deliver" is a date, not a "Name 12" address.
DATE_WORDS = word_list("months") + word_list("weekdays")

_NUMBER = r"\d{1,5}[A-Z]?(?:[-/]\d{1,5}[A-Z]?)?"
# A bare "box 2" is more often a parcel than a post box, so only "PO Box" counts.
UNIT = r"(?:flat|apartment|apt|unit|suite|ste|room|floor|p\.?\s?o\.?\s?box)\.?\s?#?\s?\d+[A-Z]?(?:/\d+)?"
_NAME_WORD = rf"(?!(?:{'|'.join(NOT_STREET_NAME_WORDS)})\b)[^\W\d_][\w'’.-]*"
_CAPITALISED_WORD = r"(?-i:\p{Lu}[\p{L}'’.-]+)(?!\w)"
_CAPITALISED_NAME = rf"(?!(?:{'|'.join(DATE_WORDS)})\b){_CAPITALISED_WORD}"
_STREET_TYPE = rf"(?:{'|'.join(STREET_TYPES)})\b\.?(?:\s+(?-i:[NS][EW]?|[EW])\b)?"
# After the street: flats and suites, town, county or state, then a UK postcode or a US ZIP code,
# separated by commas, spaces or line breaks. Town words must be capitalised, so
# "14 Mill Lane, please send it there" stops at the street.
_LOCALITY = (
    rf"(?:(?:\s*,\s*|\s+)(?:{UNIT}|{_CAPITALISED_WORD}(?:\s+{_CAPITALISED_WORD}){{0,3}}"
    rf"|{UK_POSTCODE}\b|\d{{5}}(?:-\d{{4}})?\b)){{0,6}}"
)


class StreetAddressRecognizer(PatternRecognizer):
    """Street addresses as customers write them, with their flat, town and postcode.

    UK and US: "14 Larkspur Lane", "Flat 3, 22 Quayside Walk, Fernbridge FB2 7LN",
    "1600 Pennsylvania Avenue NW, Washington, DC 20500", "PSC 4095, Box 8316, APO AE 85103".
    Continental: "Hauptstraße 12", "ul. Narewska 94, Poznań"; and, near words like "address" or
    "deliver", any "Name 12" (a capitalised name and a house number).
    """

    PATTERNS = [
        Pattern(
            "number and street",
            rf"\b(?:{UNIT}(?:\s*,\s*|\s+))?{_NUMBER},?\s+(?:{_NAME_WORD}\s+){{0,3}}?{_STREET_TYPE}{_LOCALITY}",
            0.6,
        ),
        Pattern(
            "street type first",
            rf"\b(?:\d{{1,5}}\s+)?(?:{'|'.join(STREET_PREFIXES)})\b\.?\s+(?:{_NAME_WORD}\s+){{1,3}}?{_NUMBER}\b{_LOCALITY}",
            0.6,
        ),
        Pattern(
            "number, street type first",
            rf"\b{_NUMBER}\s+(?:{'|'.join(STREET_PREFIXES)})\b\.?(?:\s+{_NAME_WORD}){{1,3}}{_LOCALITY}",
            0.6,
        ),
        Pattern(
            "street with suffix, then number",
            rf"\b(?:\d{{1,5}}\s+)?[^\W\d_]*(?:{'|'.join(STREET_SUFFIXES)})\s+{_NUMBER}\b{_LOCALITY}",
            0.6,
        ),
        Pattern(
            "US military address",
            r"\b(?:psc|cmr|unit|usns|usnv|uss|uscgc)\s+[\w-]+(?:\s*,\s*box\s+\d+)?(?:\s*,\s*|\s+)"
            r"(?:apo|fpo|dpo)\s+(?:aa|ae|ap)\s+\d{5}\b",
            0.6,
        ),
        Pattern("flat, suite or PO box", rf"\b{UNIT}\b", 0.45),
        # Too common a shape to trust alone ("Windows 10"); redacted only near CONTEXT words,
        # and never a month or a day ("delivered on 3 March 2026").
        Pattern(
            "name and number, near address words",
            rf"\b(?:\d{{1,5}}\s+)?{_CAPITALISED_NAME}(?:\s+{_CAPITALISED_NAME}){{0,2}}\s+\d{{1,4}}[A-Z]?\b{_LOCALITY}",
            0.1,
        ),
    ]
    # Words near an address that make a bare "Name 12" worth redacting.
    CONTEXT = ["address", "live", "lives", "living", "deliver", "delivery", "send", "ship", "shipping", "moved", "post"]

    def __init__(self, patterns: Optional[List[Pattern]] = None, context: Optional[List[str]] = None) -> None:
        super().__init__(
            supported_entity="STREET_ADDRESS",
            patterns=patterns or self.PATTERNS,
            context=context or self.CONTEXT,
            supported_language="en",
        )

"""Phone numbers without a country code or a trunk 0, known by how they are grouped."""

from __future__ import annotations

from presidio_analyzer import Pattern

from bot.privacy.recognizers.phone_number_pattern_recognizer import (
    BY_SHAPE,
    EXTENSION,
    IN_CONTEXT,
    NOT_BEFORE,
    NOT_IN_A_NUMBER,
    NOT_IN_A_WORD,
    SEPARATOR,
    SURE_BY_SHAPE,
    PhoneNumberPatternRecognizer,
)

START = rf"{NOT_IN_A_WORD}{NOT_IN_A_NUMBER}"
END = rf"{EXTENSION}{NOT_BEFORE}"
# Groups of any size end where the digits do: "104502 07911 123456" is no phone number in three
# groups, but an order number and one in two.
LAST_GROUP = rf"{EXTENSION}{NOT_BEFORE}(?![ .\-]\d)"
# Three groups or more: two separators between digits before the number ends.
_THREE_GROUPS = r"(?=\(?\d++(?:[ .\-]|\)[ ]?)\d++(?:[ .\-]|\)[ ]?)\d)"


class PhoneShapedNumberRecognizer(PhoneNumberPatternRecognizer):
    """Numbers grouped the way phone numbers are, which python-phonenumbers cannot place.

    Presidio's phone recognizer accepts only numbers valid in the policy's regions, and a
    customer writes their number without the country code that would place it. Some groupings
    are phone numbers by shape: North America's "(415) 555-0123", "415.555.0123" and "555-0123", India's
    mobiles "98765 43210", and digits in three groups or more ("612 34 56 78", "333 123 4567",
    "138 0013 8000"), from 9 digits. Fewer digits in groups, two groups, or a run of digits with
    no separator at all ("4155550123", also the shape of an order number) count only near a
    word about phoning, and never straight after a reference ("order 3707955617").
    """

    PATTERNS = [
        Pattern(
            "North American grouping",
            rf"{START}(?:1[ .\-]?)?(?:\([2-9]\d\d\)[ .\-]?|[2-9]\d\d[ .\-])[2-9]\d\d[ .\-]?\d{{4}}{END}",
            BY_SHAPE,
        ),
        # North America's seven-digit local number, "555-0199": hyphenated, never a price or a decimal.
        Pattern("three and four digits with a hyphen", rf"{START}[2-9]\d\d-\d{{4}}{LAST_GROUP}", SURE_BY_SHAPE),
        Pattern("five and five digits, as Indian mobiles", rf"{START}[6-9]\d{{4}}[ \-]\d{{5}}{END}", BY_SHAPE),
        Pattern("digits in three groups or more", rf"{START}{_THREE_GROUPS}\(?[1-9](?:{SEPARATOR}\d){{6,14}}{LAST_GROUP}", BY_SHAPE),
        # Not split by a dot: "12345.6789" is a decimal.
        Pattern("digits in two groups", rf"{START}\(?[1-9]\d*+(?:[ \-]|\)[ ]?)\d++{LAST_GROUP}", IN_CONTEXT),
        Pattern("a run of digits", rf"{START}[1-9]\d{{8,10}}{END}", IN_CONTEXT),
    ]
    DIGITS = (7, 15)
    DIGITS_ALONE = 9

"""IIN and BIN of Kazakhstan (R37): 12 digits with a check digit.

IIN (individual): ``YYMMDD`` birth date, one digit for century and sex, 4 serial digits,
the check digit. The century-and-sex digit is 1/2 for the 1800s, 3/4 for the 1900s and 5/6
for the 2000s (odd male, even female). IINs with 0 in that place are in use (public examples
that the state register answers for, several of them foreigners'), though the published scheme
lists only 1-6. A citizen must not be locked out of booking by our validator, so 0 is accepted:
the first six digits must then be a date in the 1900s or 2000s, and birth date and sex are
unknown (None). 7, 8 and 9 are refused.

BIN (legal entity, branch, individual entrepreneur in joint form): ``YYMM`` of registration
(month 01-12; any year, since numbers were also given to entities registered long ago), the
type digit (4 resident, 5 non-resident, 6 individual entrepreneur in joint form), the attribute
digit (0 head office, 1 branch, 2 representative office, 3 peasant farm in joint form),
5 serial digits, the check digit.

Check digit (both): weights 1..11 over the first 11 digits, sum mod 11; if that is 10, weights
3..11,1,2; if that is 10 as well, the number is never issued, so it is invalid.
"""

from __future__ import annotations

import unicodedata
from datetime import date
from enum import StrEnum
from typing import Literal

from reception.errors import ValidationFailed

Sex = Literal["male", "female"]

_FIRST_WEIGHTS = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)
_SECOND_WEIGHTS = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)
_CENTURIES = {1: 1800, 2: 1800, 3: 1900, 4: 1900, 5: 2000, 6: 2000}
_UNKNOWN_CENTURY = 0
_SEPARATORS = frozenset(" \t\u00a0\u202f-\u2010\u2011\u2012\u2013\u2014\u2212")
_BIN_TYPES = frozenset("456")
_BIN_ATTRIBUTES = frozenset("0123")


class IINReason(StrEnum):
    LENGTH = "length"
    NOT_DIGITS = "not-digits"
    DATE = "date"
    CENTURY = "century"
    CHECK_DIGIT = "check-digit"


class BINReason(StrEnum):
    LENGTH = "length"
    NOT_DIGITS = "not-digits"
    DATE = "date"
    TYPE = "type"
    ATTRIBUTE = "attribute"
    CHECK_DIGIT = "check-digit"


class InvalidIIN(ValidationFailed):
    """R37: a wrong IIN, with the reason; message id ``error-iin-<reason>``."""

    message_id = "error-iin"

    def __init__(self, reason: IINReason) -> None:
        super().__init__(f"error-iin-{reason}")
        self.reason = reason


class InvalidBIN(ValidationFailed):
    """A wrong BIN, with the reason; message id ``error-bin-<reason>``."""

    message_id = "error-bin"

    def __init__(self, reason: BINReason) -> None:
        super().__init__(f"error-bin-{reason}")
        self.reason = reason


def check_digit(first_eleven: str) -> int | None:
    """The check digit for 11 digits, or None when both passes give 10 (never issued)."""
    digits = [int(c) for c in first_eleven]
    for weights in (_FIRST_WEIGHTS, _SECOND_WEIGHTS):
        rest = sum(d * w for d, w in zip(digits, weights, strict=True)) % 11
        if rest != 10:
            return rest
    return None


def _digits(text: str) -> str | None:
    """The digits of ``text`` with spaces and dashes dropped; None if anything else is left.

    Any Unicode decimal digit (e.g. full-width) counts as its ASCII digit.
    """
    out = []
    for char in text.strip():
        if char in _SEPARATORS:
            continue
        value = unicodedata.decimal(char, None)
        if value is None:
            return None
        out.append(str(value))
    return "".join(out)


def _date_or_none(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def validate_iin(text: str) -> str:
    """R37: the 12 digits of a valid IIN, else InvalidIIN(reason)."""
    digits = _digits(text)
    if digits is None:
        raise InvalidIIN(IINReason.NOT_DIGITS)
    if len(digits) != 12:
        raise InvalidIIN(IINReason.LENGTH)
    century_digit = int(digits[6])
    if century_digit != _UNKNOWN_CENTURY and century_digit not in _CENTURIES:
        raise InvalidIIN(IINReason.CENTURY)
    yy, month, day = int(digits[0:2]), int(digits[2:4]), int(digits[4:6])
    centuries = (1900, 2000) if century_digit == _UNKNOWN_CENTURY else (_CENTURIES[century_digit],)
    if all(_date_or_none(c + yy, month, day) is None for c in centuries):
        raise InvalidIIN(IINReason.DATE)
    if check_digit(digits[:11]) != int(digits[11]):
        raise InvalidIIN(IINReason.CHECK_DIGIT)
    return digits


def birth_date(iin: str) -> date | None:
    """The birth date an IIN encodes; None when the century digit is 0 (unknown)."""
    digits = validate_iin(iin)
    century = _CENTURIES.get(int(digits[6]))
    if century is None:
        return None
    return date(century + int(digits[0:2]), int(digits[2:4]), int(digits[4:6]))


def sex(iin: str) -> Sex | None:
    """ "male" for an odd century digit, "female" for an even one; None for 0 (unknown)."""
    century_digit = int(validate_iin(iin)[6])
    if century_digit == _UNKNOWN_CENTURY:
        return None
    return "male" if century_digit % 2 else "female"


def validate_bin(text: str) -> str:
    """The 12 digits of a valid BIN, else InvalidBIN(reason)."""
    digits = _digits(text)
    if digits is None:
        raise InvalidBIN(BINReason.NOT_DIGITS)
    if len(digits) != 12:
        raise InvalidBIN(BINReason.LENGTH)
    if not 1 <= int(digits[2:4]) <= 12:
        raise InvalidBIN(BINReason.DATE)
    if digits[4] not in _BIN_TYPES:
        raise InvalidBIN(BINReason.TYPE)
    if digits[5] not in _BIN_ATTRIBUTES:
        raise InvalidBIN(BINReason.ATTRIBUTE)
    if check_digit(digits[:11]) != int(digits[11]):
        raise InvalidBIN(BINReason.CHECK_DIGIT)
    return digits

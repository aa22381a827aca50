"""R37: IIN and BIN validation. Every number here is synthetic, built by the helpers below
(no real person's IIN is written into the tests)."""

from __future__ import annotations

from datetime import date

import pytest

from reception.errors import ValidationFailed
from reception.iin import (
    BINReason,
    IINReason,
    InvalidBIN,
    InvalidIIN,
    birth_date,
    sex,
    validate_bin,
    validate_iin,
)

WEIGHTS_1 = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)
WEIGHTS_2 = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)

# Worked by hand: 8+10+0+12+5+30+21+0+9+80+0 = 175, 175 mod 11 = 10; second pass
# 24+20+0+18+7+40+27+0+11+8+0 = 155, 155 mod 11 = 1. A man born 15 March 1985.
SECOND_PASS_IIN = "850315301801"
# Both passes give 10 (164 mod 11 each): no check digit makes it valid.
NEVER_VALID_ELEVEN = "85031530260"


def weighted(first_eleven: str, weights: tuple[int, ...]) -> int:
    return sum(int(c) * w for c, w in zip(first_eleven, weights, strict=True)) % 11


def reference_check_digit(first_eleven: str) -> int | None:
    """R37 written out independently of the code under test."""
    first = weighted(first_eleven, WEIGHTS_1)
    if first != 10:
        return first
    second = weighted(first_eleven, WEIGHTS_2)
    return None if second == 10 else second


def with_check_digit(first_eleven: str) -> str:
    digit = reference_check_digit(first_eleven)
    assert digit is not None, first_eleven
    return first_eleven + str(digit)


def century_digit(born: date, sex_: str) -> int:
    base = {1800: 1, 1900: 3, 2000: 5}[born.year // 100 * 100]
    return base if sex_ == "male" else base + 1


def build_iin(born: date, sex_: str, serial: int = 1234) -> str:
    """A valid IIN whose first pass does not give 10 (serial bumped until it does not)."""
    while True:
        eleven = f"{born:%y%m%d}{century_digit(born, sex_)}{serial:04d}"
        if weighted(eleven, WEIGHTS_1) != 10:
            return with_check_digit(eleven)
        serial += 1


def find_second_pass_iin(born: date, sex_: str) -> str:
    """Brute force: the first serial whose first pass gives 10 and second pass does not."""
    for serial in range(10_000):
        eleven = f"{born:%y%m%d}{century_digit(born, sex_)}{serial:04d}"
        if weighted(eleven, WEIGHTS_1) == 10 and weighted(eleven, WEIGHTS_2) != 10:
            return eleven + str(weighted(eleven, WEIGHTS_2))
    raise AssertionError("no serial found")


def build_bin(yymm: str, kind: str = "4", attribute: str = "0", serial: int = 12345) -> str:
    while True:
        eleven = f"{yymm}{kind}{attribute}{serial:05d}"
        if reference_check_digit(eleven) is not None:
            return with_check_digit(eleven)
        serial += 1


def reason_of(text: str) -> IINReason:
    with pytest.raises(InvalidIIN) as caught:
        validate_iin(text)
    return caught.value.reason


def bin_reason_of(text: str) -> BINReason:
    with pytest.raises(InvalidBIN) as caught:
        validate_bin(text)
    return caught.value.reason


# -- valid IINs -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("born", "sex_"),
    [
        (date(1985, 3, 15), "male"),
        (date(1985, 3, 15), "female"),
        (date(2001, 12, 31), "female"),
        (date(2004, 2, 29), "male"),
        (date(1899, 7, 1), "male"),
        (date(1900, 1, 1), "female"),
    ],
)
def test_r37_valid_iin_gives_back_its_digits_birth_date_and_sex(born: date, sex_: str) -> None:
    iin = build_iin(born, sex_)
    assert validate_iin(iin) == iin
    assert birth_date(iin) == born
    assert sex(iin) == sex_


def test_r37_hard_coded_iin_valid_only_by_the_second_pass() -> None:
    assert weighted(SECOND_PASS_IIN[:11], WEIGHTS_1) == 10
    assert validate_iin(SECOND_PASS_IIN) == SECOND_PASS_IIN
    assert birth_date(SECOND_PASS_IIN) == date(1985, 3, 15)
    assert sex(SECOND_PASS_IIN) == "male"


def test_r37_brute_forced_iin_valid_only_by_the_second_pass() -> None:
    iin = find_second_pass_iin(date(2004, 2, 29), "female")
    assert validate_iin(iin) == iin
    assert birth_date(iin) == date(2004, 2, 29)
    assert sex(iin) == "female"
    # The first pass's digit would be wrong: 10 is not a digit, and every other digit fails.
    wrong = [iin[:11] + str(d) for d in range(10) if str(d) != iin[11]]
    assert all(reason_of(w) is IINReason.CHECK_DIGIT for w in wrong)


def test_r37_spaces_and_dashes_are_tolerated() -> None:
    assert validate_iin(" 850315 301801 ") == SECOND_PASS_IIN
    assert validate_iin("850315-30-1801") == SECOND_PASS_IIN
    assert validate_iin("8503\u00a015301801") == SECOND_PASS_IIN  # no-break space from a phone
    assert validate_iin("８５０３１５３０１８０１") == SECOND_PASS_IIN  # full-width digits


def test_r37_century_digit_0_is_accepted_with_unknown_birth_date_and_sex() -> None:
    iin = with_check_digit("7711230" + "4321")
    assert validate_iin(iin) == iin
    assert birth_date(iin) is None
    assert sex(iin) is None
    # 29 February 2000 exists, so 000229 with an unknown century is a date.
    leap = with_check_digit("0002290" + "1234")
    assert validate_iin(leap) == leap


# -- invalid IINs, each way -----------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "85031530180", "8503153018011", "1234"])
def test_r37_wrong_length_is_refused(text: str) -> None:
    assert reason_of(text) is IINReason.LENGTH


@pytest.mark.parametrize("text", ["85031530180O", "ИИН850315301801", "850315.301801", "12ab"])
def test_r37_letters_and_punctuation_are_refused(text: str) -> None:
    assert reason_of(text) is IINReason.NOT_DIGITS


@pytest.mark.parametrize(
    "first_eleven",
    [
        "85131530180",  # month 13
        "85003130180",  # month 00
        "85023030180",  # 30 February
        "85043130180",  # 31 April
        "00022930180",  # 29 February 1900 (century digit 3): not a leap year
        "99022901234",  # 29 February with unknown century: neither 1999 nor 2099
    ],
)
def test_r37_impossible_birth_date_is_refused(first_eleven: str) -> None:
    assert reason_of(first_eleven + "0") is IINReason.DATE


@pytest.mark.parametrize("digit", ["7", "8", "9"])
def test_r37_unknown_century_digit_is_refused(digit: str) -> None:
    assert reason_of(f"850315{digit}01801") is IINReason.CENTURY


def test_r37_wrong_check_digit_is_refused() -> None:
    iin = build_iin(date(1990, 6, 1), "female")
    wrong = iin[:11] + str((int(iin[11]) + 1) % 10)
    assert reason_of(wrong) is IINReason.CHECK_DIGIT


def test_r37_eleven_digits_where_both_passes_give_10_are_never_valid() -> None:
    assert reference_check_digit(NEVER_VALID_ELEVEN) is None
    for digit in range(10):
        assert reason_of(f"{NEVER_VALID_ELEVEN}{digit}") is IINReason.CHECK_DIGIT


def test_r37_invalid_iin_is_a_validation_error_with_a_message_id_per_reason() -> None:
    with pytest.raises(ValidationFailed) as caught:
        validate_iin("85031530180")
    error = caught.value
    assert isinstance(error, InvalidIIN)
    assert error.message_id == "error-iin-length"
    assert {f"error-iin-{r}" for r in IINReason} == {
        "error-iin-length",
        "error-iin-not-digits",
        "error-iin-date",
        "error-iin-century",
        "error-iin-check-digit",
    }


def test_r37_birth_date_and_sex_refuse_an_invalid_iin() -> None:
    with pytest.raises(InvalidIIN):
        birth_date("850315301802")
    with pytest.raises(InvalidIIN):
        sex("850315301802")


# -- BIN -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("yymm", "kind", "attribute"),
    [("0805", "4", "0"), ("9912", "5", "1"), ("1501", "6", "2"), ("2403", "4", "3")],
)
def test_r37_valid_bin(yymm: str, kind: str, attribute: str) -> None:
    bin_ = build_bin(yymm, kind, attribute)
    assert validate_bin(bin_) == bin_
    assert validate_bin(f"{bin_[:6]} {bin_[6:]}") == bin_


def test_r37_bin_wrong_shape_each_way() -> None:
    good = build_bin("0805")
    assert bin_reason_of(good[:11]) is BINReason.LENGTH
    assert bin_reason_of(good[:11] + "x") is BINReason.NOT_DIGITS
    assert bin_reason_of(build_bin("0813")) is BINReason.DATE
    assert bin_reason_of(build_bin("0800")) is BINReason.DATE
    assert bin_reason_of(build_bin("0805", kind="3")) is BINReason.TYPE
    assert bin_reason_of(build_bin("0805", kind="7")) is BINReason.TYPE
    assert bin_reason_of(build_bin("0805", attribute="4")) is BINReason.ATTRIBUTE
    assert bin_reason_of(good[:11] + str((int(good[11]) + 1) % 10)) is BINReason.CHECK_DIGIT


def test_r37_an_iin_is_not_a_bin() -> None:
    # The 5th digit of an IIN is a day's tens digit (0-3), never a BIN type 4-6.
    assert bin_reason_of(SECOND_PASS_IIN) is BINReason.TYPE


def test_r37_invalid_bin_has_its_own_message_ids() -> None:
    with pytest.raises(ValidationFailed) as caught:
        validate_bin("080540")
    assert caught.value.message_id == "error-bin-length"

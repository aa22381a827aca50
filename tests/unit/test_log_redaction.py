"""No IIN, BIN, phone number or e-mail address reaches a log line (R36, R37)."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest

from app.logging import configure_logging, redact

IIN = "870412300123"
PHONE = "+7 701 234 56 78"
EMAIL = "aigerim.nurlanovna@mail.kz"


@pytest.fixture
def log_output() -> Iterator[io.StringIO]:
    """The output of the handler configure_logging installs; the root logger restored after."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    stream = io.StringIO()
    configure_logging("DEBUG", stream=stream)
    yield stream
    root.handlers[:] = handlers
    root.setLevel(level)


def test_a_log_line_with_an_iin_a_phone_and_an_email_shows_none_of_them(
    log_output: io.StringIO,
) -> None:
    logging.getLogger("bot.dialog").info("booking by %s, phone %s, mail %s", IIN, PHONE, EMAIL)

    line = log_output.getvalue()
    assert "booking by [IIN], phone [PHONE], mail [EMAIL]" in line
    assert IIN not in line
    assert "234 56 78" not in line
    assert EMAIL not in line


def test_personal_data_inside_the_message_itself_is_redacted(log_output: io.StringIO) -> None:
    logging.getLogger("aiohttp.access").warning(f"GET /chat?iin={IIN}&email={EMAIL} 200")

    line = log_output.getvalue()
    assert IIN not in line
    assert EMAIL not in line


def test_a_traceback_is_redacted_too(log_output: io.StringIO) -> None:
    try:
        raise ValueError(f"no citizen with IIN {IIN} and phone {PHONE}")
    except ValueError:
        logging.getLogger("storage").exception("lookup failed")

    output = log_output.getvalue()
    assert "ValueError: no citizen with IIN [IIN] and phone [PHONE]" in output
    assert IIN not in output


def test_a_line_is_one_line_with_level_and_logger(log_output: io.StringIO) -> None:
    logging.getLogger("app.server").info("started")

    assert log_output.getvalue().count("\n") == 1
    assert " INFO app.server: started" in log_output.getvalue()


def test_configuring_twice_does_not_double_lines(log_output: io.StringIO) -> None:
    configure_logging("DEBUG", stream=log_output)

    logging.getLogger("app").info("once")

    assert log_output.getvalue().count("once") == 1


@pytest.mark.parametrize(
    "iin",
    ["870412300123", "870412 300123", "870412-300123", "8704 1230 0123", "870 412 300 123"],
)
def test_r37_iins_and_bins_are_redacted_in_any_grouping(iin: str) -> None:
    assert redact(f"ИИН: {iin}.") == "ИИН: [IIN]."


@pytest.mark.parametrize(
    "phone",
    [
        "+77012345678",
        "+7 701 234 56 78",
        "+7 (701) 234-56-78",
        "8 701 234 56 78",
        "8(701)2345678",
        "87012345678",
        "+7-701-234-5678",
        "77012345678",  # as WhatsApp sends a sender's number
    ],
)
def test_kazakhstan_phone_numbers_are_redacted_in_any_common_spacing(phone: str) -> None:
    assert redact(f"tel {phone}, ok") == "tel [PHONE], ok"


def test_email_addresses_are_redacted() -> None:
    assert redact("write to Ерлан.Б+akimat@gov.kz now") == "write to [EMAIL] now"


@pytest.mark.parametrize(
    "text",
    [
        "reception day 2025-03-21 2025-03-22 moved",
        "request 2025-000123 registered",
        "update_id 123456789 handled in 1.25 ms",
        "slot 15 of 40, 12:30-12:45",
    ],
)
def test_dates_counts_and_ids_stay_readable(text: str) -> None:
    assert redact(text) == text

"""The Translator keeps formatted texts only where that is safe (issue 3's hot path).

Texts without arguments are formatted once. Texts of public facts (`public`: a slot's time, a
topic, an official) are kept by their arguments; a citizen's own data never is.
"""

from __future__ import annotations

from datetime import UTC, datetime

from locales import Translator

TEN_FORTY = datetime(2026, 11, 23, 5, 40, tzinfo=UTC)  # 10:40 in Almaty


def test_a_public_text_is_written_for_its_own_arguments_each_time() -> None:
    translator = Translator()
    monday = translator.public("ru", "booking-slot-label", weekday="пн", when=TEN_FORTY)
    again = translator.public("ru", "booking-slot-label", weekday="пн", when=TEN_FORTY)
    later = translator.public(
        "ru", "booking-slot-label", weekday="пн", when=TEN_FORTY.replace(minute=50)
    )
    kazakh = translator.public("kk", "booking-slot-label", weekday="дс", when=TEN_FORTY)

    assert monday == again == "пн, 23 ноября 2026 г., 10:40"
    assert later == "пн, 23 ноября 2026 г., 10:50"
    assert kazakh == translator("kk", "booking-slot-label", weekday="дс", when=TEN_FORTY)
    assert "10:40" in kazakh and "қараша" in kazakh


def test_a_citizens_own_data_is_formatted_but_not_kept() -> None:
    translator = Translator()
    text = translator(
        "ru", "summary-applicant", name="Ахметов Серик", iin="850315300123", phone="+77011234567"
    )
    assert "850315300123" in text
    assert not any("850315300123" in kept for kept in translator._formatted.values())
    assert not any("850315300123" in kept for kept in translator._plain.values())

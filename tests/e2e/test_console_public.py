"""The public reception schedule (R6) in Kazakh and Russian, with no personal data (R15)."""

from __future__ import annotations

from datetime import date

from reception.actors import Actor
from reception.services.requests import book_request
from tests.e2e.console_support import *  # noqa: F403


async def test_r6_the_schedule_is_public_in_the_form_of_the_appendix(console) -> None:
    await console.seed_day(day=date(2026, 2, 18))

    response = await console.client.get("/schedule?lang=ru")
    text = await response.text()

    assert response.status == 200
    for column in (
        "Наименование государственного органа",
        "Ф.И.О. лица, проводящего прием",
        "Должность лица",
        "Дата и время приема граждан",
        "Местонахождение государственного органа",
        "Контактный телефон",
    ):
        assert column in text
    assert "Аппарат акима области" in text
    assert "Аскаров Аскар Аскарович" in text and "Заместитель акима области" in text
    assert "18 февраля 2026 г., 10:00–12:00" in text
    assert "Акимат, кабинет 305" in text
    assert "+7 7282 00 00 01" in text and "priemnaya@example.kz" in text


async def test_r6_the_schedule_in_kazakh(console) -> None:
    await console.seed_day(day=date(2026, 2, 18))

    text = await (await console.client.get("/schedule?lang=kk")).text()

    assert "Басшылықтың азаматтарды қабылдау кестесі" in text
    assert "Асқаров Асқар Асқарұлы" in text and "Облыс әкімінің орынбасары" in text
    assert "18 ақпан 2026 ж." in text and "Әкімдік, 305 кабинет" in text
    assert '<html lang="kk">' in text


async def test_r15_the_public_schedule_shows_no_applicant(console) -> None:
    _, slots = await console.seed_day(day=date(2026, 2, 18))
    booking = await console.seed_request(1, name="Сейітова Айжан", question="Жеке мәселе")
    async with console.uow_factory() as uow:
        await book_request(uow, console.rules, booking.id, slots[0].id, Actor.staff(1))
        await uow.commit()

    for lang in ("kk", "ru"):
        text = await (await console.client.get(f"/schedule?lang={lang}")).text()
        for personal in (
            "Сейітова",
            booking.applicant_iin,
            booking.applicant_phone,
            booking.number,
            "Жеке мәселе",
        ):
            assert personal not in text


async def test_a_cancelled_day_is_marked_not_hidden(console) -> None:
    day, _ = await console.seed_day(day=date(2026, 2, 18))
    csrf = await console.login("reception")
    await console.post(f"/console/schedules/days/{day.id}/cancel", {"reason": "болезнь"}, csrf)

    text = await (await console.client.get("/schedule?lang=ru")).text()

    assert "прием отменен" in text
    assert "болезнь" not in text  # the reason is internal


async def test_past_days_are_not_published(console) -> None:
    await console.seed_day(day=date(2026, 2, 4))
    await console.seed_day(console.officials[1], day=date(2026, 2, 18))

    text = await (await console.client.get("/schedule?lang=ru")).text()

    assert "4 февраля 2026 г." not in text
    assert "18 февраля 2026 г." in text


async def test_inactive_officials_are_not_published(console) -> None:
    await console.seed_day(day=date(2026, 2, 18))
    async with console.uow_factory() as uow:
        official = await uow.schedule.get_official(console.officials[0].id)
        official.active = False
        await uow.schedule.update_official(official)
        await uow.commit()

    text = await (await console.client.get("/schedule")).text()

    assert "Аскаров" not in text
    assert "Дни приема пока не назначены" in text

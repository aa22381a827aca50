"""The day list of an official's reception (R9, R22, R25), printable."""

from __future__ import annotations

from reception.actors import Actor
from reception.services.invitations import invite_bodies
from storage.repositories.invitations import SqlInvitationRepository
from tests.e2e.console_ops_support import book, visible_text
from tests.e2e.console_support import *  # noqa: F403

PRIORITY = "wwii-veteran"  # on the typical profile's R9 list


async def booked_day(console):
    """Three applicants booked on 18 February: the veteran registered last, one invitation."""
    day, slots = await console.seed_day()
    first = await console.seed_request(
        1, slot=slots[0], name="Ахметов Бауыржан", question="Ремонт крыши дома"
    )
    second = await console.seed_request(
        2, slot=slots[1], name="Смагулова Дина", question="Место в детском саду"
    )
    veteran = await console.seed_request(
        3, slot=slots[2], name="Омаров Кенжебек", question="Жилье ветерану", priority=PRIORITY
    )
    for booking, slot in ((first, slots[0]), (second, slots[1]), (veteran, slots[2])):
        await book(console, booking, slot)
    async with console.uow_factory() as uow:
        await invite_bodies(
            uow,
            SqlInvitationRepository(uow.connection),
            console.rules,
            second.id,
            ["Отдел образования"],
            Actor.staff(console.users["reception"].id),
        )
        await uow.commit()
    return day, first, second, veteran


async def test_r9_r22_priority_first_then_the_queue_with_question_and_invited(console) -> None:
    await booked_day(console)
    await console.login("reception")

    page = await console.client.get(
        f"/console/daylist?official_id={console.officials[0].id}&date=2026-02-18"
    )

    text = visible_text(await page.text())
    assert page.status == 200
    omarov, akhmetov, smagulova = (
        text.index("Омаров Кенжебек"),
        text.index("Ахметов Бауыржан"),
        text.index("Смагулова Дина"),
    )
    assert omarov < akhmetov < smagulova
    assert "Жилье ветерану" in text and "вне очереди" in text
    assert "Место в детском саду Отдел образования" in text
    # R25: the list reaches the official 1 working day before: Tuesday 17 February.
    assert "Передать должностному лицу не позднее 17 февраля 2026 г." in text


async def test_the_day_list_is_printable(console) -> None:
    await booked_day(console)
    await console.login("reception")
    html = await (
        await console.client.get(
            f"/console/daylist?official_id={console.officials[0].id}&date=2026-02-18"
        )
    ).text()
    assert 'media="print"' in html and "data-print" in html


async def test_an_official_sees_only_their_own_day_list_in_kazakh(console) -> None:
    await booked_day(console)
    await console.login("official")  # linked to officials[0], reads Kazakh

    own = visible_text(await (await console.client.get("/console/daylist?date=2026-02-18")).text())
    other = visible_text(
        await (
            await console.client.get(
                f"/console/daylist?official_id={console.officials[1].id}&date=2026-02-18"
            )
        ).text()
    )

    assert "Қабылдауға жазылған адамдардың тізімі" in own and "Омаров Кенжебек" in own
    assert "Омаров Кенжебек" in other  # the id in the URL is ignored: still their own list
    assert "Бекова" not in other


async def test_a_day_without_reception_says_so(console) -> None:
    await console.login("reception")
    text = visible_text(await (await console.client.get("/console/daylist?date=2026-02-19")).text())
    assert "нет приема 19 февраля 2026 г." in text


async def test_a_malformed_date_is_a_bad_request(console) -> None:
    await console.login("reception")
    response = await console.client.get("/console/daylist?date=18.02.2026")
    assert response.status == 400


async def test_operators_do_not_see_day_lists_or_protocols(console) -> None:
    await console.login("operator")
    assert (await console.client.get("/console/daylist")).status == 403
    assert (await console.client.get("/console/protocols")).status == 403
    assert (await console.client.get("/console/control")).status == 403


async def test_without_a_date_the_next_reception_is_shown(console) -> None:
    await booked_day(console)
    await console.login("reception")

    page = await console.client.get(f"/console/daylist?official_id={console.officials[0].id}")

    text = visible_text(await page.text())
    assert "Аскаров Аскар Аскарович: прием 18 февраля 2026 г." in text
    assert "Ближайшие приемы: 18 февраля 2026 г." in text

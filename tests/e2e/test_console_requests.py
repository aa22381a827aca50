"""The requests list: filters, search, due-date order, working days left in colour, paging."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from reception.actors import Actor
from reception.clock import ALMATY
from reception.requests import Channel
from reception.schedule import Topic
from reception.services.requests import apply_transition
from tests.e2e.console_support import *  # noqa: F403
from tests.e2e.console_support import START

ROW = re.compile(r'<a href="/console/requests/(\d+)">')


async def listed(console, query: str = "") -> list[int]:
    page = await console.client.get(f"/console/requests{query}")
    assert page.status == 200
    return [int(n) for n in ROW.findall(await page.text())]


async def registered_on(console, when: datetime, n: int, **kw):
    console.clock.set(when)
    booking = await console.seed_request(n, **kw)
    console.clock.set(START)
    return booking


async def move(console, booking, action: str, **kw) -> None:
    async with console.uow_factory() as uow:
        await apply_transition(uow, console.rules, booking.id, action, Actor.staff(1), **kw)
        await uow.commit()


def at(day: int, month: int = 2) -> datetime:
    return datetime(2026, month, day, 10, 0, tzinfo=ALMATY)


async def test_r21_the_list_is_sorted_by_answer_due_soonest_first(console) -> None:
    late = await registered_on(console, at(10), 1)
    early = await registered_on(console, at(20, 1), 2)
    middle = await registered_on(console, at(2), 3)
    await console.login("reception")

    assert await listed(console) == [early.id, middle.id, late.id]


async def test_r21_r32_working_days_left_are_shown_in_colour(console) -> None:
    overdue = await registered_on(console, at(20, 1), 1)  # due 10 Feb: past on 11 Feb
    soon = await registered_on(console, at(28, 1), 2)  # due 18 Feb: 5 working days left
    later = await registered_on(console, at(10), 3)  # due 3 Mar: 14 working days left
    await console.login("reception")

    text = await (await console.client.get("/console/requests")).text()

    colours = re.findall(r'data-colour="(\w+)">([^<]+)<', text)
    assert [c for c, _ in colours] == ["red", "amber", "green"]
    assert "просрочено на 1 раб. дн." in colours[0][1]
    assert "осталось 5 раб. дней" in colours[1][1]
    assert "осталось 14 раб. дней" in colours[2][1]
    assert overdue.answer_due < soon.answer_due < later.answer_due


async def test_final_requests_are_hidden_by_default_and_shown_with_all_statuses(console) -> None:
    active = await console.seed_request(1)
    withdrawn = await console.seed_request(2)
    await move(console, withdrawn, "withdraw")
    await console.login("reception")

    assert await listed(console) == [active.id]
    assert sorted(await listed(console, "?status=all")) == [active.id, withdrawn.id]
    assert await listed(console, "?status=withdrawn") == [withdrawn.id]


async def test_filters_by_official_topic_channel_and_priority(console) -> None:
    async with console.uow_factory() as uow:
        topic = await uow.schedule.add_topic(Topic("roads", "Жолдар", "Дороги"))
        await uow.commit()
    plain = await console.seed_request(1)
    other_official = await console.seed_request(2, official=console.officials[1])
    with_topic = await console.seed_request(3, topic_id=topic.id)
    by_whatsapp = await console.seed_request(4, channel=Channel.WHATSAPP)
    veteran = await console.seed_request(5, priority="wwii-veteran")
    await console.login("reception")

    assert await listed(console, f"?official={console.officials[1].id}") == [other_official.id]
    assert await listed(console, f"?topic={topic.id}") == [with_topic.id]
    assert await listed(console, "?channel=whatsapp") == [by_whatsapp.id]
    assert await listed(console, "?priority=1") == [veteran.id]
    assert plain.id in await listed(console)


async def test_due_within_n_working_days_and_overdue(console) -> None:
    overdue = await registered_on(console, at(20, 1), 1)  # due 10 Feb
    soon = await registered_on(console, at(28, 1), 2)  # due 18 Feb
    later = await registered_on(console, at(10), 3)  # due 3 Mar
    await console.login("reception")

    assert await listed(console, "?due=5") == [overdue.id, soon.id]
    assert await listed(console, "?due=20") == [overdue.id, soon.id, later.id]
    assert await listed(console, "?overdue=1") == [overdue.id]


async def test_r23_an_extended_request_is_not_overdue_before_its_new_term(console) -> None:
    extended = await registered_on(console, at(20, 1), 1)  # due 10 Feb
    await move(console, extended, "start_review")
    console.clock.set(at(5))
    from reception.requests import ExtensionKind

    await move(
        console,
        extended,
        "extend",
        kind=ExtensionKind.LETTER,
        until=extended.registration_date + timedelta(days=29),
        reason="сложный вопрос",
    )
    console.clock.set(START)
    await console.login("reception")

    assert await listed(console, "?overdue=1") == []


async def test_search_by_name_iin_or_number(console) -> None:
    first = await console.seed_request(1, name="Әлиева Гүлнар Сәкенқызы")
    second = await console.seed_request(2, name="Петров Иван")
    await console.login("reception")

    assert await listed(console, "?q=гүлнар") == [first.id]
    assert await listed(console, "?q=ПЕТРОВ") == [second.id]
    assert await listed(console, f"?q={second.applicant_iin}") == [second.id]
    assert await listed(console, f"?q={first.number}") == [first.id]
    assert await listed(console, "?q=Сидоров") == []


async def test_the_count_of_found_requests_is_shown(console) -> None:
    for n in range(3):
        await console.seed_request(n + 1)
    await console.login("reception")

    text = await (await console.client.get("/console/requests")).text()

    assert "Найдено 3 заявки" in text


async def test_pages_move_forward_and_back_by_due_date(console) -> None:
    ids = [
        (await registered_on(console, at(2) + timedelta(minutes=n), n + 1)).id for n in range(55)
    ]
    await console.login("reception")

    first_page = await console.client.get("/console/requests")
    text = await first_page.text()
    next_link = re.search(r'rel="next" href="([^"]+)"', text).group(1).replace("&amp;", "&")
    second = await console.client.get(next_link)
    second_text = await second.text()
    prev_link = re.search(r'rel="prev" href="([^"]+)"', second_text).group(1).replace("&amp;", "&")

    assert [int(n) for n in ROW.findall(text)] == ids[:50]
    assert [int(n) for n in ROW.findall(second_text)] == ids[50:]
    assert 'rel="next"' not in second_text
    assert await listed(console, prev_link.removeprefix("/console/requests")) == ids[:50]


async def test_bad_filter_values_are_ignored_not_an_error(console) -> None:
    booking = await console.seed_request(1)
    await console.login("reception")

    assert await listed(console, "?official=x&due=-3&after=garbage&status=nonsense") == [booking.id]


async def test_a_name_search_over_every_status_pages_in_due_order(console) -> None:
    """SQLite takes the ids from the narrow (due, id, text) index, then reads the rows; the
    pages must be those of the plain order."""
    import storage.repositories.request_list as listing_module
    from reception.services.request_list import Cursor, ListCriteria, SearchKind

    names = ["Ким Анна", "Омаров Ерлан", "Ким Олег", "Петров Иван", "Ким Дина", "Ким Серік"]
    made = [
        (await registered_on(console, at(2 + n), n + 1, name=name)).id
        for n, name in enumerate(names)
    ]
    kims = [made[0], made[2], made[4], made[5]]

    async def page(text: str, after=None, limit=2) -> list[int]:
        criteria = ListCriteria(search=text, search_kind=SearchKind.NAME)
        async with console.uow_factory(readonly=True) as uow:
            rows = await listing_module.SqlRequestListing(uow.connection).page(
                criteria, after, None, limit
            )
        return [row.id for row in rows]

    first = await page("ким")
    request = await console.request(first[-1])
    second = await page("ким", Cursor(request.answer_due, request.id), 3)
    rare = await page("петров", limit=5)

    assert first + second == kims
    assert rare == [made[3]]

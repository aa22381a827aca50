"""Saving officials and topics from the console's forms: a new one is created, an existing
one is changed in place, and either is audited (R1, R6, R18.1)."""

from __future__ import annotations

from dataclasses import replace

from reception.actors import Actor
from reception.clock import FixedClock
from reception.services.schedules import OfficialForm, TopicForm, save_official, save_topic
from storage.uow import SqlUnitOfWorkFactory
from tests.integration.builders import NOW

OFFICIAL = OfficialForm(
    name_kk="Серік  Әлиев",
    name_ru="Серик Алиев",
    position_kk="Аким орынбасары",
    position_ru="Заместитель акима",
    group=2,
)


async def test_an_official_is_created_then_changed_in_place_and_both_are_audited(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    clock, admin = FixedClock(NOW), Actor.system()
    async with uow_factory() as uow:
        created = await save_official(uow, clock, admin, OFFICIAL)
        await uow.commit()
    changed_form = replace(OFFICIAL, group=3, phone=" +7 7252 00 ")
    async with uow_factory() as uow:
        changed = await save_official(uow, clock, admin, changed_form, created.id)
        await uow.commit()
    async with uow_factory(readonly=True) as uow:
        stored = await uow.schedule.get_official(created.id)
        history = await uow.audit.for_object("official", str(created.id))
        everyone = await uow.schedule.officials(active_only=False)
    assert changed.id == created.id and len(everyone) == 1
    assert (stored.name_kk, stored.group, stored.phone) == ("Серік Әлиев", 3, "+7 7252 00")
    assert [entry.action for entry in history] == ["official.create", "official.update"]


async def test_a_topic_is_created_then_changed_in_place_and_both_are_audited(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    clock, admin = FixedClock(NOW), Actor.system()
    form = TopicForm(code="Roads", name_kk="Жолдар", name_ru="Дороги")
    async with uow_factory() as uow:
        created = await save_topic(uow, clock, admin, form)
        await uow.commit()
    central = replace(form, competence="central", redirect_kk="ХҚКО", redirect_ru="ЦОН")
    async with uow_factory() as uow:
        await save_topic(uow, clock, admin, central, created.id)
        await uow.commit()
    async with uow_factory(readonly=True) as uow:
        topics = await uow.schedule.topics(active_only=False)
        history = await uow.audit.for_object("topic", str(created.id))
    assert [(t.id, t.code, t.competence, t.redirect_ru) for t in topics] == [
        (created.id, "roads", "central", "ЦОН")
    ]
    assert [entry.action for entry in history] == ["topic.create", "topic.update"]

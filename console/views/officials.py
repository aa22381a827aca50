"""Administrators keep the officials (R1, R6) and the topics with their competence (R18.1, R2)."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from console.rbac import ADMINS, roles
from console.views.forms import checked, field, form_int
from console.web import actor, console_url, open_uow, redirect, render, rules
from reception.errors import DomainError
from reception.services import schedules as cases

routes = web.RouteTableDef()


def official_form(form: Any) -> cases.OfficialForm:
    return cases.OfficialForm(
        name_kk=field(form, "name_kk"),
        name_ru=field(form, "name_ru"),
        position_kk=field(form, "position_kk"),
        position_ru=field(form, "position_ru"),
        group=form_int(form, "group") or 0,
        language=field(form, "language") or "kk",
        phone=field(form, "phone"),
        email=field(form, "email"),
        active=checked(form, "active"),
    )


@routes.get("/schedules/officials/new", name="official-new")
@roles(ADMINS)
async def new_official(request: web.Request) -> web.Response:
    return render(
        request,
        "official_form.html",
        {"official": None, "values": {"active": "1", "group": "1"}, "error": None},
    )


@routes.get(r"/schedules/officials/{official_id:\d+}", name="official-edit")
@roles(ADMINS)
async def edit_official(request: web.Request) -> web.Response:
    async with open_uow(request, readonly=True) as uow:
        official = await uow.schedule.get_official(int(request.match_info["official_id"]))
    values = {
        "name_kk": official.name_kk,
        "name_ru": official.name_ru,
        "position_kk": official.position_kk,
        "position_ru": official.position_ru,
        "group": str(official.group),
        "language": official.language,
        "phone": official.phone or "",
        "email": official.email or "",
        "active": "1" if official.active else "",
    }
    return render(
        request, "official_form.html", {"official": official, "values": values, "error": None}
    )


@routes.post("/schedules/officials", name="official-create")
@roles(ADMINS)
async def create_official(request: web.Request) -> web.StreamResponse:
    return await _save_official(request, None)


@routes.post(r"/schedules/officials/{official_id:\d+}", name="official-update")
@roles(ADMINS)
async def update_official(request: web.Request) -> web.StreamResponse:
    return await _save_official(request, int(request.match_info["official_id"]))


async def _save_official(request: web.Request, official_id: int | None) -> web.StreamResponse:
    form = await request.post()
    try:
        async with open_uow(request) as uow:
            await cases.save_official(
                uow, rules(request).clock, actor(request), official_form(form), official_id
            )
            await uow.commit()
    except DomainError as error:
        values = {key: field(form, key) for key in form}
        return render(
            request,
            "official_form.html",
            {
                "official": None if official_id is None else {"id": official_id},
                "values": values,
                "error": error,
            },
            status=422,
        )
    return redirect(
        console_url(request, "schedules", query={"done": "console-done-official-saved"})
    )


def topic_form(form: Any) -> cases.TopicForm:
    return cases.TopicForm(
        code=field(form, "code"),
        name_kk=field(form, "name_kk"),
        name_ru=field(form, "name_ru"),
        competence=field(form, "competence") or "local",
        official_id=form_int(form, "official_id"),
        redirect_kk=field(form, "redirect_kk"),
        redirect_ru=field(form, "redirect_ru"),
        active=checked(form, "active"),
    )


async def _topics_context(request: web.Request) -> dict[str, Any]:
    async with open_uow(request, readonly=True) as uow:
        topics = await uow.schedule.topics(active_only=False)
        officials = await uow.schedule.officials(active_only=False)
    return {
        "topics": topics,
        "officials": {o.id: o for o in officials},
        "competences": cases.COMPETENCES,
        "error": None,
        "values": {"active": "1"},
        "editing": None,
    }


@routes.get("/schedules/topics", name="topics")
@roles(ADMINS)
async def topics(request: web.Request) -> web.Response:
    context = await _topics_context(request)
    editing = form_int(request.query, "edit")
    chosen = next((t for t in context["topics"] if t.id == editing), None)
    if chosen is not None:
        context["editing"] = chosen.id
        context["values"] = {
            "code": chosen.code,
            "name_kk": chosen.name_kk,
            "name_ru": chosen.name_ru,
            "competence": chosen.competence,
            "official_id": str(chosen.official_id or ""),
            "redirect_kk": chosen.redirect_kk or "",
            "redirect_ru": chosen.redirect_ru or "",
            "active": "1" if chosen.active else "",
        }
    return render(request, "topics.html", context)


@routes.post("/schedules/topics", name="topic-save")
@roles(ADMINS)
async def save_topic(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    topic_id = form_int(form, "topic_id")
    try:
        async with open_uow(request) as uow:
            await cases.save_topic(
                uow, rules(request).clock, actor(request), topic_form(form), topic_id
            )
            await uow.commit()
    except DomainError as error:
        context = await _topics_context(request)
        context.update(
            error=error, values={key: field(form, key) for key in form}, editing=topic_id
        )
        return render(request, "topics.html", context, status=422)
    return redirect(console_url(request, "topics", query={"done": "console-done-topic-saved"}))

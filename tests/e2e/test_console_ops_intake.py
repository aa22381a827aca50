"""Requests heard by phone or in person, registered in the console (R4, R20, R36, R37)."""

from __future__ import annotations

from tests.e2e.console_ops_support import visible_text
from tests.e2e.console_support import *  # noqa: F403


def heard_by_phone(console, **extra):
    form = {
        "consent": "1",
        "channel": "phone",
        "language": "kk",
        "name": "Сейтқали Әсел Бауыржанқызы",
        "iin": make_iin(42),  # noqa: F405
        "phone": "+7 701 555 44 33",
        "official_id": str(console.officials[0].id),
        "question": "Көшеде жарық жоқ, шамдарды жөндеу керек",
    }
    form.update(extra)
    return form


async def test_r4_r20_a_phone_request_is_registered_with_its_channel_and_its_own_protocol(
    console,
) -> None:
    csrf = await console.login("operator")

    response = await console.post("/console/intake", heard_by_phone(console), csrf)

    assert response.status == 303
    rows = await console.rows(
        "select id, number, channel, status, reception_language, registration_date from requests"
    )
    assert [(r["channel"], r["status"], r["reception_language"]) for r in rows] == [
        ("phone", "registered", "kk")
    ]
    assert str(rows[0]["registration_date"]) == "2026-02-11"  # R20: the day it arrives
    # R20, 004 §180: the oral request is written into a protocol of its own.
    protocols = await console.rows(
        "select p.number, p.held_on, p.reception_day_id, i.request_id, i.heard, i.decision "
        "from protocols p join protocol_items i on i.protocol_id = p.id"
    )
    assert len(protocols) == 1
    item = protocols[0]
    assert (item["number"], str(item["held_on"]), item["reception_day_id"]) == (
        1,
        "2026-02-11",
        None,
    )
    assert item["request_id"] == rows[0]["id"]
    assert item["heard"] == "Көшеде жарық жоқ, шамдарды жөндеу керек"
    assert rows[0]["number"] in item["decision"]
    assert response.headers["Location"].startswith(f"/console/requests/{rows[0]['id']}")


async def test_r36_consent_is_recorded_with_the_channel(console) -> None:
    csrf = await console.login("reception")
    await console.post("/console/intake", heard_by_phone(console, channel="in_person"), csrf)

    consents = await console.rows("select text_version, channel, granted from consents")
    assert [(c["text_version"], c["channel"], c["granted"]) for c in consents] == [
        ("oral-1", "in_person", True)
    ]
    assert await console.scalar("select consent_at from citizens") is not None


async def test_r36_without_consent_nothing_is_written_down(console) -> None:
    csrf = await console.login("operator")
    form = heard_by_phone(console)
    del form["consent"]

    response = await console.post("/console/intake", form, csrf)

    assert response.status == 422
    text = visible_text(await response.text())
    assert "Без согласия заявителя на обработку персональных данных" in text
    assert await console.scalar("select count(*) from requests") == 0
    assert await console.scalar("select count(*) from citizens") == 0


async def test_r37_a_wrong_iin_is_explained_and_the_form_keeps_what_was_typed(console) -> None:
    csrf = await console.login("operator")

    response = await console.post(
        "/console/intake", heard_by_phone(console, iin="900101300124"), csrf
    )

    assert response.status == 422
    html = await response.text()
    assert "ИИН не прошёл проверку контрольной цифры" in html
    assert "Көшеде жарық жоқ, шамдарды жөндеу керек" in html
    assert await console.scalar("select count(*) from requests") == 0


async def test_the_same_applicant_again_is_the_same_citizen(console) -> None:
    csrf = await console.login("operator")
    await console.post("/console/intake", heard_by_phone(console), csrf)
    other_official = heard_by_phone(console, official_id=str(console.officials[1].id))

    await console.post("/console/intake", other_official, csrf)

    assert await console.scalar("select count(*) from citizens") == 1
    assert await console.scalar("select count(distinct citizen_id) from requests") == 1


async def test_a_paper_request_is_registered_without_an_oral_protocol(console) -> None:
    csrf = await console.login("reception")
    await console.post("/console/intake", heard_by_phone(console, channel="paper"), csrf)

    assert await console.scalar("select channel from requests") == "paper"
    assert await console.scalar("select count(*) from protocols") == 0


async def test_an_official_may_not_register_requests(console) -> None:
    csrf = await console.login("official")
    response = await console.post("/console/intake", heard_by_phone(console), csrf)
    assert response.status == 403
    assert await console.scalar("select count(*) from requests") == 0

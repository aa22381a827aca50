"""The request card and its actions: each one is a transition of the state machine, sends its
notice to the citizen through the outbox in the citizen's language, and is audited (R39)."""

from __future__ import annotations

from datetime import date, datetime

from reception.clock import ALMATY
from reception.requests import Status
from tests.e2e.console_support import *  # noqa: F403
from tests.e2e.test_console_rbac import add_document


async def act(console, csrf: str, booking, action: str, **form):
    return await console.post(f"/console/requests/{booking.id}/actions/{action}", form, csrf)


async def card_text(console, booking) -> str:
    response = await console.client.get(f"/console/requests/{booking.id}")
    assert response.status == 200
    return await response.text()


async def last_audit(console, booking) -> dict:
    rows = await console.rows(
        "select action, actor_kind, actor_id, ip from audit_log "
        "where object_type = 'request' and object_id = :id order by id",
        id=str(booking.id),
    )
    return rows[-1]


async def test_the_card_shows_all_the_citizen_gave(console) -> None:
    booking = await console.seed_request(1, name="Әлиев Нұрлан", question="Көше жарығы жоқ")
    await console.login("reception")

    text = await card_text(console, booking)

    assert "Әлиев Нұрлан" in text
    assert booking.applicant_iin in text
    assert "Көше жарығы жоқ" in text
    assert "Принималось ли уже административное решение" in text  # the admissibility questions
    assert "Зарегистрирована" in text
    assert "Ваша заявка на личный прием зарегистрирована" in text  # the notice it got


async def test_confirming_into_a_slot_books_and_tells_the_citizen_in_kazakh(console) -> None:
    _, slots = await console.seed_day()
    booking = await console.seed_request(1, language="kk")
    csrf = await console.login("reception")

    response = await act(console, csrf, booking, "book", slot_id=slots[0].id)
    page = await console.client.get(response.headers["Location"])
    text = await page.text()

    assert response.status == 303
    assert "Время приема назначено, заявитель уведомлен" in text
    stored = await console.request(booking.id)
    assert stored.status is Status.BOOKED and stored.slot_id == slots[0].id
    assert await console.outbox_kinds(booking.id) == ["registered", "booked"]
    audit = await last_audit(console, booking)
    assert audit["action"] == "request.book"
    assert audit["actor_id"] == console.users["reception"].id and audit["ip"] == "127.0.0.1"
    # The notice as the citizen read it: in Kazakh, with the place in Kazakh.
    assert "өтініші бойынша жеке қабылдауға жазылдыңыз" in text
    assert "Әкімдік, 305 кабинет" in text


async def test_moving_a_booking_to_another_slot_frees_the_first_and_tells_the_citizen(
    console,
) -> None:
    _, slots = await console.seed_day()
    booking = await console.seed_request(1)
    csrf = await console.login("reception")
    await act(console, csrf, booking, "book", slot_id=slots[0].id)

    response = await act(console, csrf, booking, "book", slot_id=slots[2].id)

    assert response.status == 303
    assert (await console.request(booking.id)).slot_id == slots[2].id
    assert await console.outbox_kinds(booking.id) == ["registered", "booked", "booked"]
    other = await console.seed_request(2)
    assert (await act(console, csrf, other, "book", slot_id=slots[0].id)).status == 303


async def test_a_taken_slot_is_refused_with_a_message_not_a_500(console) -> None:
    _, slots = await console.seed_day()
    first = await console.seed_request(1)
    second = await console.seed_request(2)
    csrf = await console.login("reception")
    await act(console, csrf, first, "book", slot_id=slots[0].id)

    response = await act(console, csrf, second, "book", slot_id=slots[0].id)

    assert response.status == 409
    assert "Это время уже занято" in await response.text()
    assert (await console.request(second.id)).status is Status.REGISTERED


async def test_r17_fix_request_names_the_requirements_in_the_citizens_language(console) -> None:
    booking = await console.seed_request(1, language="kk")
    csrf = await console.login("reception")

    response = await console.client.post(
        f"/console/requests/{booking.id}/actions/request_fix",
        data=[
            ("csrf_token", csrf),
            ("requirement", "iin"),
            ("requirement", "address"),
            ("working_days", "5"),
        ],
        allow_redirects=False,
    )

    assert response.status == 303
    stored = await console.request(booking.id)
    assert stored.status is Status.NEEDS_FIX
    assert stored.fix_requirements == ["ЖСН немесе БСН", "жауап беру мекенжайы"]
    assert stored.fix_due == date(2026, 2, 18)
    assert await console.outbox_kinds(booking.id) == ["registered", "fix-request"]


async def test_r17_return_is_offered_only_after_the_fix_period(console) -> None:
    booking = await console.seed_request(1)
    csrf = await console.login("reception")
    await act(console, csrf, booking, "request_fix", requirement="signature", working_days="2")

    early = await act(console, csrf, booking, "return_unfixed")
    card = await card_text(console, booking)
    console.clock.set(datetime(2026, 2, 16, 10, 0, tzinfo=ALMATY))
    csrf = await console.login("reception")  # days later: a new session
    later = await act(console, csrf, booking, "return_unfixed")

    assert early.status == 422
    assert "Срок ещё не наступил" in await early.text()
    assert "Доступно с 16 февраля 2026 г." in card
    assert later.status == 303
    assert (await console.request(booking.id)).status is Status.RETURNED
    assert (await console.outbox_kinds(booking.id))[-1] == "returned"


async def test_r17_a_fixed_request_is_registered_again(console) -> None:
    booking = await console.seed_request(1)
    csrf = await console.login("reception")
    await act(console, csrf, booking, "request_fix", other="нет подписи")

    response = await act(console, csrf, booking, "fix_received")

    assert response.status == 303
    assert (await console.request(booking.id)).status is Status.REGISTERED


async def test_r19_forwarding_tells_the_citizen_where(console) -> None:
    booking = await console.seed_request(1)
    csrf = await console.login("reception")

    response = await act(console, csrf, booking, "forward", body="Министерство юстиции")

    assert response.status == 303
    stored = await console.request(booking.id)
    assert stored.status is Status.FORWARDED and stored.forwarded_to == "Министерство юстиции"
    assert (await console.outbox_kinds(booking.id))[-1] == "forwarded"
    assert (await last_audit(console, booking))["action"] == "request.forward"


async def test_r23_extension_shows_its_limits_and_refuses_beyond_them(console) -> None:
    booking = await console.seed_request(1)
    csrf = await console.login("reception")
    card = await card_text(console, booking)

    beyond = await act(
        console,
        csrf,
        booking,
        "extend",
        kind="letter",
        until="2026-03-30",
        reason="нужен запрос в другие органы",
    )
    within = await act(
        console,
        csrf,
        booking,
        "extend",
        kind="letter",
        until="2026-03-12",
        reason="нужен запрос в другие органы",
    )

    assert "письмом — не позднее 13 марта 2026 г." in card
    assert beyond.status == 422
    assert "Продление возможно не позднее 13 марта 2026 г." in await beyond.text()
    assert within.status == 303
    stored = await console.request(booking.id)
    assert stored.status is Status.EXTENDED and stored.extended_until == date(2026, 3, 12)
    assert await console.outbox_kinds(booking.id) == ["registered", "extension"]


async def test_r13_invited_bodies_and_a_refusal_to_take_part_are_told_to_the_citizen(
    console,
) -> None:
    booking = await console.seed_request(1)
    csrf = await console.login("reception")

    invited = await act(
        console, csrf, booking, "invite", bodies="Управление образования\nАкимат района\n"
    )
    rows = await console.rows("select id, body, notice_due from request_invitations order by id")
    declined = await act(
        console,
        csrf,
        booking,
        "invitation_declined",
        invitation_id=rows[0]["id"],
        reason="вопрос не в компетенции",
    )

    assert invited.status == declined.status == 303
    assert [r["body"] for r in rows] == ["Управление образования", "Акимат района"]
    assert str(rows[0]["notice_due"]) == "2026-02-13"  # R13: within 2 working days
    messages = await console.rows(
        "select message_id, args from outbox where request_id = :id order by id", id=booking.id
    )
    assert [m["message_id"] for m in messages][-2:] == [
        "notice-invitation",
        "notice-invitation-declined",
    ]
    assert "Акимат района" in await card_text(console, booking)


async def test_r16_left_without_consideration_is_told_to_the_citizen(console) -> None:
    booking = await console.seed_request(1)
    csrf = await console.login("reception")

    await act(console, csrf, booking, "leave_without_consideration")

    assert (await console.request(booking.id)).status is Status.LEFT_WITHOUT_CONSIDERATION
    assert (await console.outbox_kinds(booking.id))[-1] == "left-without-consideration"


async def test_r24_refusal_only_after_the_hearing_window_the_button_showing_the_date(
    console,
) -> None:
    booking = await console.seed_request(1)
    csrf = await console.login("reception")

    draft = await act(console, csrf, booking, "draft_refusal", text="вопрос уже рассмотрен судом")
    card = await card_text(console, booking)
    too_early = await act(console, csrf, booking, "refuse", motivation="решение суда")
    console.clock.set(datetime(2026, 2, 16, 11, 0, tzinfo=ALMATY))
    csrf = await console.login("reception")  # days later: a new session
    in_time = await act(console, csrf, booking, "refuse", motivation="решение суда")

    assert draft.status == 303
    assert '<button type="button" disabled>Отказать</button>' in card
    assert "Доступно с 16 февраля 2026 г." in card
    assert too_early.status == 422
    assert "действие возможно с 16 февраля 2026 г." in await too_early.text()
    assert in_time.status == 303
    assert (await console.request(booking.id)).status is Status.REFUSED
    assert await console.outbox_kinds(booking.id) == ["registered", "hearing", "refused"]


async def test_r24_an_upheld_objection_returns_the_request_to_review(console) -> None:
    booking = await console.seed_request(1)
    csrf = await console.login("reception")
    await act(console, csrf, booking, "draft_refusal", text="нет оснований")

    response = await act(console, csrf, booking, "uphold_objection", note="представлены документы")

    assert response.status == 303
    assert (await console.request(booking.id)).status is Status.UNDER_REVIEW
    assert (await console.outbox_kinds(booking.id))[-1] == "under-review"


async def test_r26_attended_then_closed_only_with_the_final_answer(console) -> None:
    _, slots = await console.seed_day()
    booking = await console.seed_request(1)
    csrf = await console.login("reception")
    await act(console, csrf, booking, "book", slot_id=slots[0].id)

    before_the_day = await act(console, csrf, booking, "attend")
    console.clock.set(datetime(2026, 2, 18, 12, 30, tzinfo=ALMATY))
    csrf = await console.login("reception")  # days later: a new session
    attended = await act(console, csrf, booking, "attend")
    no_answer = await act(console, csrf, booking, "close", final_answer="  ")
    closed = await act(console, csrf, booking, "close", final_answer="Ремонт дороги включен в план")

    assert before_the_day.status == 422
    assert attended.status == 303
    assert no_answer.status == 422
    assert "только после окончательного мотивированного ответа" in await no_answer.text()
    assert closed.status == 303
    stored = await console.request(booking.id)
    assert stored.status is Status.CLOSED
    assert stored.final_answer == "Ремонт дороги включен в план"
    assert await console.outbox_kinds(booking.id) == [
        "registered",
        "booked",
        "attended",
        "final-answer",
    ]


async def test_a_no_show_is_marked_on_the_day(console) -> None:
    _, slots = await console.seed_day()
    booking = await console.seed_request(1)
    csrf = await console.login("reception")
    await act(console, csrf, booking, "book", slot_id=slots[0].id)
    console.clock.set(datetime(2026, 2, 18, 13, 0, tzinfo=ALMATY))
    csrf = await console.login("reception")  # days later: a new session

    response = await act(console, csrf, booking, "no_show")

    assert response.status == 303
    assert (await console.request(booking.id)).status is Status.NO_SHOW
    assert (await console.outbox_kinds(booking.id))[-1] == "no-show"
    assert (await last_audit(console, booking))["action"] == "request.no_show"


async def test_r40_a_withdrawal_by_phone_is_recorded_by_staff(console) -> None:
    booking = await console.seed_request(1)
    csrf = await console.login("reception")

    await act(console, csrf, booking, "withdraw", reason="звонок заявителя")

    stored = await console.request(booking.id)
    assert stored.status is Status.WITHDRAWN
    assert stored.history[-1].note == "звонок заявителя"


async def test_an_action_the_status_does_not_allow_is_a_localized_409(console) -> None:
    booking = await console.seed_request(1)
    csrf = await console.login("reception")

    response = await act(console, csrf, booking, "close", final_answer="ответ")

    assert response.status == 409
    assert "недоступно для заявки в текущем статусе" in await response.text()
    assert (await console.request(booking.id)).status is Status.REGISTERED


async def test_an_unknown_action_is_not_found(console) -> None:
    booking = await console.seed_request(1)
    csrf = await console.login("reception")

    response = await act(console, csrf, booking, "delete_everything")

    assert response.status == 404


async def test_the_card_offers_only_the_actions_of_the_status(console) -> None:
    booking = await console.seed_request(1)
    await console.login("reception")

    text = await card_text(console, booking)

    assert 'id="action-book"' in text and 'id="action-request_fix"' in text
    assert 'id="action-close"' not in text and 'id="action-refuse"' not in text


async def test_an_official_reads_the_card_without_any_action(console) -> None:
    booking = await console.seed_request(1)
    await console.login("official")

    text = await card_text(console, booking)

    assert 'id="actions"' not in text
    assert booking.applicant_name in text


async def test_each_view_of_a_document_is_audited_and_served_as_an_attachment(console) -> None:
    booking = await console.seed_request(1)
    document = await add_document(console, booking, "сенімхат.pdf")
    await console.login("official")

    response = await console.client.get(f"/console/requests/{booking.id}/documents/{document.id}")

    assert response.status == 200
    assert await response.read() == b"%PDF-1.4 fictional power of attorney"
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment; filename*=UTF-8''")
    assert "sandbox" in response.headers["Content-Security-Policy"]
    rows = await console.rows(
        "select action, actor_id, ip, details from audit_log where object_type = 'document'"
    )
    assert [r["action"] for r in rows] == ["document.view"]
    assert rows[0]["actor_id"] == console.users["official"].id and rows[0]["ip"] == "127.0.0.1"


async def test_a_document_whose_file_is_missing_is_not_found(console) -> None:
    booking = await console.seed_request(1)
    document = await add_document(console, booking, "gone.pdf")
    from app.keys import SETTINGS

    (console.client.app[SETTINGS].data_dir / "documents" / "gone.pdf").unlink()
    await console.login("reception")

    response = await console.client.get(f"/console/requests/{booking.id}/documents/{document.id}")

    assert response.status == 404

"""The console and the web chat in headless Chromium, as staff and citizens use them (issue 4).

The server holds the demo akimat (storage/demo.py): staff `reception` (reads Kazakh) and
`operator` (reads Russian), registered requests, an attended reception a week ago.
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import docx

from locales import Translator
from tests.browser.conftest import LAPTOP, TABLET
from tests.browser.live_server import LiveServer

WAIT_MS = 10_000  # what "without reloading" may take at most: SSE / WebSocket round trips
T = Translator()


def shoot(page, screenshots: Path, name: str) -> None:
    page.screenshot(path=str(screenshots / f"{name}.png"), full_page=True)


def test_staff_sign_in_and_the_main_pages_fit_a_laptop_and_a_tablet(staff, screenshots) -> None:
    for viewport, size in ((LAPTOP, "laptop"), (TABLET, "tablet")):
        page = staff("reception", viewport)
        for path, heading in (
            ("/console/requests", None),
            ("/console/daylist", "ops-daylist-title"),
            ("/console/protocols", "ops-protocols-title"),
            ("/console/control", "ops-control-title"),
            ("/console/reports", None),
        ):
            page.goto(page.url.split("/console/")[0] + path)
            if heading:
                assert page.inner_text("h1") == T("kk", heading)
            # Nothing wider than the screen: the tablet needs no sideways scrolling.
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, f"{path} overflows a {size} by {overflow}px"
            shoot(page, screenshots, f"{size}-{path.strip('/').replace('/', '-')}")
        operator = staff("operator", viewport)
        operator.goto(operator.url.split("/console/")[0] + "/console/operators")
        assert operator.inner_text("h1") == T("ru", "ops-inbox-title")
        shoot(operator, screenshots, f"{size}-console-operators")


def test_reception_confirms_a_booking(staff, screenshots) -> None:
    page = staff("reception")
    base = page.url.split("/console/")[0]
    page.goto(f"{base}/console/requests?status=registered")
    page.click("table a[href*='/console/requests/']")
    page.wait_for_selector("#action-book select[name=slot_id]")
    chosen = page.eval_on_selector(
        "#action-book select[name=slot_id]", "select => select.options[select.selectedIndex].text"
    )

    page.click("#action-book button[type=submit]")

    page.wait_for_selector("#status")
    assert page.inner_text("#status") == T("kk", "status-booked")
    assert chosen.split(",")[0] in page.inner_text("#reception")
    shoot(page, screenshots, "laptop-request-booked")


def test_operator_and_citizen_see_each_other_without_reloading(
    browser, staff, live_server: LiveServer, screenshots
) -> None:
    operator = staff("operator")
    operator.goto(f"{live_server.url}/console/operators")
    operator.evaluate("window.__notReloaded = true")
    citizen = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    citizen.goto(f"{live_server.url}/chat?lang=ru")
    citizen.click("#log button:has-text('Русский')")
    citizen.click("#log button:not([disabled]):has-text('Согласен')")
    citizen.click("#log button:not([disabled]):has-text('Связаться с оператором')")
    citizen.fill("#text", "Здравствуйте, хочу узнать про прием у акима")
    citizen.press("#text", "Enter")

    # The inbox shows the new chat by itself.
    operator.wait_for_selector("table.inbox tr.waiting a", timeout=WAIT_MS)
    assert operator.evaluate("window.__notReloaded") is True
    operator.click("table.inbox tr.waiting a")
    operator.click("[data-claim]")
    operator.wait_for_selector("[data-reply-text]")
    operator.wait_for_selector(
        "#messages li.in:has-text('хочу узнать про прием у акима')", timeout=WAIT_MS
    )
    operator.evaluate("window.__notReloaded = true")

    operator.fill("[data-reply-text]", "Добрый день! Приём у акима по средам.")
    operator.press("[data-reply-text]", "Enter")
    citizen.wait_for_selector("#log .chat-bot:has-text('Приём у акима по средам')", timeout=WAIT_MS)

    citizen.fill("#text", "Спасибо, а какие документы взять?")
    citizen.press("#text", "Enter")
    operator.wait_for_selector("#messages li.in:has-text('какие документы взять')", timeout=WAIT_MS)
    # The operator's own reply came back on the stream once delivered, too.
    operator.wait_for_selector("#messages li.out:has-text('Приём у акима')", timeout=WAIT_MS)
    assert operator.evaluate("window.__notReloaded") is True
    shoot(operator, screenshots, "laptop-operator-chat")
    shoot(citizen, screenshots, "phone-citizen-web-chat")
    citizen.context.close()


def test_reception_records_a_protocol_and_downloads_its_docx(staff, screenshots) -> None:
    page = staff("reception")
    base = page.url.split("/console/")[0]
    page.goto(f"{base}/console/protocols")
    page.click("a[href*='/console/protocols/new/']")
    page.wait_for_selector("#protocol-form")
    for field in page.query_selector_all("textarea[name^=decision-]"):
        field.fill("Поручить отделу ЖКХ рассмотреть и дать ответ заявителю")
    first_item = page.query_selector("fieldset.protocol-item")
    request_id = first_item.get_attribute("data-request")
    page.fill(f"input[name=executor-{request_id}-0]", "Отдел ЖКХ")
    page.fill(f"input[name=text-{request_id}-0]", "Обследовать и ответить заявителю")
    page.select_option(f"select[name=category-{request_id}-0]", "urgent")
    page.click(f"fieldset[data-request='{request_id}'] [data-add-instruction]")
    assert page.query_selector(f"input[name=executor-{request_id}-1]") is not None
    shoot(page, screenshots, "laptop-protocol-form")

    page.click("#protocol-form button[type=submit]")
    page.wait_for_url("**/console/protocols/*")
    assert T("kk", "console-done-ops-recorded") in page.inner_text("main")
    shoot(page, screenshots, "laptop-protocol")
    with page.expect_download() as download_info:
        page.click("a[href*='/docx']")
    download = download_info.value
    target = screenshots.parent / "protocol.docx"
    download.save_as(str(target))

    paragraphs = [p.text for p in docx.Document(BytesIO(target.read_bytes())).paragraphs]
    assert paragraphs[1] == "ХАТТАМА"
    body = "\n".join(paragraphs)
    assert body.index("ТЫҢДАЛДЫ:") < body.index("СӨЙЛЕГЕНДЕР:") < body.index("ҚАУЛЫ ЕТТІ:")
    assert "Поручить отделу ЖКХ рассмотреть" in body
    assert paragraphs[-1].startswith("Хатшы\t")

"""The console's menu on a tablet and a phone, and the undelivered messages page (issue 4).

The admin sees every entry of the menu, so if theirs fits, everyone's does.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, select

from locales import Translator
from storage.tables import citizens, outbox
from tests.browser.conftest import TABLET
from tests.browser.live_server import LiveServer

T = Translator()
PHONE = {"width": 390, "height": 844}
MENU = (
    "console-nav-inbox",
    "console-nav-requests",
    "console-nav-intake",
    "console-nav-daylist",
    "console-nav-protocols",
    "console-nav-control",
    "console-nav-digest",
    "console-nav-reports",
    "console-nav-schedules",
    "console-nav-undelivered",
    "console-nav-users",
    "console-nav-audit",
)


async def _whatsapp_failure(server: LiveServer) -> None:
    """A reply the WhatsApp sender gave up on, to a demo citizen."""
    async with server.uow_factory() as uow:
        citizen_id = (
            await uow.connection.execute(select(citizens.c.id).order_by(citizens.c.id))
        ).scalar()
        moment = datetime.now(UTC) - timedelta(hours=1)
        await uow.connection.execute(
            insert(outbox).values(
                channel="whatsapp",
                chat_id="77010000000",
                citizen_id=citizen_id,
                kind="reply",
                args={},
                payload={"text": "Ваша заявка принята, ждите ответа."},
                status="failed",
                attempts=10,
                next_attempt_at=moment,
                created_at=moment - timedelta(minutes=40),
                error="gave up after 10 attempts: 503",
            )
        )
        await uow.commit()


def test_the_menu_fits_a_tablet_and_a_phone_and_the_undelivered_page_opens(
    staff, live_server: LiveServer, screenshots: Path
) -> None:
    live_server.run(_whatsapp_failure(live_server))
    for viewport, size in ((TABLET, "tablet"), (PHONE, "phone")):
        page = staff("admin", viewport)
        page.goto(f"{live_server.url}/console/undelivered")

        assert page.inner_text("h1") == T("kk", "ops-undelivered-title")  # the admin reads kk
        assert "Ваша заявка принята, ждите ответа." in page.inner_text("#undelivered")
        links = page.query_selector_all(".mainnav a")
        labels = [link.evaluate("a => a.firstChild.textContent.trim()") for link in links]
        assert labels == [T("kk", message_id) for message_id in MENU]
        width = page.evaluate("window.innerWidth")
        for link, label in zip(links, labels, strict=True):
            box = link.bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, (
                f"{label} is outside a {size} screen: {box}"
            )
        # The badge counts what waits, the row just added among them.
        badge = page.inner_text(".mainnav a[href$='/undelivered'] .nav-badge")
        assert int(badge) >= 1
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        page.screenshot(path=str(screenshots / f"{size}-console-undelivered.png"), full_page=True)

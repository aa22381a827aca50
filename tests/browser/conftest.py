"""Browser tests: headless Debian Chromium driven by Playwright, against the live server.

Chromium is Debian's (`/usr/bin/chromium`; .ci/run installs it), never a download.
Screenshots land in test-output/screenshots/ (git-ignored).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from storage.demo import DEMO_PASSWORDS
from tests.browser.live_server import LiveServer

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-output" / "screenshots"
LAPTOP = {"width": 1366, "height": 768}
TABLET = {"width": 768, "height": 1024}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="module")  # sync Playwright runs its own loop: end it before other tests run
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    server = LiveServer(tmp_path_factory.mktemp("live") / "data")
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")  # sync Playwright runs its own loop: end it before other tests run
def browser() -> Iterator[object]:
    if shutil.which(CHROMIUM) is None:
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium (.ci/run does it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture
def staff(browser, live_server: LiveServer):
    """A function that opens a signed-in page for a demo user, in a context of its own."""
    contexts = []

    def open_as(username: str, viewport: dict[str, int] = LAPTOP):
        context = browser.new_context(viewport=viewport, accept_downloads=True)
        contexts.append(context)
        page = context.new_page()
        page.on("dialog", lambda dialog: dialog.accept())  # data-confirm forms
        page.goto(f"{live_server.url}/console/login")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", DEMO_PASSWORDS[username])
        page.click("form button[type=submit]")
        page.wait_for_url("**/console/**")
        assert "/console/login" not in page.url
        return page

    yield open_as
    for context in contexts:
        context.close()

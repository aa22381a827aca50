"""Signing in and out of the console: server-side sessions, idle expiry, throttling, audit."""

from __future__ import annotations

from datetime import timedelta

from reception.actors import Actor
from tests.e2e.console_support import *  # noqa: F403
from tests.e2e.console_support import PASSWORD

SESSION = "console_session"


def session_cookie(console) -> str | None:
    cookies = console.client.session.cookie_jar.filter_cookies(console.client.make_url("/console/"))
    return cookies[SESSION].value if SESSION in cookies else None


async def attempt(console, username: str, password: str, headers=None, **extra: str):
    await console.client.get("/console/login")
    token = console.client.session.cookie_jar.filter_cookies(
        console.client.make_url("/console/login")
    )["console_login_csrf"].value
    return await console.client.post(
        "/console/login",
        data={"username": username, "password": password, "csrf_token": token, **extra},
        headers=headers or {},
        allow_redirects=False,
    )


async def test_login_page_is_in_russian_by_default_and_in_kazakh_on_request(console) -> None:
    russian = await console.client.get("/console/login")
    kazakh = await console.client.get("/console/login?lang=kk")

    assert "Вход в консоль" in await russian.text()
    assert "Консольге кіру" in await kazakh.text()


async def test_anonymous_visitor_is_sent_to_the_login_page_with_the_way_back(console) -> None:
    response = await console.client.get("/console/requests?status=all", allow_redirects=False)

    assert response.status == 303
    assert response.headers["Location"].startswith("/console/login?next=")
    assert "requests" in response.headers["Location"]


async def test_reception_worker_signs_in_and_lands_on_the_requests_list(console) -> None:
    await console.login("reception")

    response = await console.client.get("/console/")

    assert response.url.path == "/console/requests"
    assert "Reception Test" in await response.text()


async def test_login_returns_to_the_page_asked_for_but_never_to_another_site(console) -> None:
    inside = await attempt(console, "admin", PASSWORD, next="/console/users")
    outside = await attempt(console, "admin", PASSWORD, next="//evil.example/console/")
    absolute = await attempt(console, "admin", PASSWORD, next="https://evil.example/")

    assert inside.headers["Location"] == "/console/users"
    assert outside.headers["Location"] == "/console/"
    assert absolute.headers["Location"] == "/console/"


async def test_session_cookie_is_http_only_same_site_lax_and_scoped_to_the_console(console) -> None:
    response = await attempt(console, "reception", PASSWORD)

    cookie = response.cookies[SESSION]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["path"] == "/console"
    assert not cookie["secure"]


async def test_session_cookie_is_secure_behind_a_tls_proxy(console) -> None:
    response = await attempt(console, "reception", PASSWORD, {"X-Forwarded-Proto": "https"})

    assert response.cookies[SESSION]["secure"] is True


async def test_only_a_hash_of_the_session_token_is_stored(console) -> None:
    await console.login("reception")
    token = session_cookie(console)

    stored = await console.scalar("select id from staff_sessions")

    assert token and stored and stored != token and len(stored) == 64


async def test_login_gives_a_new_session_id_and_drops_the_one_the_browser_had(console) -> None:
    await console.login("reception")
    first = session_cookie(console)

    await console.login("reception")
    second = session_cookie(console)

    assert first != second
    assert await console.scalar("select count(*) from staff_sessions") == 1


async def test_a_session_is_dead_after_logout_even_if_the_cookie_is_replayed(console) -> None:
    csrf = await console.login("reception")
    token = session_cookie(console)

    logout = await console.post("/console/logout", {}, csrf)
    console.client.session.cookie_jar.update_cookies(
        {SESSION: token}, console.client.make_url("/console/")
    )
    replay = await console.client.get("/console/requests", allow_redirects=False)

    assert logout.status == 303
    assert replay.status == 303 and replay.headers["Location"].startswith("/console/login")
    assert await console.scalar("select count(*) from staff_sessions") == 0
    assert "auth.logout" in await console.audit_actions("staff_user", console.users["reception"].id)


async def test_a_session_idle_longer_than_the_timeout_is_dead(console) -> None:
    await console.login("reception")
    console.clock.set(console.clock.now() + timedelta(minutes=29))
    still_alive = await console.client.get("/console/requests", allow_redirects=False)
    console.clock.set(console.clock.now() + timedelta(minutes=29))
    alive_again = await console.client.get("/console/requests", allow_redirects=False)
    console.clock.set(console.clock.now() + timedelta(minutes=31))
    expired = await console.client.get("/console/requests", allow_redirects=False)

    assert still_alive.status == 200
    assert alive_again.status == 200  # each request moves the idle deadline forward
    assert expired.status == 303
    assert await console.scalar("select count(*) from staff_sessions") == 0


async def test_a_wrong_password_is_refused_with_a_message_and_audited_with_the_address(
    console,
) -> None:
    response = await attempt(console, "reception", "wrong password")

    assert response.status == 401
    assert "Неверное имя пользователя или пароль" in await response.text()
    rows = await console.rows("select action, object_id, ip from audit_log order by id")
    assert rows[-1]["action"] == "auth.login_failed"
    assert rows[-1]["object_id"] == "reception"
    assert rows[-1]["ip"] == "127.0.0.1"


async def test_a_successful_login_is_audited(console) -> None:
    await console.login("official")

    actions = await console.audit_actions("staff_user", "official")

    assert actions == ["auth.login"]


async def test_an_unknown_name_gets_the_same_message_as_a_wrong_password(console) -> None:
    unknown = await attempt(console, "nobody", PASSWORD)
    wrong = await attempt(console, "admin", "not the password")

    assert unknown.status == wrong.status == 401
    assert "Неверное имя пользователя или пароль" in await unknown.text()


async def test_a_deactivated_user_cannot_sign_in(console) -> None:
    async with console.uow_factory() as uow:
        user = await uow.staff.by_username("operator")
        user.active = False
        await uow.staff.update(user)
        await uow.commit()

    response = await attempt(console, "operator", PASSWORD)

    assert response.status == 401


async def test_five_failures_lock_the_account_even_for_the_right_password(console) -> None:
    for _ in range(5):
        assert (await attempt(console, "reception", "guess")).status == 401

    locked = await attempt(console, "reception", PASSWORD)
    console.clock.set(console.clock.now() + timedelta(minutes=16))
    later = await attempt(console, "reception", PASSWORD)

    assert locked.status == 429
    assert "Слишком много неудачных попыток" in await locked.text()
    assert later.status == 303
    assert "auth.login_throttled" in await console.audit_actions("staff_user", "reception")


async def test_a_success_resets_the_account_counter(console) -> None:
    for _ in range(4):
        await attempt(console, "reception", "guess")
    assert (await attempt(console, "reception", PASSWORD)).status == 303
    console.clock.set(console.clock.now() + timedelta(minutes=1))
    for _ in range(4):
        await attempt(console, "reception", "guess")

    assert (await attempt(console, "reception", PASSWORD)).status == 303


async def test_twenty_failures_from_one_address_lock_that_address_for_every_account(
    console,
) -> None:
    """Counted in the database: failures another console process recorded count too."""
    proxy = {"X-Forwarded-For": "203.0.113.7"}
    async with console.uow_factory() as uow:
        for n in range(19):
            await uow.audit.record(
                Actor.system(),
                "auth.login_failed",
                console.clock.now(),
                "staff_user",
                f"guess{n}",
                "203.0.113.7",
            )
        await uow.commit()
    twentieth = await attempt(console, "guess19", "guess", proxy)

    from_that_address = await attempt(console, "admin", PASSWORD, proxy)
    from_another = await attempt(console, "admin", PASSWORD, {"X-Forwarded-For": "203.0.113.8"})

    assert twentieth.status == 401
    assert from_that_address.status == 429
    assert from_another.status == 303


async def test_a_forwarded_address_from_outside_the_private_network_is_not_believed(
    console,
) -> None:
    from console.web import client_ip

    class Peer:
        def __init__(self, remote: str) -> None:
            self.remote = remote
            self.headers = {"X-Forwarded-For": "203.0.113.9"}

    assert client_ip(Peer("127.0.0.1")) == "203.0.113.9"  # the reverse proxy on this host
    assert client_ip(Peer("93.184.216.34")) == "93.184.216.34"  # anyone else: their own address


async def test_the_user_switches_the_console_to_kazakh(console) -> None:
    csrf = await console.login("reception")

    response = await console.post(
        "/console/language", {"lang": "kk", "next": "/console/requests"}, csrf
    )
    page = await console.client.get("/console/requests")

    assert response.status == 303
    assert "Жеке қабылдауға өтінімдер" in await page.text()
    assert (
        await console.scalar("select language from staff_users where username='reception'") == "kk"
    )


async def test_the_official_reads_the_console_in_their_own_language(console) -> None:
    await console.login("official")

    page = await console.client.get("/console/requests")

    assert "Өтінімдер" in await page.text()

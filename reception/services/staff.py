"""Staff users: signing in (throttled, audited) and their management by admins.

Password hashing is an injected `PasswordHasher` (argon2id in the console and the CLI), so
the domain imports no crypto library. Every attempt, good or bad, is audited (R39); the
failures in the audit log are what the throttle counts, so several processes agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from reception.actors import Actor
from reception.citizens import Role, StaffUser
from reception.clock import Clock
from reception.errors import DomainError, NotFound, ValidationFailed
from reception.ports import SessionRepository, UnitOfWork

LOGIN_FAILED = "auth.login_failed"
LOGIN_SUCCEEDED = "auth.login"
LOGIN_THROTTLED = "auth.login_throttled"
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
MIN_PASSWORD_LENGTH = 10
LANGUAGES = ("kk", "ru")


class LoginRefused(DomainError):
    """Wrong name or password, or an inactive account: one message for all, so the page
    never tells which accounts exist."""

    message_id = "error-login-failed"


class LoginThrottled(DomainError):
    message_id = "error-login-throttled"


class PasswordHasher(Protocol):
    """Slow on purpose (argon2id): the implementation runs it off the event loop."""

    async def hash(self, password: str) -> str: ...
    async def verify(self, password_hash: str, password: str) -> bool: ...
    def needs_rehash(self, password_hash: str) -> bool: ...


class LoginAttempts(Protocol):
    async def failures_for_account(self, username: str, since: datetime) -> int:
        """Failed attempts on this name since `since`, after its last success."""
        ...

    async def failures_from_ip(self, ip: str, since: datetime) -> int: ...


class StaffUnitOfWork(UnitOfWork, Protocol):
    sessions: SessionRepository


@dataclass(frozen=True, slots=True)
class LoginPolicy:
    window: timedelta = timedelta(minutes=15)
    max_account_failures: int = 5
    max_ip_failures: int = 20


def normalise_username(username: str) -> str:
    return username.strip().casefold()[:64]


async def authenticate(
    uow: UnitOfWork,
    clock: Clock,
    attempts: LoginAttempts,
    hasher: PasswordHasher,
    username: str,
    password: str,
    ip: str | None,
    policy: LoginPolicy = LoginPolicy(),
) -> StaffUser:
    """The user, if the name and password match an active account and neither the account nor
    the address has too many recent failures. The caller commits in every case: a refused
    attempt is audited too."""
    name = normalise_username(username)
    moment = clock.now()
    since = moment - policy.window
    account_failures = await attempts.failures_for_account(name, since)
    ip_failures = await attempts.failures_from_ip(ip, since) if ip else 0
    if account_failures >= policy.max_account_failures or ip_failures >= policy.max_ip_failures:
        await uow.audit.record(Actor.system(), LOGIN_THROTTLED, moment, "staff_user", name, ip)
        raise LoginThrottled(minutes=int(policy.window.total_seconds() // 60))
    user = await uow.staff.by_username(name)
    if user is None:
        await hasher.verify(await _DUMMY_HASH.get(hasher), password)  # same time as a real one
        valid = False
    else:
        valid = await hasher.verify(user.password_hash, password) and user.active
    if not valid or user is None or user.id is None:
        await uow.audit.record(Actor.system(), LOGIN_FAILED, moment, "staff_user", name, ip)
        raise LoginRefused()
    if hasher.needs_rehash(user.password_hash):
        user.password_hash = await hasher.hash(password)
        await uow.staff.update(user)
    await uow.audit.record(Actor.staff(user.id), LOGIN_SUCCEEDED, moment, "staff_user", name, ip)
    return user


class _DummyHashes:
    """One hash per hasher, made on first use, to spend the verify time for unknown names."""

    def __init__(self) -> None:
        self._by_hasher: dict[int, str] = {}

    async def get(self, hasher: PasswordHasher) -> str:
        key = id(hasher)
        if key not in self._by_hasher:
            self._by_hasher[key] = await hasher.hash("not-a-password-of-anyone")
        return self._by_hasher[key]


_DUMMY_HASH = _DummyHashes()


# -- administration ------------------------------------------------------------------------


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationFailed("error-password-too-short", length=MIN_PASSWORD_LENGTH)


def _check_role(role: Role, official_id: int | None) -> None:
    if role is Role.OFFICIAL and official_id is None:
        raise ValidationFailed("error-official-required")


async def create_staff_user(
    uow: UnitOfWork,
    clock: Clock,
    hasher: PasswordHasher,
    actor: Actor,
    *,
    username: str,
    full_name: str,
    role: Role,
    password: str,
    language: str = "ru",
    official_id: int | None = None,
) -> StaffUser:
    name = normalise_username(username)
    if not USERNAME.match(name):
        raise ValidationFailed("error-username-invalid")
    if not full_name.strip():
        raise ValidationFailed("error-full-name-empty")
    _check_password(password)
    _check_role(role, official_id)
    if await uow.staff.by_username(name) is not None:
        raise ValidationFailed("error-username-taken", username=name)
    if official_id is not None:
        await uow.schedule.get_official(official_id)  # NotFound for a wrong id
    user = StaffUser(
        username=name,
        full_name=full_name.strip(),
        role=role,
        password_hash=await hasher.hash(password),
        language=language if language in LANGUAGES else "ru",
        official_id=official_id if role is Role.OFFICIAL else None,
        created_at=clock.now(),
    )
    await uow.staff.add(user)
    await uow.audit.record(
        actor,
        "staff.create",
        clock.now(),
        "staff_user",
        str(user.id),
        details={"username": name, "role": str(role)},
    )
    return user


async def change_role(
    uow: StaffUnitOfWork,
    clock: Clock,
    actor: Actor,
    user_id: int,
    role: Role,
    official_id: int | None = None,
) -> StaffUser:
    user = await uow.staff.get(user_id)
    if actor.id == user_id and role is not user.role:
        raise ValidationFailed("error-own-role")  # an admin never locks themselves out
    _check_role(role, official_id)
    if official_id is not None:
        await uow.schedule.get_official(official_id)
    before = str(user.role)
    user.role = role
    user.official_id = official_id if role is Role.OFFICIAL else None
    await uow.staff.update(user)
    await uow.sessions.delete_for_user(user_id)  # the new role applies from the next login
    await uow.audit.record(
        actor,
        "staff.change_role",
        clock.now(),
        "staff_user",
        str(user_id),
        details={"from": before, "to": str(role)},
    )
    return user


async def set_active(
    uow: StaffUnitOfWork, clock: Clock, actor: Actor, user_id: int, active: bool
) -> StaffUser:
    user = await uow.staff.get(user_id)
    if actor.id == user_id and not active:
        raise ValidationFailed("error-own-deactivation")
    user.active = active
    await uow.staff.update(user)
    if not active:
        await uow.sessions.delete_for_user(user_id)  # signed out everywhere at once
    action = "staff.activate" if active else "staff.deactivate"
    await uow.audit.record(actor, action, clock.now(), "staff_user", str(user_id))
    return user


async def reset_password(
    uow: StaffUnitOfWork,
    clock: Clock,
    hasher: PasswordHasher,
    actor: Actor,
    user_id: int,
    password: str,
) -> StaffUser:
    _check_password(password)
    user = await uow.staff.get(user_id)
    user.password_hash = await hasher.hash(password)
    await uow.staff.update(user)
    await uow.sessions.delete_for_user(user_id)
    await uow.audit.record(actor, "staff.reset_password", clock.now(), "staff_user", str(user_id))
    return user


async def set_language(uow: UnitOfWork, clock: Clock, actor: Actor, language: str) -> StaffUser:
    """Each staff member reads the console in their own language (kk or ru)."""
    if language not in LANGUAGES or actor.id is None:
        raise NotFound()
    user = await uow.staff.get(actor.id)
    user.language = language
    await uow.staff.update(user)
    await uow.audit.record(actor, "staff.language", clock.now(), "staff_user", str(actor.id))
    return user

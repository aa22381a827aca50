"""Who may open what: every console route declares the roles it admits.

`@roles(Role.RECEPTION, Role.ADMIN)` records the roles on the handler; the auth middleware
reads them and refuses anyone else. A handler without a declaration is refused to everyone
(fail closed), and tests/e2e/test_console_rbac.py walks the route table so none ships.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from reception.citizens import Role, StaffUser
from reception.errors import NotFound
from reception.requests import BookingRequest

ROLES_ATTRIBUTE = "__console_roles__"
PUBLIC = "public"  # no login needed: the login page itself

ALL_STAFF: frozenset[Role] = frozenset(Role)
CASEWORK: frozenset[Role] = frozenset({Role.RECEPTION, Role.ADMIN})  # acts on requests
READERS: frozenset[Role] = frozenset(Role)  # sees requests; officials only their own
ADMINS: frozenset[Role] = frozenset({Role.ADMIN})
DOCUMENT_READERS: frozenset[Role] = frozenset({Role.RECEPTION, Role.ADMIN, Role.OFFICIAL})

Handler = TypeVar("Handler", bound=Callable[..., Any])


def roles(*admitted: Role | frozenset[Role] | str) -> Callable[[Handler], Handler]:
    """Declares the roles a handler admits; `roles(PUBLIC)` for pages open without login."""
    declared: set[str] = set()
    for item in admitted:
        if isinstance(item, frozenset):
            declared.update(str(role) for role in item)
        else:
            declared.add(str(item))
    if not declared:
        raise ValueError("a route admits at least one role, or PUBLIC")
    if PUBLIC in declared and len(declared) > 1:
        raise ValueError("PUBLIC cannot be combined with roles")
    frozen = frozenset(declared)

    def decorate(handler: Handler) -> Handler:
        setattr(handler, ROLES_ATTRIBUTE, frozen)
        return handler

    return decorate


def declared_roles(handler: Any) -> frozenset[str] | None:
    """The roles a handler declared, or None when it declared none."""
    return getattr(handler, ROLES_ATTRIBUTE, None)


def is_public(handler: Any) -> bool:
    return declared_roles(handler) == frozenset({PUBLIC})


def admits(handler: Any, user: StaffUser) -> bool:
    declared = declared_roles(handler)
    return declared is not None and PUBLIC not in declared and str(user.role) in declared


def official_scope(user: StaffUser) -> int | None:
    """The official whose receptions this user is limited to, or None for no limit.

    An official sees only their own receptions; an official user not linked to an official
    sees nothing (-1 matches no row).
    """
    if user.role is Role.OFFICIAL:
        return user.official_id if user.official_id is not None else -1
    return None


def ensure_may_see(user: StaffUser, request: BookingRequest) -> None:
    """Changing an id in a URL never shows what the role may not see: a request of another
    official is "not found" for an official, exactly like one that does not exist."""
    scope = official_scope(user)
    if scope is not None and request.official_id != scope:
        raise NotFound()


def ensure_may_see_official(user: StaffUser, official_id: int) -> None:
    scope = official_scope(user)
    if scope is not None and official_id != scope:
        raise NotFound()

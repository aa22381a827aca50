"""`/start <code>`: an official (R25) or a staff member (R31) links this chat with the
one-time code from the console; `/unlink` lets go of it. Ahead of the citizen's commands, so
a code never reaches the dialog. The answer goes through the outbox like every message, and
the update is de-duplicated and logged (R39) with the code masked: it is a credential.
"""

from __future__ import annotations

from typing import Any

from aiogram.types import Message, Update

from bot.flow.events import LANGUAGE_KEY, Reply
from bot.telegram.handlers.common import OnCommit
from bot.telegram.incoming import CHANNEL
from reception.errors import DomainError
from reception.ports import MessageRecord, OutboxItem
from reception.services.officials import Linked, is_link_code, link_telegram, unlink_telegram
from storage.repositories.link_codes import SqlLinkCodeRepository
from storage.repositories.reminders import SqlStaffLinkCodes

UNLINK = "/unlink"


def _command(message: Message) -> tuple[str, str]:
    head, _, rest = (message.text or "").strip().partition(" ")
    return head.split("@", 1)[0].lower(), rest.strip()


def link_request(message: Message) -> tuple[bool, str | None]:
    """(True, the code) for `/start <code>`, (True, None) for `/unlink`, else (False, None)."""
    command, rest = _command(message)
    if command == UNLINK:
        return True, None
    if command == "/start" and is_link_code(rest):
        return True, rest
    return False, None


def _language(message: Message) -> str:
    code = (message.from_user.language_code if message.from_user else None) or ""
    return "kk" if code.startswith("kk") else "ru"


async def on_link(
    message: Message,
    event_update: Update,
    link_code: str | None,
    uow_factory: Any,
    dialog: Any,
    on_commit: OnCommit,
) -> None:
    t, clock = dialog.translator, dialog.rules.clock
    chat_id, now = message.chat.id, clock.now()
    async with uow_factory() as uow:
        if not await uow.inbound.record(CHANNEL, str(event_update.update_id), now):
            return  # a redelivered update: answered already
        lang, author = _language(message), "unknown"
        try:
            if link_code is None:
                unlinked = await unlink_telegram(uow, clock, chat_id)
                text = _unlink_text(t, lang, unlinked)
            else:
                linked = await link_telegram(
                    uow,
                    SqlLinkCodeRepository(uow.connection),
                    SqlStaffLinkCodes(uow.connection),
                    clock,
                    link_code,
                    chat_id,
                )
                lang, author = linked.language, linked.kind
                text = t(lang, f"reminder-link-{linked.kind}", name=linked.name)
        except DomainError as error:
            text = t(lang, error.message_id, **error.args_for_message)
        masked = UNLINK if link_code is None else "/start ********"
        await uow.messages.add(
            MessageRecord(
                channel=CHANNEL,
                chat_id=str(chat_id),
                direction="in",
                at=message.date,
                author_kind=author,
                text=masked,
                payload={"external_id": str(event_update.update_id)},
            )
        )
        await uow.outbox.add(
            OutboxItem(
                channel=CHANNEL,
                chat_id=str(chat_id),
                citizen_id=None,
                payload=Reply(text, kind="link", extra={LANGUAGE_KEY: lang}).to_payload(),
                kind="link",
                created_at=now,
                next_attempt_at=now,
            )
        )
        await uow.commit()
    if on_commit is not None:
        on_commit()


def _unlink_text(t: Any, lang: str, unlinked: list[Linked]) -> str:
    if not unlinked:
        return str(t(lang, "reminder-unlink-none"))
    return str(t(lang, "reminder-unlink-done", names=", ".join(u.name for u in unlinked)))

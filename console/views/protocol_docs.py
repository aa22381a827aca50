"""What the protocol page and its DOCX show: the protocol with its applicants, loaded once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from aiohttp import web

from console.exports.docx import InstructionLine, Labels, ProtocolDocument, Section, protocol_docx
from console.rbac import ensure_may_see_official
from console.web import current_user, now, rules
from locales import format_date
from reception.clock import local_date
from reception.protocols import ProtocolItem
from reception.requests import BookingRequest, Status
from reception.schedule import Official, ReceptionDay
from storage.repositories.console_ops import ConsoleOpsQueries

if TYPE_CHECKING:
    from reception.protocols import Protocol
    from storage.uow import SqlUnitOfWork


@dataclass(frozen=True, slots=True)
class ItemView:
    item: ProtocolItem
    request: BookingRequest

    @property
    def closable(self) -> bool:
        """R26: a request heard at the reception closes with the final answer."""
        return self.request.status is Status.ATTENDED


@dataclass(frozen=True, slots=True)
class ProtocolView:
    protocol: Protocol
    official: Official
    day: ReceptionDay | None
    items: list[ItemView]
    attendees: list[str]
    today: date


async def load(uow: SqlUnitOfWork, request: web.Request, protocol_id: int) -> ProtocolView:
    protocol = await uow.protocols.get(protocol_id)
    ensure_may_see_official(current_user(request), protocol.official_id)
    official = await uow.schedule.get_official(protocol.official_id)
    day = None
    if protocol.reception_day_id is not None:
        day = await uow.schedule.get_day(protocol.reception_day_id)
    items = [ItemView(item, await uow.requests.get(item.request_id)) for item in protocol.items]
    attendees = await ConsoleOpsQueries(uow.connection).attendees(protocol_id)
    return ProtocolView(protocol, official, day, items, attendees, local_date(now(request)))


def docx_bytes(request: web.Request, view: ProtocolView, lang: str) -> bytes:
    from app.keys import TRANSLATOR

    translator = request.config_dict[TRANSLATOR]

    def t(message_id: str, **args: object) -> str:
        return translator(lang, message_id, **args)

    body = rules(request).profile.body
    protocol = view.protocol
    labels = Labels(
        document_kind=t("ops-docx-kind"),
        title=t("ops-docx-title", official=view.official.name(lang)),
        chair=t("ops-docx-chair"),
        secretary=t("ops-docx-secretary"),
        present=t("ops-docx-present"),
        agenda=t("ops-docx-agenda"),
        heard=t("ops-docx-heard"),
        spoke=t("ops-docx-spoke"),
        decided=t("ops-docx-decided"),
        instructions=t("ops-docx-instructions"),
        executor=t("ops-docx-executor"),
        nobody_spoke=t("ops-docx-nobody-spoke"),
    )
    sections = [
        Section(
            title=t(
                "ops-protocol-section-title",
                name=item.request.applicant_name,
                number=item.request.number or "",
            ),
            heard=item.item.heard,
            spoke=item.item.spoke,
            decision=item.item.decision,
            instructions=[
                InstructionLine(
                    executor=i.executor,
                    text=i.text,
                    term=t(
                        "ops-docx-term",
                        due=i.due,
                        category=t(f"ops-control-category-{i.control_category}"),
                    ),
                )
                for i in item.item.instructions
            ],
        )
        for item in view.items
    ]
    document = ProtocolDocument(
        organisation=body.name_kk if lang == "kk" else body.name_ru,
        date=format_date(protocol.held_on, lang),
        number=str(protocol.number),
        place=protocol.place,
        chair=protocol.chair,
        secretary=protocol.secretary,
        labels=labels,
        attendees=view.attendees,
        sections=sections,
    )
    return protocol_docx(document)

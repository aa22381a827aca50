"""Delivers outbox rows to WhatsApp chats: the ChannelSender of the "whatsapp" channel.

R38: a free-form message may go only within 24 hours of the citizen's last message
(conversations.last_inbound_at, set by the pipeline for every message in). Outside that
window a notice goes as the approved template of its group (bot/whatsapp/templates.py); a
reply with no template (a dialog or operator reply, or a group none was configured for) is
marked undeliverable with the reason, for staff to tell the citizen another way.

The number's throughput (WHATSAPP_RATE_PER_SECOND, 80 by default) is a token bucket of the
outbox worker (bot/outbox/limits.py); Meta's throttling answers wait the time they need, its
own trouble is retried with backoff, and errors no retry can help are recorded on the row.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from aiohttp import web

from bot.files import sniff
from bot.flow.events import Reply
from bot.outbox.base import DELIVERED_PARTS, ChannelLimits, SendResult
from bot.outbox.render import DEFAULT_LANGUAGE, LANGUAGE_KEY, Translate, parse_arguments
from bot.whatsapp import errors
from bot.whatsapp.graph import GraphClient, GraphError
from bot.whatsapp.render import Part, RenderError, Wording, render
from bot.whatsapp.templates import Template, TemplateGroup, group_of, parse_templates
from reception.clock import Clock
from reception.ports import OutboxItem
from storage.repositories.whatsapp import WhatsAppChats

log = logging.getLogger(__name__)

CHANNEL = "whatsapp"
WINDOW = timedelta(hours=24)  # R38
# A message claimed at 23:59 may reach Meta after 24:00: free-form stops a little early.
WINDOW_MARGIN = timedelta(minutes=5)
MAX_KNOWN_WINDOWS = 50_000  # chats whose window end is remembered (then forgotten at once)


def limits_for(rate_per_second: int) -> ChannelLimits:
    """The number's throughput as a bucket: a tenth of a second's worth at once, so a round of
    the outbox sends a batch and a second never holds much more than the rate."""
    return ChannelLimits(
        global_rate=float(rate_per_second), global_burst=max(1, rate_per_second // 10)
    )


class WhatsAppSender:
    channel = CHANNEL

    def __init__(
        self,
        client: GraphClient,
        uow_factory: Any,
        translate: Translate,
        clock: Clock,
        data_dir: Path,
        templates: dict[TemplateGroup, Template],
        limits: ChannelLimits,
    ) -> None:
        self.client = client
        self.limits = limits
        self._uow_factory = uow_factory
        self._translate = translate
        self._clock = clock
        self._data_dir = data_dir
        self._templates = templates
        self._window_ends: dict[str, datetime] = {}

    async def send(self, item: OutboxItem, reply: Reply) -> SendResult:
        lang = reply.extra.get(LANGUAGE_KEY, DEFAULT_LANGUAGE)
        if await self.within_window(item.chat_id):
            result = await self._free_form(item, reply, lang)
            if result is not None:
                return result
            log.info("outbox item %s: Meta says the 24-hour window is closed", item.id)
        return await self._template(item, reply, lang)

    async def within_window(self, chat_id: str) -> bool:
        now = self._clock.now()
        # The window only ever grows (a new message moves its end later), so an end seen
        # once stays true until then: a chat in a dialog costs no query per reply.
        known_end = self._window_ends.get(chat_id)
        if known_end is not None and now < known_end:
            return True
        async with self._uow_factory(readonly=True) as uow:
            last = await WhatsAppChats(uow.connection).last_inbound_at(chat_id)
        if last is None or now >= last + WINDOW - WINDOW_MARGIN:
            self._window_ends.pop(chat_id, None)
            return False
        if len(self._window_ends) >= MAX_KNOWN_WINDOWS:
            self._window_ends.clear()
        self._window_ends[chat_id] = last + WINDOW - WINDOW_MARGIN
        return True

    async def aclose(self) -> None:
        await self.client.aclose()

    async def _free_form(self, item: OutboxItem, reply: Reply, lang: str) -> SendResult | None:
        """The reply as rendered messages; None when Meta refuses it as outside the window."""
        try:
            parts = render(reply, Wording(self._translate, lang), item.id)  # type: ignore[arg-type]
        except RenderError as error:
            return SendResult.failed(f"cannot render for WhatsApp: {error}")
        done = int(item.payload.get(DELIVERED_PARTS, 0)) if item.payload else 0
        wamids: list[str] = []
        for index in range(done, len(parts)):
            try:
                wamids.append(await self._send_part(item.chat_id, parts[index]))
            except GraphError as error:
                if errors.remedy(error) is errors.Remedy.TEMPLATE and index == done:
                    self._window_ends.pop(item.chat_id, None)  # Meta knows better
                    return None
                return _classify(error, delivered=index)
            except RenderError as error:
                return SendResult.failed(f"cannot render for WhatsApp: {error}")
        # A status webhook finds the row by its last message: the one with the buttons.
        return SendResult.sent(wamids[-1] if wamids else None, parts=len(parts) - done)

    async def _template(self, item: OutboxItem, reply: Reply, lang: str) -> SendResult:
        group = group_of(item.kind)
        template = self._templates.get(group) if group is not None else None
        if template is None:
            what = f"no template for {group}" if group else "a reply cannot go as a template"
            return SendResult.undeliverable(f"R38: outside WhatsApp's 24-hour window; {what}")
        message = template.message(lang, reply.text, parse_arguments(item.args))
        try:
            wamid = await self.client.send_message(item.chat_id, message)
        except GraphError as error:
            return _classify(error, delivered=0)
        return SendResult.sent(wamid)

    async def _send_part(self, chat_id: str, part: Part) -> str:
        if part.message is not None:
            return await self.client.send_message(chat_id, part.message)
        assert part.document_path is not None
        path = (self._data_dir / part.document_path).resolve()
        if not path.is_relative_to(self._data_dir.resolve()) or not path.is_file():
            raise RenderError("the document is not a file under the data folder")
        content = await asyncio.to_thread(path.read_bytes)
        name = part.document_name or path.name
        mime = sniff(content) or _mime_of_name(name)
        media_id = await self.client.upload(content, mime, name)
        document = {"id": media_id, "filename": name}
        return await self.client.send_message(chat_id, {"type": "document", "document": document})


def _mime_of_name(name: str) -> str:
    if name.lower().endswith(".ics"):
        return "text/calendar"  # not a WhatsApp document type; Meta will say so
    return "application/octet-stream"


def _classify(error: GraphError, delivered: int) -> SendResult:
    """Meta's codes and titles carry no personal data; the texts sent are not logged."""
    remedy = errors.remedy(error)
    described = f"WhatsApp {error.describe()}"
    if remedy is errors.Remedy.WAIT:
        return SendResult.retry(
            described, after=errors.wait_seconds(error), delivered_parts=delivered
        )
    if remedy is errors.Remedy.RETRY:
        if errors.is_configuration_problem(error):
            log.error("WhatsApp refused the account or token (%s); check WHATSAPP_*", described)
        return SendResult.retry(described, delivered_parts=delivered)
    return SendResult.failed(described)


def sender_for_app(app: web.Application) -> WhatsAppSender | None:
    """The outbox worker's factory: a sender when WHATSAPP_TOKEN is set, else None."""
    from app.keys import CLOCK, SETTINGS, TRANSLATOR, UOW_FACTORY

    settings = app[SETTINGS]
    if not settings.whatsapp_enabled:
        return None
    return WhatsAppSender(
        client_for(settings),
        app[UOW_FACTORY],
        app[TRANSLATOR],
        app[CLOCK],
        settings.data_dir,
        parse_templates(settings.whatsapp_templates),
        limits_for(settings.whatsapp_rate_per_second),
    )


def client_for(settings: Any) -> GraphClient:
    assert settings.whatsapp_token is not None and settings.whatsapp_phone_number_id
    return GraphClient(
        settings.whatsapp_api_base,
        settings.whatsapp_token.get_secret_value(),
        settings.whatsapp_phone_number_id,
    )

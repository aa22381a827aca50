"""The WhatsApp part of the server: GET and POST /webhooks/whatsapp.

Mounted for the "bot" role only when WHATSAPP_TOKEN is set. GET answers Meta's verification
(hub.mode=subscribe with WHATSAPP_VERIFY_TOKEN: the challenge echoed; anything else 403).
POST checks X-Hub-Signature-256 with WHATSAPP_APP_SECRET (401 and nothing stored otherwise),
stores the raw body and answers 200 at once; the event is processed after, in the background
(bot/whatsapp/processor.py), and a crash in between loses nothing: stored events are taken
up at the next start. If storing fails we answer 503 and Meta delivers the body again.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from functools import partial

from aiohttp import web

from app.keys import CLOCK, PROFILE, SETTINGS, TRANSLATOR, UOW_FACTORY
from bot.outbox.hub import outbox_hub
from bot.whatsapp.graph import GraphClient
from bot.whatsapp.media import fetch_file
from bot.whatsapp.processor import EventProcessor, Wiring
from bot.whatsapp.sender import client_for
from bot.whatsapp.signature import HEADER, signature_ok

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/webhooks/whatsapp"


@dataclass(frozen=True, slots=True)
class WhatsAppRuntime:
    processor: EventProcessor
    client: GraphClient


WHATSAPP: web.AppKey[WhatsAppRuntime] = web.AppKey("whatsapp", WhatsAppRuntime)


def setup(app: web.Application) -> None:
    settings = app[SETTINGS]
    if not settings.whatsapp_enabled:
        log.info("WHATSAPP_TOKEN is not set: the WhatsApp channel is off")
        return
    outbox_hub(app)  # created now, while the application may still change
    app.cleanup_ctx.append(whatsapp_runtime)
    app.router.add_get(WEBHOOK_PATH, verify)
    app.router.add_post(WEBHOOK_PATH, receive)


async def whatsapp_runtime(app: web.Application) -> AsyncIterator[None]:
    from bot.flow.dialog import Dialog
    from bot.pipeline import process
    from bot.whatsapp.paging import PagingDialog

    settings = app[SETTINGS]
    profile = app[PROFILE]
    assert settings.whatsapp_phone_number_id is not None
    dialog = Dialog.build(profile, app[CLOCK], app[TRANSLATOR], settings.data_dir)
    client = client_for(settings)
    processor = EventProcessor(
        Wiring(
            uow_factory=app[UOW_FACTORY],
            dialog=PagingDialog(dialog),
            process=process,
            fetch_file=partial(fetch_file, client, documents=profile.documents),
            clock=app[CLOCK],
            phone_number_id=settings.whatsapp_phone_number_id,
            on_commit=outbox_hub(app),  # the hub: wakes the sender, direct delivery
        )
    )
    app[WHATSAPP] = WhatsAppRuntime(processor, client)
    sweeper = asyncio.create_task(processor.run_sweeper(), name="whatsapp-sweeper")
    try:
        yield
    finally:
        sweeper.cancel()
        await asyncio.gather(sweeper, return_exceptions=True)
        await processor.cancel()  # unfinished events stay stored, leased: taken up later
        await client.aclose()


async def verify(request: web.Request) -> web.Response:
    settings = request.config_dict[SETTINGS]
    assert settings.whatsapp_verify_token is not None
    expected = settings.whatsapp_verify_token.get_secret_value().encode()
    given = request.query.get("hub.verify_token", "").encode()
    challenge = request.query.get("hub.challenge")
    if (
        request.query.get("hub.mode") == "subscribe"
        and hmac.compare_digest(given, expected)
        and challenge is not None
    ):
        return web.Response(text=challenge)
    log.warning("whatsapp webhook: a verification without the right token was refused")
    return web.Response(status=403, text="forbidden")


async def receive(request: web.Request) -> web.Response:
    settings = request.config_dict[SETTINGS]
    assert settings.whatsapp_app_secret is not None
    body = await request.read()
    if not signature_ok(
        settings.whatsapp_app_secret.get_secret_value(), body, request.headers.get(HEADER)
    ):
        log.warning("whatsapp webhook: a request without a valid signature was refused")
        return web.json_response({"error": "unauthorized"}, status=401)
    try:
        text = body.decode("utf-8")
        if not isinstance(json.loads(text), dict):
            raise ValueError("not an object")
    except ValueError:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        return web.json_response({"error": "not a webhook body"}, status=400)
    processor = request.config_dict[WHATSAPP].processor
    try:
        event_id = await processor.store(body)
    except Exception as error:
        log.error("whatsapp webhook: the event could not be stored: %s", type(error).__name__)
        return web.json_response({"error": "try again"}, status=503)
    if event_id is not None:  # None: the same body came before and is handled already
        processor.schedule(event_id, text)
    return web.json_response({})

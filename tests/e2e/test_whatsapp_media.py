"""Files from citizens on WhatsApp: fetched at once by media id (a fresh URL when the first
one expired), with the checks Telegram has: the declared size and type before downloading,
the first bytes after. A refusal is answered with a message naming the reason (R39: the
message is still logged)."""

from __future__ import annotations

from bot.files import REFUSED_TOO_LARGE, REFUSED_WRONG_TYPE
from tests.e2e.whatsapp_support import *  # noqa: F403
from tests.e2e.whatsapp_support import Citizen, WhatsApp
from tests.integration.dialog_support import APPLICANT_IIN, JPEG, PDF, PRINCIPAL_IIN, t

LIMITS = {"max_mb": 10, "types": "JPG, PNG, PDF"}


async def at_the_power_of_attorney_step(wa: WhatsApp) -> Citizen:
    citizen = wa.citizen()
    await citizen.say("Здравствуйте")
    for step in ("lang:ru", "consent:yes", "menu:book", "rep:person"):
        await citizen.tap(step)
    for answer in ("Ахметов Серик Болатович", APPLICANT_IIN, "Ахметова Айгерим", PRINCIPAL_IIN):
        await citizen.say(answer)
    assert "доверенность" in citizen.text
    return citizen


async def test_a_photo_whose_first_url_expired_is_fetched_again_and_stored(wa: WhatsApp):
    citizen = await at_the_power_of_attorney_step(wa)
    media_id = wa.graph.add_media(JPEG, "image/jpeg", expire_first_url=True)

    await citizen.photo(media_id, caption="Сенімхат")

    assert wa.graph.media_lookups == [media_id, media_id]  # a fresh URL was asked for
    assert [status for _, status in wa.graph.downloads] == [404, 200]
    [document] = await wa.rows("select * from documents")
    assert (document["kind"], document["mime_type"], document["size"]) == (
        "power_of_attorney",
        "image/jpeg",
        len(JPEG),
    )
    assert t("ru", "booking-ask-id-type") in citizen.text  # the booking went on


async def test_a_file_over_the_limit_is_refused_before_it_is_downloaded(wa: WhatsApp):
    citizen = await at_the_power_of_attorney_step(wa)
    big = PDF + b"0" * (10 * 1024 * 1024)
    media_id = wa.graph.add_media(big, "application/pdf")

    await citizen.document(media_id, "доверенность.pdf", "application/pdf")

    assert wa.graph.downloads == []  # Meta's declared size was enough to refuse it
    assert t("ru", REFUSED_TOO_LARGE, **LIMITS) in citizen.text
    assert "доверенность" in citizen.text  # and the question is asked again
    assert await wa.scalar("select count(*) from documents") == 0
    logged = await wa.rows("select payload from messages where direction = 'in' order by id")
    assert "file-too-large" in str(logged[-1]["payload"])  # R39: the attempt is on record


async def test_wrong_types_are_refused_by_declared_type_by_content_and_for_voice(wa: WhatsApp):
    citizen = await at_the_power_of_attorney_step(wa)
    wrong_type = t("ru", REFUSED_WRONG_TYPE, **LIMITS)

    voice = {"mime_type": "audio/ogg; codecs=opus", "sha256": "c2hh", "id": "889", "voice": True}
    await citizen.send(citizen.body("audio", voice))
    assert wrong_type in citizen.text

    archive = wa.graph.add_media(b"PK\x03\x04" + b"0" * 100, "application/zip")
    await citizen.document(archive, "docs.zip", "application/zip")
    assert wrong_type in citizen.text and wa.graph.downloads == []

    disguised = wa.graph.add_media(b"MZ\x90\x00" + b"0" * 100, "application/pdf")
    await citizen.document(disguised, "доверенность.pdf", "application/pdf")
    assert len(wa.graph.downloads) == 1  # downloaded, and its bytes are no PDF:
    # the third refused input in a row hands the chat to an operator (the dialog's rule)
    assert t("ru", "handoff-after-failures") in citizen.text
    assert await wa.scalar("select count(*) from documents") == 0
    assert await wa.scalar("select mode from conversations") == "operator"

"""The daily digest for the reception staff (R17, R21, R24, R31), to every linked staff
member with the reception or admin role, each in their own language. The same digest is the
console's /console/digest page (console/views/digest.py)."""

from __future__ import annotations

from datetime import date

from bot.flow.events import Reply
from bot.jobs.context import JobRun, Outcome, Services, to_recipient
from bot.jobs.texts import digest_text
from reception import reminder_rules as rr
from reception.services.digest import build_digest
from reception.services.officials import DIGEST_READERS, linked_staff
from storage.repositories.console_ops import ConsoleOpsQueries
from storage.repositories.reminders import SqlDeadlineQueries

DIGEST_KIND = "digest"


async def digest_job(services: Services, run: JobRun) -> Outcome:
    day = date.fromisoformat(str(run.payload["day"]))
    dropped = rr.digest_drop_reason(run.now, day)
    if dropped is not None:
        return Outcome.dropped(dropped)
    connection = run.uow.connection
    digest = await build_digest(
        SqlDeadlineQueries(connection), ConsoleOpsQueries(connection), run.rules, day
    )
    recipients = await linked_staff(run.uow, DIGEST_READERS)
    for recipient in recipients:
        text = digest_text(services.translator, recipient.language, digest)
        await to_recipient(run, recipient, Reply(text, kind=DIGEST_KIND), DIGEST_KIND)
    counts = {name: len(items) for name, items in digest.sections()}
    return Outcome.done(staff=[r.staff_user_id for r in recipients], **counts)

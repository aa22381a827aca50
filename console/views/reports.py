"""The quarterly report of the reception office (R30), as a page and as XLSX."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from aiohttp import web

from console.exports.xlsx import SheetTable, report_xlsx
from console.rbac import CASEWORK, roles
from console.web import actor, client_ip, language, now, open_uow, render, rules, translate
from reception.clock import local_date
from reception.services.reports import Period, QuarterlyReport, quarterly_report
from storage.repositories.reports import SqlReportQueries

routes = web.RouteTableDef()


@dataclass(frozen=True, slots=True)
class Row:
    label: str
    count: int
    share: float  # percent of the quarter's requests


@dataclass(frozen=True, slots=True)
class ReportPage:
    report: QuarterlyReport
    by_channel: list[Row]
    by_topic: list[Row]
    by_official: list[Row]
    by_outcome: list[Row]


def _period(request: web.Request) -> Period:
    today = local_date(now(request))
    current = Period.quarter_of(today)
    try:
        year = int(request.query.get("year", current.year))
        quarter = int(request.query.get("quarter", current.quarter))
        if not 2000 <= year <= 2100:
            raise ValueError(year)
        return Period.quarter_number(year, quarter)
    except ValueError:
        raise web.HTTPBadRequest() from None


async def _build(request: web.Request, period: Period) -> ReportPage:
    context = rules(request)
    async with open_uow(request, readonly=True) as uow:
        report = await quarterly_report(
            SqlReportQueries(uow.connection), context.calendar, period, local_date(now(request))
        )
        topics = {str(t.id): t for t in await uow.schedule.topics(active_only=False)}
        officials = {str(o.id): o for o in await uow.schedule.officials(active_only=False)}

    def t(message_id: str) -> str:
        return translate(request, message_id)

    user_lang = language(request)
    none = t("ops-report-unspecified")

    def rows(pairs: list[tuple[str | None, int]], name: Callable[[str], str]) -> list[Row]:
        total = report.total or 1
        return [
            Row(name(key) if key is not None else none, n, round(100 * n / total, 1))
            for key, n in pairs
        ]

    return ReportPage(
        report=report,
        by_channel=rows(report.by_channel, lambda k: t(f"channel-{k}")),
        by_topic=rows(report.by_topic, lambda k: topics[k].name(user_lang) if k in topics else k),
        by_official=rows(
            report.by_official, lambda k: officials[k].name(user_lang) if k in officials else k
        ),
        by_outcome=rows(report.by_outcome, lambda k: t("status-" + k.replace("_", "-"))),
    )


@routes.get("/reports", name="reports")
@roles(CASEWORK)
async def report_page(request: web.Request) -> web.StreamResponse:
    period = _period(request)
    page = await _build(request, period)
    years = list(range(local_date(now(request)).year, local_date(now(request)).year - 6, -1))
    return render(request, "reports/quarter.html", {"page": page, "years": years})


@routes.get("/reports/quarter.xlsx", name="report-xlsx")
@roles(CASEWORK)
async def report_xlsx_download(request: web.Request) -> web.StreamResponse:
    period = _period(request)
    page = await _build(request, period)
    body = report_xlsx(_heading(request, page), _tables(request, page))
    async with open_uow(request) as uow:
        await uow.audit.record(
            actor(request),
            "report.download",
            now(request),
            "report",
            f"{period.year}-Q{period.quarter}",
            ip=client_ip(request),
        )
        await uow.commit()
    name = f"report-{period.year}-q{period.quarter}.xlsx"
    return web.Response(
        body=body,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _heading(request: web.Request, page: ReportPage) -> str:
    p = page.report.period
    return translate(
        request, "ops-report-heading", year=p.year, quarter=p.quarter, start=p.start, end=p.end
    )


def _tables(request: web.Request, page: ReportPage) -> list[SheetTable]:
    def t(message_id: str, **args: object) -> str:
        return translate(request, message_id, **args)

    report = page.report
    header = [t("ops-report-group"), t("ops-report-count"), t("ops-report-share")]
    d = report.deadlines
    summary = [
        (t("ops-report-total"), report.total),
        (t("ops-report-met"), d.met),
        (t("ops-report-missed"), d.missed),
        (t("ops-report-overdue-open"), d.overdue_open),
        (t("ops-report-pending"), d.pending),
        (t("ops-report-no-answer-needed"), d.no_answer_needed),
        (t("ops-report-average-days"), report.average_working_days),
        (t("ops-report-satisfaction-responses"), report.satisfaction.responses),
        (t("ops-report-satisfaction-average"), report.satisfaction.average),
    ]
    scores = [(str(score), n) for score, n in report.satisfaction.by_score.items()]
    return [
        SheetTable(
            t("ops-report-summary"), [t("ops-report-indicator"), t("ops-report-value")], summary
        ),
        *(
            SheetTable(title, header, [(r.label, r.count, r.share) for r in rows])
            for title, rows in (
                (t("ops-report-by-channel"), page.by_channel),
                (t("ops-report-by-topic"), page.by_topic),
                (t("ops-report-by-official"), page.by_official),
                (t("ops-report-by-outcome"), page.by_outcome),
            )
        ),
        SheetTable(
            t("ops-report-satisfaction"), [t("ops-report-score"), t("ops-report-count")], scores
        ),
    ]

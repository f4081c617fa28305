"""Reports for a period: per clerk, per service group and per procedure.

Figures follow what provinces assess (Decision 766/QĐ-TTg): waiting and service times,
no-shows, dossiers received, on time and overdue, and the satisfaction rate.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field, fields
from datetime import date, datetime, time, timedelta
from pathlib import Path

from counter_app.core.calendar import check_period
from counter_app.core.clock import VN_TZ
from counter_app.core.dossier import OPEN_STATUSES, DossierStatus
from counter_app.core.errors import NotFound
from counter_app.core.ratings import MIN_RATINGS_FOR_A_RATE
from counter_app.core.roles import Permission
from counter_app.services.accounts import officer
from counter_app.services.context import ServiceContext
from counter_app.services.ratings import SATISFIED_FROM

NOT_RECEIVED = (int(DossierStatus.NEW), int(DossierStatus.REFUSED))
FINISHED = (int(DossierStatus.DONE), int(DossierStatus.RETURNED))
OPEN = tuple(int(s) for s in OPEN_STATUSES)


@dataclass
class ReportRow:
    key: str
    label: str
    tickets: int = 0
    called: int = 0
    no_shows: int = 0
    avg_wait_min: float | None = None
    max_wait_min: float | None = None
    avg_service_min: float | None = None
    dossiers: int = 0
    on_time: int = 0
    overdue: int = 0
    ratings: int = 0
    avg_score: float | None = None
    satisfied_pct: float | None = None
    out_of_turn: int = 0
    paused_min: float | None = None  # counters and the total only
    digitised: int = 0
    digitised_pct: float | None = None
    _waits: list[float] = field(default_factory=list, repr=False)
    _services: list[float] = field(default_factory=list, repr=False)
    _scores: list[int] = field(default_factory=list, repr=False)

    def finish(self, *, min_ratings: int = 0) -> ReportRow:
        """Averages and rates; no satisfaction figure from fewer than `min_ratings` ratings."""
        if self._waits:
            self.avg_wait_min = round(sum(self._waits) / len(self._waits), 1)
            self.max_wait_min = round(max(self._waits), 1)
        if self._services:
            self.avg_service_min = round(sum(self._services) / len(self._services), 1)
        self.ratings = len(self._scores)
        if self.paused_min is not None:
            self.paused_min = round(self.paused_min, 1)
        if self.dossiers:
            self.digitised_pct = round(100 * self.digitised / self.dossiers, 1)
        if self._scores and len(self._scores) >= min_ratings:
            self.avg_score = round(sum(self._scores) / len(self._scores), 2)
            satisfied = sum(1 for s in self._scores if s >= SATISFIED_FROM)
            self.satisfied_pct = round(100 * satisfied / len(self._scores), 1)
        return self


COLUMNS = [f.name for f in fields(ReportRow) if not f.name.startswith("_")]
# Each figure's header names its unit; its meaning is one line, shown as the column's
# tooltip and written under the headers of every export, so a figure is never read alone.
HEADERS_VI = {
    "key": "Mã",
    "label": "Tên",
    "tickets": "Lượt lấy số (lượt)",
    "called": "Lượt được gọi (lượt)",
    "no_shows": "Vắng mặt (lượt)",
    "avg_wait_min": "Chờ trung bình (phút)",
    "max_wait_min": "Chờ lâu nhất (phút)",
    "avg_service_min": "Phục vụ trung bình (phút)",
    "dossiers": "Hồ sơ tiếp nhận (hồ sơ)",
    "on_time": "Trả đúng hạn (hồ sơ)",
    "overdue": "Quá hạn (hồ sơ)",
    "ratings": "Lượt đánh giá (lượt)",
    "avg_score": "Điểm trung bình (điểm, 1–5)",
    "satisfied_pct": "Tỷ lệ hài lòng (%)",
    "out_of_turn": "Gọi trước lượt (lượt)",
    "paused_min": "Tạm nghỉ (phút)",
    "digitised": "Số hóa đủ giấy tờ (hồ sơ)",
    "digitised_pct": "Tỷ lệ số hóa (%)",
}
MEANINGS = {  # (Vietnamese, English): the windows pick the user's language
    "key": ("Tài khoản cán bộ, chữ cái nhóm dịch vụ hoặc mã thủ tục.",
            "The clerk's login, the service group's letter or the procedure's code."),
    "label": ("Họ và tên cán bộ, tên nhóm dịch vụ hoặc tên thủ tục.",
              "The clerk's full name, the service group's or the procedure's name."),
    "tickets": ("Số phiếu số thứ tự đã lấy trong kỳ (không tính phiếu đã chuyển quầy).",
                "Queue tickets taken in the period (transferred tickets not counted again)."),
    "called": ("Số phiếu đã được gọi ra quầy ít nhất một lần.",
               "Tickets called to a counter at least once."),
    "no_shows": ("Số phiếu đã gọi nhưng công dân không có mặt.",
                 "Tickets called whose citizen did not come."),
    "avg_wait_min": ("Thời gian trung bình từ lúc lấy số đến lúc được gọi lần đầu.",
                     "Average time from taking the ticket to the first call."),
    "max_wait_min": ("Thời gian chờ dài nhất của một công dân, từ lúc lấy số đến lúc được gọi.",
                     "The longest any citizen waited from taking the ticket to the call."),
    "avg_service_min": ("Thời gian trung bình từ lúc bắt đầu phục vụ đến lúc xong, tại quầy.",
                        "Average time at the counter from the start of service to its end."),
    "dossiers": ("Số hồ sơ được tiếp nhận trong kỳ (không tính bản nháp và hồ sơ bị từ chối).",
                 "Dossiers received in the period (drafts and refused dossiers not counted)."),
    "on_time": ("Số hồ sơ đã có kết quả vào hoặc trước thời gian hẹn trả.",
                "Dossiers whose result came on or before the appointment."),
    "overdue": ("Số hồ sơ có kết quả sau hẹn trả, hoặc chưa có kết quả mà đã quá hẹn trả.",
                "Dossiers whose result came late, or that are past the appointment without one."),
    "ratings": ("Số lượt công dân đánh giá mức độ hài lòng.",
                "Satisfaction ratings given by citizens."),
    "avg_score": ("Điểm trung bình của các lượt đánh giá: 5 rất hài lòng, 1 rất không hài lòng.",
                  "Average rating: 5 very satisfied, 1 very dissatisfied."),
    "satisfied_pct": ("Phần trăm lượt đánh giá «Hài lòng» hoặc «Rất hài lòng» trên tổng số lượt.",
                      "Share of ratings that are 'Satisfied' or 'Very satisfied'."),
    "out_of_turn": ("Số phiếu được gọi trước lượt; mỗi lần gọi đều có ghi lý do.",
                    "Tickets called out of turn; each call records its reason."),
    "paused_min": ("Tổng số phút quầy tạm nghỉ (nghỉ trưa, họp, việc khác) trong kỳ.",
                   "Minutes the counter was paused (lunch, meetings, other) in the period."),
    "digitised": ("Số hồ sơ tiếp nhận có mọi giấy tờ bắt buộc đã được quét hoặc nhập tệp.",
                  "Dossiers received with every required paper scanned or imported."),
    "digitised_pct": ("Phần trăm hồ sơ số hóa đủ giấy tờ trên số hồ sơ tiếp nhận.",
                      "Share of received dossiers with every required paper digitised."),
}  # fmt: skip
MEANINGS_VI = {column: vi for column, (vi, _) in MEANINGS.items()}


@dataclass(frozen=True)
class Report:
    start: date
    end: date  # inclusive
    total: ReportRow
    by_clerk: list[ReportRow]
    by_group: list[ReportRow]
    by_procedure: list[ReportRow]
    by_counter: list[ReportRow]
    by_day: list[ReportRow] = field(default_factory=list)

    def sections(self) -> list[tuple[str, str, list[ReportRow]]]:
        return [
            ("clerk", "Theo cán bộ", self.by_clerk),
            ("group", "Theo nhóm dịch vụ", self.by_group),
            ("procedure", "Theo thủ tục", self.by_procedure),
            ("counter", "Theo quầy", self.by_counter),
            ("day", "Theo ngày", self.by_day),
            ("total", "Tổng cộng", [self.total]),
        ]


def _minutes(a: str | None, b: str | None) -> float | None:
    if not a or not b:
        return None
    return (datetime.fromisoformat(b) - datetime.fromisoformat(a)).total_seconds() / 60


def build_report(ctx: ServiceContext, *, start: date, end: date) -> Report:
    """Everything that happened from `start` to `end` inclusive."""
    ctx.actor.require(Permission.READ_DOSSIERS)
    check_period(start, end)
    now = ctx.now()
    lo = datetime.combine(start, time(0), VN_TZ)
    hi = datetime.combine(end + timedelta(days=1), time(0), VN_TZ)
    catalogue = ctx.catalogue()
    group_names = {g.letter: g.name for g in catalogue.groups}
    rows: dict[tuple[str, str], ReportRow] = {}
    total = ReportRow("total", "Tổng cộng")

    def row(kind: str, key: str, label: str) -> ReportRow:
        return rows.setdefault((kind, key), ReportRow(key, label))

    names: dict[str, str] = {}

    def clerk(username: str) -> ReportRow:
        """A clerk's row, named by the officer's full name (the login until one is set)."""
        if username not in names:
            names[username] = officer(ctx.store, username)[0]
        return row("clerk", username, names[username])

    def desk(number: int) -> ReportRow:
        """A counter's row: where the calls went and how long it was paused."""
        found = row("counter", f"{number:03d}", f"Quầy {number}")
        found.paused_min = found.paused_min or 0.0
        return found

    tickets = ctx.store.query(
        "SELECT t.*, (SELECT actor FROM ticket_events e WHERE e.ticket_id = t.id "
        "AND e.state = 'called' ORDER BY e.id LIMIT 1) AS clerk FROM tickets t "
        "WHERE t.day >= ? AND t.day <= ? AND t.state != 'transferred'",
        (start.isoformat(), end.isoformat()),
    )
    ticket_keys: dict[int, tuple[str, str | None]] = {}
    for t in tickets:
        targets = [total, row("group", t["grp"], group_names.get(t["grp"], t["grp"]))]
        if t["clerk"]:
            targets.append(clerk(t["clerk"]))
        if t["counter"]:
            targets.append(desk(t["counter"]))
        ticket_keys[t["id"]] = (t["grp"], t["clerk"])
        wait = _minutes(t["arrived_at"], t["called_at"])
        service = _minutes(t["serving_at"], t["finished_at"]) if t["state"] == "done" else None
        for r in targets:
            r.tickets += 1
            r.no_shows += t["state"] == "no_show"
            if wait is not None:
                r.called += 1
                r._waits.append(wait)
            if service is not None:
                r._services.append(service)
            r.out_of_turn += bool(t["call_reason"])

    total.paused_min = 0.0
    for pause in ctx.store.pauses.between(start, end):
        for r in (desk(pause.counter), total):
            r.paused_min = (r.paused_min or 0.0) + pause.minutes(now)

    dossiers = ctx.store.query(
        f"SELECT code, procedure_code, procedure_name, receiver, status, due_at, result_at, "
        f"received_at, documents "
        f"FROM dossiers WHERE received_at >= ? AND received_at < ? "
        f"AND status NOT IN ({','.join('?' * len(NOT_RECEIVED))})",
        (lo.isoformat(), hi.isoformat(), *NOT_RECEIVED),
    )
    dossier_keys: dict[str, tuple[str, str]] = {}
    digitised = _digitised(ctx, dossiers, lo, hi)
    for d in dossiers:
        day = datetime.fromisoformat(d["received_at"]).astimezone(VN_TZ).date()
        targets = [
            total,
            row("procedure", d["procedure_code"], d["procedure_name"]),
            clerk(d["receiver"]),
            row("day", day.isoformat(), f"{day:%d/%m/%Y}"),
        ]
        dossier_keys[d["code"]] = (d["procedure_code"], d["receiver"])
        on_time = d["status"] in FINISHED and d["due_at"] and d["result_at"] <= d["due_at"]
        late = (d["status"] in FINISHED and d["due_at"] and d["result_at"] > d["due_at"]) or (
            d["status"] in OPEN and d["due_at"] and d["due_at"] < now.isoformat()
        )
        for r in targets:
            r.dossiers += 1
            r.on_time += bool(on_time)
            r.overdue += bool(late)
            r.digitised += d["code"] in digitised

    for rating in ctx.store.ratings.between(lo, hi):
        targets = [total]
        if rating["ticket_id"] in ticket_keys:
            grp, by = ticket_keys[rating["ticket_id"]]
            targets.append(row("group", grp, group_names.get(grp, grp)))
            if by:
                targets.append(clerk(by))
        if rating["dossier_code"] in dossier_keys:
            procedure, receiver = dossier_keys[rating["dossier_code"]]
            targets.append(rows[("procedure", procedure)])
            if not rating["ticket_id"]:
                targets.append(clerk(receiver))
        for r in targets:
            r._scores.append(rating["score"])

    def section(kind: str) -> list[ReportRow]:
        finished = (r.finish(min_ratings=MIN_RATINGS_FOR_A_RATE) for (k, _), r in rows.items()
                    if k == kind)  # fmt: skip
        return sorted(finished, key=lambda r: r.key)

    return Report(
        start,
        end,
        total.finish(),
        section("clerk"),
        section("group"),
        section("procedure"),
        section("counter"),
        section("day"),
    )


def received_by(ctx: ServiceContext, username: str, day: date) -> int:
    """The dossiers `username` received on `day`: the `dossiers` figure of their row in that
    day's report, counted alone. The counter page shows it after every call and every
    finished citizen, and the whole report grows with the day."""
    ctx.actor.require(Permission.READ_DOSSIERS)
    lo = datetime.combine(day, time(0), VN_TZ)
    hi = datetime.combine(day + timedelta(days=1), time(0), VN_TZ)
    found = ctx.store.query_one(
        f"SELECT COUNT(*) AS n FROM dossiers WHERE receiver = ? AND received_at >= ? "
        f"AND received_at < ? AND status NOT IN ({','.join('?' * len(NOT_RECEIVED))})",
        (username, lo.isoformat(), hi.isoformat(), *NOT_RECEIVED),
    )
    return found["n"]


def _digitised(ctx: ServiceContext, dossiers, lo: datetime, hi: datetime) -> set[str]:
    """Codes of the dossiers whose every required paper has its file (at least one paper).
    Required: the procedure's papers not marked optional in the catalogue; a procedure no
    longer there counts the papers ticked as received at intake."""
    held: dict[str, set[int]] = {}
    for p in ctx.store.papers.intake_between(lo, hi):
        held.setdefault(p["dossier_code"], set()).add(p["paper_no"])
    catalogue = ctx.catalogue()
    done = set()
    for d in dossiers:
        papers = held.get(d["code"])
        if not papers:
            continue
        try:
            listed = catalogue.procedure(d["procedure_code"]).documents
            required = [n for n, doc in enumerate(listed, start=1) if not doc.optional]
        except NotFound:
            ticked = json.loads(d["documents"])
            required = [n for n, doc in enumerate(ticked, start=1) if doc[3]]
        if set(required) <= papers:
            done.add(d["code"])
    return done


def export_csv(report: Report, path: Path) -> Path:
    """UTF-8 with BOM, so Excel on a Vietnamese Windows opens the diacritics right. The
    headers (with units) come first, then one row saying what each figure means."""
    with open(path, "w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Phần", *(HEADERS_VI[c] for c in COLUMNS)])
        writer.writerow(["Ý nghĩa", *(MEANINGS_VI[c] for c in COLUMNS)])
        for _, title, section_rows in report.sections():
            for r in section_rows:
                writer.writerow([title, *(getattr(r, c) for c in COLUMNS)])
    return path


HEADER_ROWS = 3  # in each sheet: the period, the headers with units, what each figure means


def export_xlsx(report: Report, path: Path) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    book.remove(book.active)
    for _, title, section_rows in report.sections():
        sheet = book.create_sheet(title)
        sheet.append([f"Báo cáo từ {report.start:%d/%m/%Y} đến {report.end:%d/%m/%Y}"])
        sheet.append([HEADERS_VI[c] for c in COLUMNS])
        sheet.append([MEANINGS_VI[c] for c in COLUMNS])
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for cell in sheet[3]:
            cell.font = Font(italic=True, size=9)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for r in section_rows:
            sheet.append([getattr(r, c) for c in COLUMNS])
        for letter in "CDEFGHIJKLMNOPQRST"[: len(COLUMNS) - 2]:
            sheet.column_dimensions[letter].width = 18
        sheet.column_dimensions["B"].width = 48
        sheet.freeze_panes = sheet.cell(row=HEADER_ROWS + 1, column=1)
    book.save(path)
    return path


def tracking_book(ctx: ServiceContext, *, start: date, end: date) -> list:
    """Form 07: every dossier received in the period, in tracking-book order."""
    ctx.actor.require(Permission.READ_DOSSIERS)
    check_period(start, end)
    lo = datetime.combine(start, time(0), VN_TZ)
    hi = datetime.combine(end + timedelta(days=1), time(0), VN_TZ)
    found = ctx.store.dossiers.listing(received_from=lo, received_to=hi, limit=100_000)
    received = [d for d in found if int(d.status) not in NOT_RECEIVED]
    return sorted(received, key=lambda d: (d.received_at.year, d.book_entry or 0))

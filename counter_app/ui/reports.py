"""Reports: today, this week, this month or any period; per clerk, group and procedure.

QtCharts is imported when the page is first shown, not at start-up.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QDate, QLocale, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from counter_app.core.errors import DomainError
from counter_app.core.ratings import MIN_RATINGS_FOR_A_RATE
from counter_app.ui import gateway
from counter_app.ui.i18n import error_text
from counter_app.ui.reflow import WrapRow
from counter_app.ui.session import Session
from counter_app.ui.widgets import MessageBar, button, date_edit

COLUMNS = ("label", "tickets", "no_shows", "avg_wait_min", "max_wait_min", "avg_service_min",
           "dossiers", "on_time", "overdue", "ratings", "satisfied_pct",
           "digitised_pct")  # fmt: skip
# A day's tab: what the portal counts of it, the digitised share first.
DAY_COLUMNS = ("label", "dossiers", "digitised", "digitised_pct", "tickets", "on_time",
               "overdue")  # fmt: skip
# A counter's tab: its calls, and what the board showed of it (pauses, calls out of turn).
COUNTER_COLUMNS = ("label", "called", "no_shows", "avg_service_min", "out_of_turn",
                   "paused_min")  # fmt: skip


class ReportsWidget(QWidget):
    def __init__(self, session: Session, parent=None) -> None:
        super().__init__(parent)
        self._session = session
        self.report = None
        self.title = QLabel(self.tr("Báo cáo"))
        self.title.setProperty("role", "title")
        self.message = MessageBar()
        self.period = QComboBox()
        for key, text in (
            ("today", self.tr("Hôm nay")),
            ("week", self.tr("Tuần này")),
            ("month", self.tr("Tháng này")),
            ("custom", self.tr("Khoảng ngày…")),
        ):
            self.period.addItem(text, key)  # fmt: skip
        self.start = date_edit()
        self.end = date_edit()
        for edit in (self.start, self.end):
            edit.setDisplayFormat("dd/MM/yyyy")
        self.run = button(self.tr("Xem báo cáo"), role="primary", shortcut="F5")
        self.to_excel = button(self.tr("Xuất Excel"))
        self.to_csv = button(self.tr("Xuất CSV"))
        self.book = button(self.tr("Sổ theo dõi hồ sơ (Mẫu 07)"))
        self.headers = {
            "label": self.tr("Tên"), "tickets": self.tr("Lượt lấy số (lượt)"),
            "no_shows": self.tr("Vắng mặt (lượt)"), "avg_wait_min": self.tr("Chờ TB (phút)"),
            "max_wait_min": self.tr("Chờ lâu nhất (phút)"),
            "avg_service_min": self.tr("Phục vụ TB (phút)"),
            "dossiers": self.tr("Hồ sơ nhận (hồ sơ)"), "on_time": self.tr("Đúng hạn (hồ sơ)"),
            "overdue": self.tr("Quá hạn (hồ sơ)"), "ratings": self.tr("Lượt đánh giá (lượt)"),
            "satisfied_pct": self.tr("Hài lòng (%)"), "called": self.tr("Được gọi (lượt)"),
            "out_of_turn": self.tr("Gọi trước lượt (lượt)"),
            "paused_min": self.tr("Tạm nghỉ (phút)"),
            "digitised": self.tr("Số hóa đủ (hồ sơ)"),
            "digitised_pct": self.tr("Số hóa (%)"),
        }  # fmt: skip
        self.tabs = QTabWidget()
        self.tables: dict[str, QTableWidget] = {}
        for kind, text in (("clerk", self.tr("Theo cán bộ")), ("group", self.tr("Theo nhóm")),
                           ("procedure", self.tr("Theo thủ tục")),
                           ("counter", self.tr("Theo quầy")),
                           ("day", self.tr("Theo ngày"))):  # fmt: skip
            columns = {"counter": COUNTER_COLUMNS, "day": DAY_COLUMNS}.get(kind, COLUMNS)
            table = QTableWidget(0, len(columns))
            table.setProperty("columns", columns)
            # the unit on its own line: the columns stay narrow enough for the names
            table.setHorizontalHeaderLabels([self.headers[c].replace(" (", "\n(")
                                             for c in columns])  # fmt: skip
            for j, column in enumerate(columns):  # what each figure means, on hover
                table.horizontalHeaderItem(j).setToolTip(gateway.figure_meaning(column))
            table.setEditTriggers(QAbstractItemView.NoEditTriggers)
            table.verticalHeader().setVisible(False)
            table.setAlternatingRowColors(True)
            table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
            table.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
            # a long name wraps when the screen is narrow (portrait): its row grows to show it
            table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
            if "satisfied_pct" in columns:
                rate = table.horizontalHeaderItem(columns.index("satisfied_pct"))
                rate.setToolTip(rate.toolTip() + "\n" + self.tr(
                    "Chỉ tính khi có từ {n} lượt đánh giá trở lên, để cán bộ không biết ai đã "
                    "đánh giá mình."
                ).format(n=MIN_RATINGS_FOR_A_RATE))  # fmt: skip
            self.tabs.addTab(table, text)
            self.tables[kind] = table
        self.total = QLabel()
        self.total.setWordWrap(True)
        self.total.setStyleSheet("font-size: 12pt;")
        self.chart_holder = QVBoxLayout()
        self.chart_view = None

        period = QHBoxLayout()
        period.addWidget(QLabel(self.tr("Kỳ báo cáo:")))
        period.addWidget(self.period)
        period.addWidget(self.start)
        period.addWidget(QLabel("–"))
        period.addWidget(self.end)
        period.addWidget(self.run)
        exports = QHBoxLayout()
        exports.addWidget(self.to_excel)
        exports.addWidget(self.to_csv)
        exports.addWidget(self.book)
        bar = WrapRow(period, exports)  # one row at 1366, two on a portrait screen
        charts = QWidget()
        charts.setLayout(self.chart_holder)
        split = QSplitter(Qt.Vertical)
        split.addWidget(self.tabs)
        split.addWidget(charts)
        split.setSizes([330, 270])
        root = QVBoxLayout(self)
        root.addWidget(self.title)
        root.addWidget(bar)
        root.addWidget(self.message)
        root.addWidget(self.total)
        root.addWidget(split, 1)

        self.period.currentIndexChanged.connect(self._period_changed)
        self.run.clicked.connect(self.refresh)
        self.to_excel.clicked.connect(lambda: self._ask_export("xlsx"))
        self.to_csv.clicked.connect(lambda: self._ask_export("csv"))
        self.book.clicked.connect(self._ask_book)
        self._loaded = False
        self._period_changed()

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if not self._loaded:
            self._loaded = True
            QTimer.singleShot(0, self.refresh)

    def _period_changed(self) -> None:
        today = self._session.now().date()
        key = self.period.currentData()
        start = {"today": today, "week": today - timedelta(days=today.weekday()),
                 "month": today.replace(day=1)}.get(key)  # fmt: skip
        custom = start is None
        self.start.setEnabled(custom)
        self.end.setEnabled(custom)
        if not custom:
            self.start.setDate(QDate(start))
            self.end.setDate(QDate(today))
            if self._loaded:
                self.refresh()

    def period_dates(self) -> tuple[date, date]:
        return self.start.date().toPython(), self.end.date().toPython()

    def refresh(self) -> None:
        start, end = self.period_dates()
        try:  # a period that runs backwards is the service's refusal (core check_period)
            self.report = gateway.build_report(self._session.ctx(), start=start, end=end)
        except DomainError as error:
            self.message.error(error_text(error))
            return
        self.message.clear()
        r = self.report
        for kind, rows in (("clerk", r.by_clerk), ("group", r.by_group),
                           ("procedure", r.by_procedure), ("counter", r.by_counter),
                           ("day", r.by_day)):  # fmt: skip
            self._fill(self.tables[kind], rows)
        t = r.total
        # Each count its own plural ("1 dossier", "2 dossiers"): one string said "1 dossiers"
        total = self.tr("Tổng cộng: {queue}; {dossiers}; {ratings}; {digitised}.")
        self.total.setText(total.format(
            queue=", ".join((self.tr("%n lượt lấy số", "", t.tickets),
                             self.tr("%n lượt vắng mặt", "", t.no_shows),
                             self.tr("chờ trung bình {wait} phút").format(
                                 wait=_num(t.avg_wait_min)))),
            dossiers=", ".join((self.tr("%n hồ sơ tiếp nhận", "", t.dossiers),
                                self.tr("%n hồ sơ trả đúng hạn", "", t.on_time),
                                self.tr("%n hồ sơ quá hạn", "", t.overdue))),
            ratings=", ".join((self.tr("%n lượt đánh giá", "", t.ratings),
                               self.tr("hài lòng {pct}%").format(pct=_num(t.satisfied_pct)))),
            digitised=self.tr("số hóa đủ giấy tờ {pct}% hồ sơ").format(
                pct=_num(t.digitised_pct)),
        ))  # fmt: skip
        self._draw_chart(r.by_group)

    def _fill(self, table: QTableWidget, rows) -> None:
        table.setRowCount(len(rows))
        for i, row in enumerate(rows):
            for j, column in enumerate(table.property("columns")):
                value = getattr(row, column)
                item = QTableWidgetItem(_num(value) if column != "label" else str(value))
                if column != "label":
                    item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                table.setItem(i, j, item)

    def _draw_chart(self, groups) -> None:
        from PySide6.QtCharts import (
            QBarCategoryAxis,
            QBarSeries,
            QBarSet,
            QChart,
            QChartView,
            QValueAxis,
        )
        from PySide6.QtGui import QPainter

        tickets = QBarSet(self.tr("Lượt lấy số"))
        no_shows = QBarSet(self.tr("Vắng mặt"))
        names = []
        for row in groups:
            tickets.append(row.tickets)
            no_shows.append(row.no_shows)
            names.append(row.key)
        series = QBarSeries()
        for bar_set in (tickets, no_shows):
            series.append(bar_set)
        chart = QChart()
        chart.addSeries(series)
        chart.setTitle(self.tr("Theo nhóm dịch vụ"))
        axis_x = QBarCategoryAxis()
        axis_x.append(names)
        chart.addAxis(axis_x, Qt.AlignBottom)
        series.attachAxis(axis_x)
        axis_y = QValueAxis()
        axis_y.setLabelFormat("%d")
        top = max([row.tickets for row in groups] + [1])
        axis_y.setRange(0, top)
        axis_y.applyNiceNumbers()  # ticks at 0, 20, 40… rather than 0, 19, 39…
        chart.addAxis(axis_y, Qt.AlignLeft)
        series.attachAxis(axis_y)
        chart.legend().setAlignment(Qt.AlignRight)
        chart.setAnimationOptions(QChart.NoAnimation)
        if self.chart_view is None:
            self.chart_view = QChartView()
            self.chart_view.setRenderHint(QPainter.Antialiasing)
            self.chart_holder.addWidget(self.chart_view)
        self.chart_view.setChart(chart)
        self._chart = chart

    def export_to(self, path: str) -> None:
        if self.report is None:
            self.refresh()
        try:
            gateway.export_report(self.report, path)
        except (DomainError, OSError) as error:
            text = error_text(error) if isinstance(error, DomainError) else str(error)
            self.message.error(self.tr("Không xuất được báo cáo: {e}").format(e=text))
            return
        self.message.ok(self.tr("Đã xuất báo cáo ra {path}").format(path=path))

    def _ask_export(self, ext: str) -> None:
        start, end = self.period_dates()
        name = f"bao-cao-{start:%Y%m%d}-{end:%Y%m%d}.{ext}"
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Lưu báo cáo"), str(Path.home() / name))
        if path:
            self.export_to(path)

    def _ask_book(self) -> None:
        start, end = self.period_dates()
        name = f"so-theo-doi-{start:%Y%m%d}-{end:%Y%m%d}.pdf"
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Lưu sổ theo dõi"), str(Path.home() / name)
        )
        if not path:
            return
        try:
            count, pages = gateway.tracking_book_pdf(self._session.ctx(), start=start, end=end,
                                                     out=Path(path))  # fmt: skip
        except DomainError as error:
            self.message.error(error_text(error))
            return
        self.message.ok(
            self.tr("Đã ghi sổ theo dõi: {n} hồ sơ, {p} trang.").format(n=count, p=pages)
        )


def _num(value) -> str:
    """A figure as the user's language writes it: 1,4 in Vietnamese, 1.4 in English."""
    if value is None:
        return "—"
    if isinstance(value, float):
        return QLocale().toString(value, "f", 1)
    return str(value)

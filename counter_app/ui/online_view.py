"""Layout of the online dossiers page: the list, then the chosen dossier's papers and the
three decisions, beside it on a wide screen, under it on a portrait one."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGroupBox,
    QHeaderView,
    QLabel,
    QListWidget,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from counter_app.ui.reflow import ButtonGrid, PortraitTurn
from counter_app.ui.widgets import MessageBar, button

NAME, PROCEDURE, ROUND, LEFT = range(4)


def round_text(round_no: int) -> str:
    """LanNop as the clerk reads it: only a resubmission after a supplement request is
    named, so it stands out in the list."""
    if round_no > 1:
        return QCoreApplication.translate("Online", "Nộp lại lần {n}").format(n=round_no)
    return ""


def left_text(time_left: timedelta, level: str, *, late: bool, due: datetime | None) -> str:
    """The working time left to check a dossier, in words: the colour alone says nothing to
    a clerk who does not tell red from amber (the service grades it, as for the CLI). Out of
    hours the working clock stands still: past its deadline it is late all the same, and
    with no working minute left before it, the deadline itself is said."""
    minutes = int(time_left.total_seconds() // 60)
    if late and minutes >= 0:
        return QCoreApplication.translate("Online", "Đã quá hạn")
    if minutes == 0 and due is not None:
        return QCoreApplication.translate("Online", "Gấp: hạn {when}").format(
            when=f"{due:%H:%M %d/%m}"
        )
    if late:
        text = QCoreApplication.translate("Online", "Quá hạn {time}")
    elif level == "red":
        text = QCoreApplication.translate("Online", "Gấp: còn {time}")
    elif level == "amber":
        text = QCoreApplication.translate("Online", "Sắp hết: còn {time}")
    else:
        text = QCoreApplication.translate("Online", "Còn {time}")
    return text.format(time=duration(abs(minutes)))


def duration(minutes: int) -> str:
    """Working hours and minutes ("3 giờ 20 phút"): a check of a day or two counts in hours."""
    hours, minutes = divmod(minutes, 60)
    if not hours:
        return QCoreApplication.translate("Online", "%n phút", "", minutes)
    if not minutes:
        return QCoreApplication.translate("Online", "%n giờ", "", hours)
    return QCoreApplication.translate("Online", "{h} giờ {m} phút").format(h=hours, m=minutes)


class OnlineView(QWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.title = QLabel(self.tr("Hồ sơ trực tuyến"))
        self.title.setProperty("role", "title")
        self.message = MessageBar()
        self.count = QLabel()
        self.count.setWordWrap(True)
        # When it was submitted is in the detail: the list keeps its width for the name and
        # the procedure, which a 1024 screen cut to "Nguy…" beside a fifth column.
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("online-list")
        self.table.setHorizontalHeaderLabels([
            self.tr("Người nộp"), self.tr("Thủ tục"), self.tr("Lần nộp"),
            self.tr("Thời hạn kiểm tra"),
        ])  # fmt: skip
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # Tab goes on to the papers, not cell to cell
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.ElideRight)  # long names: "…" and the whole on hover
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarAsNeeded)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setMinimumSectionSize(60)
        bold = self.table.font()
        bold.setBold(True)  # an urgent or late time is drawn bold
        metrics = QFontMetrics(bold)
        longest_left = left_text(timedelta(hours=-15, minutes=-59), "red", late=True, due=None)
        widths = {  # known lengths; the name as long as the longest, the procedure the rest
            ROUND: metrics.horizontalAdvance(round_text(2)) + 20,
            LEFT: metrics.horizontalAdvance(longest_left) + 20,
        }
        for column, width in widths.items():
            header.setSectionResizeMode(column, QHeaderView.Fixed)
            header.resizeSection(column, width)
        header.setSectionResizeMode(NAME, QHeaderView.ResizeToContents)
        header.setSectionResizeMode(PROCEDURE, QHeaderView.Stretch)
        self.empty = QLabel()
        self.empty.setObjectName("online-empty")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignCenter)
        self.empty.setProperty("role", "hint")
        self.list_or_empty = QStackedWidget()
        self.list_or_empty.addWidget(self.table)
        self.list_or_empty.addWidget(self.empty)

        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.RichText)
        self.papers = QListWidget()
        self.papers.setObjectName("online-papers")
        self.papers.setWordWrap(True)
        self.papers.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.papers.setMinimumHeight(4 * self.papers.fontMetrics().lineSpacing())
        self.open_paper = button(self.tr("Xem giấy tờ"), shortcut="F3")
        self.accept = button(self.tr("Tiếp nhận, in giấy hẹn"), role="primary", shortcut="F7")
        self.supplement = button(self.tr("Yêu cầu bổ sung…"), shortcut="F8")
        self.refuse = button(self.tr("Từ chối…"), role="danger", shortcut="F9")
        self.refresh = button(self.tr("Làm mới"), shortcut="F5")
        self.actions = ButtonGrid()  # two a row where they fit, one a row otherwise
        for n, btn in enumerate((self.accept, self.supplement, self.refuse, self.refresh)):
            self.actions.grid.addWidget(btn, n // 2, n % 2)

        detail_box = QGroupBox(self.tr("Hồ sơ đang chọn"))
        dv = QVBoxLayout(detail_box)
        dv.addWidget(self.detail)
        dv.addWidget(QLabel(self.tr("Giấy tờ công dân đã nộp (Enter để xem):")))
        dv.addWidget(self.papers, 1)
        dv.addWidget(self.open_paper)
        dv.addWidget(self.actions)
        self.detail_scroll = QScrollArea()
        self.detail_scroll.setObjectName("online-detail")
        self.detail_scroll.setWidget(detail_box)
        self.detail_scroll.setWidgetResizable(True)
        self.detail_scroll.setFrameShape(QFrame.NoFrame)
        self.detail_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.detail_scroll.setMinimumWidth(300)
        # Tab goes from the list straight to the papers: the pane scrolls to what has focus
        self.detail_scroll.setFocusPolicy(Qt.NoFocus)
        order = (self.table, self.papers, self.open_paper, self.accept, self.supplement,
                 self.refuse, self.refresh)  # fmt: skip
        for before, after in zip(order, order[1:], strict=False):
            QWidget.setTabOrder(before, after)

        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addWidget(self.count)
        lv.addWidget(self.list_or_empty, 1)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(self.detail_scroll)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([820, 380])
        split.setChildrenCollapsible(False)
        PortraitTurn(self, split)  # a portrait screen: the list above, the dossier below

        root = QVBoxLayout(self)
        root.addWidget(self.title)
        root.addWidget(self.message)
        root.addWidget(split, 1)

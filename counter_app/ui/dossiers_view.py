"""Layout of the dossier page: search and filters, the list, the detail with its actions."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from counter_app.ui.reflow import ButtonGrid, PortraitTurn
from counter_app.ui.widgets import MessageBar, button, date_edit, field_error_label


class HistoryList(QListWidget):
    """Asks for its minimum and takes what the pane has left: a list's default 192 px wish
    made the detail pane scroll at 1366x768 and hid the buttons under the history."""

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        return QSize(super().sizeHint().width(), self.minimumHeight())

    def show_newest(self) -> None:
        """The newest step, the one the clerk came for, in view, once the wrapped rows are
        laid out at the list's final width (a resize lays them out again)."""
        QTimer.singleShot(0, self.scrollToBottom)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().resizeEvent(event)
        self.show_newest()


class DossiersView(QWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.title = QLabel(self.tr("Hồ sơ"))
        self.title.setProperty("role", "title")
        self.message = MessageBar()
        self.query = QLineEdit()
        self.query.setPlaceholderText(
            self.tr("Mã hồ sơ, số căn cước, điện thoại hoặc họ tên (có dấu hay không)")
        )
        self.query.setClearButtonEnabled(True)
        self.status = QComboBox()
        # "6. Yêu cầu thực hiện nghĩa vụ tài chính" held the page 860 px wide: past a 1024 screen
        self.status.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.status.setMinimumContentsLength(14)
        self.procedure = QComboBox()
        self.procedure.setMaximumWidth(330)
        # Its minimum follows a fixed length, not the longest of a hundred procedure names:
        # that held the page wider than a portrait screen.
        self.procedure.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.procedure.setMinimumContentsLength(10)
        self.since = date_edit()
        self.until = date_edit()
        for edit in (self.since, self.until):
            edit.setDisplayFormat("dd/MM/yyyy")
        self.overdue = QCheckBox(self.tr("Chỉ hồ sơ quá hạn"))
        self.search = button(self.tr("Tìm"), role="primary")

        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels([
            self.tr("Mã hồ sơ"), self.tr("Người nộp"), self.tr("Thủ tục"),
            self.tr("Trạng thái"), self.tr("Nhận lúc"), self.tr("Hẹn trả"),
        ])  # fmt: skip
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.ElideRight)  # long names and procedures: "…" + tooltip
        # Sideways only where the fixed columns alone are wider than the list (a 1024 screen)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarAsNeeded)
        header = self.table.horizontalHeader()
        header.setMinimumSectionSize(60)
        header.setHighlightSections(False)
        digits = self.table.fontMetrics()
        widths = {  # code, status and times have a known length; name and procedure share the rest
            0: digits.horizontalAdvance("000.00.01.H22-261120-0020") + 16,
            3: digits.horizontalAdvance("Không được tiếp nhận") + 16,  # the longest but one
            4: digits.horizontalAdvance("20/11/2026") + 16,  # the hour is in the detail
            5: digits.horizontalAdvance("20/11/26 15:27") + 16,
        }
        for column in range(self.table.columnCount()):
            if column in widths:
                header.setSectionResizeMode(column, QHeaderView.Fixed)
                header.resizeSection(column, widths[column])
            else:
                header.setSectionResizeMode(column, QHeaderView.Stretch)
        self.count = QLabel()
        self.count.setProperty("role", "hint")
        self.count.setWordWrap(True)
        # Shown when a name also matches dossiers received outside the dates.
        self.any_date = button(self.tr("Hiện cả hồ sơ ngoài khoảng ngày"), shortcut="Alt+N")
        self.any_date.hide()

        self.detail = QLabel(self.tr("Chọn một hồ sơ để xem chi tiết."))
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.RichText)
        self.history = HistoryList()
        self.history.setWordWrap(True)
        self.history.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        lines = self.history.fontMetrics().lineSpacing()
        self.history.setMinimumHeight(5 * lines)  # three lines cut the newest step at 1366
        self.note = QPlainTextEdit()
        self.note.setPlaceholderText(self.tr("Lý do / ghi chú (bắt buộc khi từ chối, yêu cầu "
                                             "bổ sung hoặc dừng xử lý)"))  # fmt: skip
        self.note.setMinimumHeight(3 * lines + 12)  # a reason of a few lines, seen whole
        self.note.setMaximumHeight(5 * lines + 12)
        self.note.setTabChangesFocus(True)
        self.note_error = field_error_label()
        self.actions_box = ButtonGrid()  # two columns where they fit, again at each resize
        self.actions = self.actions_box.grid
        self.print_button = button(self.tr("Xem phiếu in"))
        self.reprint_button = button(self.tr("In lại phiếu…"))

        filters = QGridLayout()
        filters.addWidget(self.query, 0, 0, 1, 5)
        filters.addWidget(self.search, 0, 5)
        filters.addWidget(QLabel(self.tr("Trạng thái:")), 1, 0)
        filters.addWidget(self.status, 1, 1)
        filters.addWidget(QLabel(self.tr("Thủ tục:")), 1, 2)
        filters.addWidget(self.procedure, 1, 3, 1, 3)
        dates = QHBoxLayout()
        dates.addWidget(QLabel(self.tr("Nhận từ ngày:")))
        dates.addWidget(self.since)
        dates.addWidget(QLabel(self.tr("đến:")))
        dates.addWidget(self.until)
        dates.addWidget(self.overdue)
        dates.addStretch(1)
        filters.addLayout(dates, 2, 0, 1, 6)

        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addLayout(filters)
        lv.addWidget(self.table, 1)
        counted = QHBoxLayout()
        counted.addWidget(self.count, 1)
        counted.addWidget(self.any_date)
        lv.addLayout(counted)

        detail_box = QGroupBox(self.tr("Chi tiết"))
        dv = QVBoxLayout(detail_box)
        dv.addWidget(self.detail)
        dv.addWidget(QLabel(self.tr("Quá trình xử lý:")))
        dv.addWidget(self.history, 1)
        dv.addWidget(self.note)
        dv.addWidget(self.note_error)
        dv.addWidget(self.actions_box)
        prints = QHBoxLayout()
        prints.addWidget(self.print_button)
        prints.addWidget(self.reprint_button)
        dv.addLayout(prints)

        # Its buttons as high as a line of text, not the page's 40 px: seven of them left the
        # history three lines at 1366x768. Taller than a 1024x600 page, the pane scrolls.
        detail_box.setStyleSheet("QPushButton { padding: 2px 10px; min-height: 24px; }")
        self.detail_scroll = QScrollArea()
        self.detail_scroll.setObjectName("dossier-detail")
        self.detail_scroll.setWidget(detail_box)
        self.detail_scroll.setWidgetResizable(True)
        self.detail_scroll.setFrameShape(QFrame.NoFrame)
        self.detail_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.detail_scroll.setMinimumWidth(280)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(self.detail_scroll)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([860, 350])
        PortraitTurn(self, split)  # a portrait screen: the list above, the detail below

        root = QVBoxLayout(self)
        root.addWidget(self.title)
        root.addWidget(self.message)
        root.addWidget(split, 1)

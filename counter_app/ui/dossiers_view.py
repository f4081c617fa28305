"""Layout of the dossier page: search and filters, the list, the detail with its actions."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QSplitter,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from counter_app.ui.reflow import ButtonGrid, PortraitTurn
from counter_app.ui.widgets import MessageBar, button, field_error_label


class DossiersView(QWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.title = QLabel(self.tr("Hồ sơ"))
        self.title.setProperty("role", "title")
        self.message = MessageBar()
        self.query = QLineEdit()
        self.query.setPlaceholderText(
            self.tr("Mã hồ sơ, số căn cước, số điện thoại hoặc họ tên (có dấu hay không dấu)")
        )
        self.query.setClearButtonEnabled(True)
        self.status = QComboBox()
        self.procedure = QComboBox()
        self.procedure.setMaximumWidth(330)
        # Its minimum follows a fixed length, not the longest of a hundred procedure names:
        # that held the page wider than a portrait screen.
        self.procedure.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.procedure.setMinimumContentsLength(10)
        self.since = QDateEdit(calendarPopup=True)
        self.until = QDateEdit(calendarPopup=True)
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
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        header = self.table.horizontalHeader()
        header.setMinimumSectionSize(60)
        header.setHighlightSections(False)
        digits = self.table.fontMetrics()
        widths = {  # code, status and times have a known length; name and procedure share the rest
            0: digits.horizontalAdvance("000.00.01.H22-261120-0020") + 16,
            3: digits.horizontalAdvance("Đang xử lý đúng") + 16,
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
        self.history = QListWidget()
        self.history.setWordWrap(True)
        self.history.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.note = QPlainTextEdit()
        self.note.setPlaceholderText(self.tr("Lý do / ghi chú (bắt buộc khi từ chối, yêu cầu "
                                             "bổ sung hoặc dừng xử lý)"))  # fmt: skip
        self.note.setMaximumHeight(60)
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

        split = QSplitter()
        split.addWidget(left)
        split.addWidget(detail_box)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([860, 350])
        detail_box.setMinimumWidth(300)
        PortraitTurn(self, split)  # a portrait screen: the list above, the detail below

        root = QVBoxLayout(self)
        root.addWidget(self.title)
        root.addWidget(self.message)
        root.addWidget(split, 1)

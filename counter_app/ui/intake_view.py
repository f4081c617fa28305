"""Layout of the intake page: procedure, checklist, citizen, appointment, decision."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QBoxLayout,
    QCheckBox,
    QComboBox,
    QFormLayout,
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
    QSpinBox,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from counter_app.core.dossier import MAX_SETS, MIN_SETS
from counter_app.ui.reflow import PortraitTurn, fit_placeholder
from counter_app.ui.widgets import MessageBar, button, field_error_label

PAPER_COLUMN = 4  # the checklist's digitised paper (ui/papers.py)
CITIZEN_FIELDS = ("full_name", "citizen_id", "birth_date", "sex", "phone", "address", "email")
FORM_COLUMN_PX = 205  # "Bản sao có chứng thực" in its drop-down, whole
NARROW_FORM_COLUMN_PX = 150  # a 1024-wide screen: the paper's name needs the width more
RESULTS_PX, SHORT_RESULTS_PX = 96, 64  # four lines of found procedures; three on a short page
RIGHT_PX, NARROW_RIGHT_PX = 540, 340  # the citizen's column; narrower on a 1024-wide screen


class IntakeView(QWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.title = QLabel(self.tr("Tiếp nhận hồ sơ"))
        self.title.setProperty("role", "title")
        self.ticket_info = QLabel()
        self.ticket_info.setProperty("role", "subtitle")
        self.message = MessageBar()

        # 1. procedure
        self.procedure_search = QLineEdit()
        self.procedure_search.setPlaceholderText(
            self.tr("Tên hoặc mã thủ tục, có dấu hay không (ví dụ: khai sinh)")
        )
        self.procedure_search.setClearButtonEnabled(True)
        self.procedure_results = QListWidget()
        self.procedure_results.setMaximumHeight(RESULTS_PX)
        self.procedure_results.setWordWrap(True)
        self.procedure_results.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.procedure_chosen = QLabel(self.tr("Chưa chọn thủ tục."))
        self.procedure_chosen.setWordWrap(True)
        self.procedure_error = field_error_label()

        # 2. checklist
        self.checklist = QTableWidget(0, 5)
        self.checklist.setHorizontalHeaderLabels(
            [self.tr("Nhận"), self.tr("Giấy tờ"), self.tr("Hình thức"), self.tr("Số bản"),
             self.tr("Số hóa")]
        )  # fmt: skip
        header = self.checklist.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.Stretch)
        header.setSectionResizeMode(0, QHeaderView.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.Fixed)
        header.setSectionResizeMode(3, QHeaderView.Fixed)
        self.checklist.setColumnWidth(2, FORM_COLUMN_PX)
        self.checklist.setColumnWidth(3, 58)
        header.setSectionResizeMode(PAPER_COLUMN, QHeaderView.Fixed)
        self.checklist.setColumnWidth(PAPER_COLUMN, 176)  # thumbnail, state, Quét, Tệp…, ×
        self.checklist.verticalHeader().setVisible(False)
        # Rows follow their wrapped names at every width, not only the width they were filled at.
        self.checklist.verticalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.checklist.setSelectionMode(QAbstractItemView.NoSelection)
        self.checklist.setWordWrap(True)
        self.checklist_error = field_error_label()

        # 3. citizen
        self.qr = QLineEdit()
        self.qr.setPlaceholderText(self.tr("Quét mã QR trên thẻ căn cước"))
        self.qr_error = field_error_label()
        self.full_name = QLineEdit()
        self.citizen_id = QLineEdit()
        self.citizen_id.setPlaceholderText(self.tr("12 chữ số"))
        self.birth_date = QLineEdit()
        self.birth_date.setPlaceholderText(self.tr("ví dụ 05/03/1990"))
        self.sex = QComboBox()
        self.sex.addItem(self.tr("— chưa chọn —"), "")
        self.sex.addItem(self.tr("Nam"), "male")
        self.sex.addItem(self.tr("Nữ"), "female")
        self.phone = QLineEdit()
        self.phone.setPlaceholderText(self.tr("ví dụ 0912 345 678"))
        self.address = QLineEdit()
        self.email = QLineEdit()
        self.errors = {name: field_error_label() for name in CITIZEN_FIELDS}

        # 4. appointment and decision
        self.sets = QSpinBox()
        self.sets.setRange(MIN_SETS, MAX_SETS)
        self.sets.setValue(1)
        self.sets_error = field_error_label()
        self.return_method = QComboBox()
        self.verification = QCheckBox(self.tr("Cần xác minh (cộng thêm thời gian)"))
        self.due = QLabel("—")
        self.due.setStyleSheet("font-size: 13pt; font-weight: 600; color: #0b5cad;")
        self.due.setWordWrap(True)
        self.fee = QLabel("—")
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText(
            self.tr("Lý do hoặc giấy tờ cần bổ sung (bắt buộc khi từ chối hay yêu cầu bổ sung)")
        )
        self.reason.setMaximumHeight(54)
        self.reason.setTabChangesFocus(True)
        self.reason_error = field_error_label()
        self.accept = button(self.tr("Tiếp nhận và in giấy hẹn"), role="primary",
                             shortcut="Ctrl+Return")  # fmt: skip
        self.supplement = button(self.tr("Yêu cầu bổ sung"))
        self.refuse = button(self.tr("Từ chối tiếp nhận"), role="danger")
        self.clear = button(self.tr("Làm mới"), shortcut="Ctrl+N")

        self._lay_out()

    def _lay_out(self) -> None:
        procedure_box = QGroupBox(self.tr("1. Thủ tục"))
        p = QVBoxLayout(procedure_box)
        p.addWidget(self.procedure_search)
        p.addWidget(self.procedure_results)
        p.addWidget(self.procedure_chosen)
        p.addWidget(self.procedure_error)

        checklist_box = QGroupBox(self.tr("2. Thành phần hồ sơ"))
        c = QVBoxLayout(checklist_box)
        c.addWidget(self.checklist, 1)
        c.addWidget(self.checklist_error)

        citizen_box = QGroupBox(self.tr("3. Người nộp hồ sơ"))
        form = QFormLayout(citizen_box)
        form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        for field in (self.qr, self.citizen_id, self.birth_date, self.phone):
            fit_placeholder(field)
        form.setVerticalSpacing(2)
        form.addRow(self.tr("Quét thẻ căn cước:"), _with_error(self.qr, self.qr_error))
        labels = {
            "full_name": self.tr("Họ và tên:"),
            "citizen_id": self.tr("Số căn cước:"),
            "birth_date": self.tr("Ngày sinh:"),
            "sex": self.tr("Giới tính:"),
            "phone": self.tr("Điện thoại:"),
            "address": self.tr("Địa chỉ:"),
            "email": self.tr("Thư điện tử:"),
        }
        for name in CITIZEN_FIELDS:
            form.addRow(labels[name], _with_error(getattr(self, name), self.errors[name]))

        decision_box = QGroupBox(self.tr("4. Hẹn trả và quyết định"))
        d = QGridLayout(decision_box)
        d.setVerticalSpacing(4)
        d.addWidget(QLabel(self.tr("Số bộ:")), 0, 0)
        d.addWidget(_with_error(self.sets, self.sets_error), 0, 1)
        d.addWidget(QLabel(self.tr("Lệ phí:")), 0, 2)
        d.addWidget(self.fee, 0, 3)
        d.addWidget(QLabel(self.tr("Nhận kết quả:")), 1, 0)
        d.addWidget(self.return_method, 1, 1, 1, 3)
        d.addWidget(self.verification, 2, 0, 1, 4)
        d.addWidget(QLabel(self.tr("Hẹn trả kết quả:")), 3, 0)
        d.addWidget(self.due, 3, 1, 1, 3)
        d.addWidget(_with_error(self.reason, self.reason_error), 4, 0, 1, 4)
        d.setColumnStretch(1, 1)
        d.setColumnStretch(3, 1)
        # The decision buttons span the page, so the citizen column can stay narrow and
        # the checklist gets the width its document names need.
        buttons = QHBoxLayout()
        buttons.addWidget(self.clear)
        buttons.addStretch(1)
        buttons.addWidget(self.refuse)
        buttons.addWidget(self.supplement)
        buttons.addWidget(self.accept)

        left = QVBoxLayout()
        left.addWidget(procedure_box)
        left.addWidget(checklist_box, 1)
        right_box = QWidget()
        right = QVBoxLayout(right_box)
        right.setContentsMargins(0, 0, 0, 0)
        right.addWidget(citizen_box)
        right.addWidget(decision_box)
        right.addStretch(1)
        # On a 1024x600 screen the citizen and the decision are taller than the page: they
        # scroll inside their column instead of growing the window past the screen, and the
        # decision buttons below the page stay on it.
        self.right_scroll = QScrollArea()
        self.right_scroll.setObjectName("intake-right")
        self.right_scroll.setWidget(right_box)
        self.right_scroll.setWidgetResizable(True)
        self.right_scroll.setFrameShape(QFrame.NoFrame)
        self.right_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.right_scroll.setMinimumWidth(right_box.minimumSizeHint().width() + 16)
        self.right_scroll.setMaximumWidth(RIGHT_PX)
        body = QBoxLayout(QBoxLayout.LeftToRight)
        body.addLayout(left, 3)
        body.addWidget(self.right_scroll, 2)
        PortraitTurn(self, body)  # a portrait screen: the checklist full width, the citizen below

        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addStretch(1)
        top.addWidget(self.ticket_info)
        root = QVBoxLayout(self)
        root.addLayout(top)
        root.addWidget(self.message)
        root.addLayout(body, 1)
        root.addLayout(buttons)
        self.checklist.installEventFilter(self)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt name)
        """A 1024x600 screen: the checklist gets the width and height the rest can spare."""
        super().resizeEvent(event)
        size = event.size()
        landscape = size.width() > size.height()
        narrow = landscape and size.width() < 900  # portrait: the column is below, full width
        self.right_scroll.setMaximumWidth(NARROW_RIGHT_PX if narrow else RIGHT_PX)
        short = size.height() < 600 and landscape
        self.procedure_results.setMaximumHeight(SHORT_RESULTS_PX if short else RESULTS_PX)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt name)
        """The form column gives way on a narrow checklist: 205 px of 560 left a paper's
        name a few words a line, and a 20-paper list showed three and a half rows."""
        if obj is self.checklist and event.type() == QEvent.Resize:
            wide = event.size().width() >= 560
            width = FORM_COLUMN_PX if wide else NARROW_FORM_COLUMN_PX
            if self.checklist.columnWidth(2) != width:
                self.checklist.setColumnWidth(2, width)
        return super().eventFilter(obj, event)


def _with_error(field: QWidget, error: QLabel) -> QWidget:
    box = QFrame()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(1)
    layout.addWidget(field)
    layout.addWidget(error)
    error.setAlignment(Qt.AlignLeft)
    return box

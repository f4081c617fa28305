"""The first-run wizard: when a station has no store yet, set up the center in five steps."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from counter_app.core.errors import DomainError, ValidationError
from counter_app.ui import gateway
from counter_app.ui.i18n import error_text
from counter_app.ui.widgets import MessageBar, button, field_error_label, show_field_error


class FirstRunWidget(QWidget):
    finished = Signal(object)  # the Station

    def __init__(self, store, *, clock, parent=None) -> None:
        super().__init__(parent)
        self._store = store
        self._clock = clock
        self.title = QLabel(self.tr("Thiết lập lần đầu"))
        self.title.setProperty("role", "title")
        self.step = QLabel()
        self.step.setProperty("role", "subtitle")
        self.message = MessageBar()
        self.center_name = QLineEdit()
        self.agency_code = QLineEdit()
        self.agency_code.setPlaceholderText(self.tr("ví dụ 000.00.01.H22"))
        self.admin_user = QLineEdit("admin")
        self.admin_password = QLineEdit()
        self.admin_password.setEchoMode(QLineEdit.Password)
        self.admin_repeat = QLineEdit()
        self.admin_repeat.setEchoMode(QLineEdit.Password)
        self.counters = QSpinBox()
        self.counters.setRange(1, 50)
        self.counters.setValue(3)
        self.printer = QLineEdit()
        self.printer.setPlaceholderText(self.tr("ví dụ tcp://192.168.1.50:9100 (có thể để trống)"))
        self.portal = QLineEdit()
        self.portal.setPlaceholderText(self.tr("để trống nếu chỉ làm việc ngoại tuyến"))
        self.errors = {k: field_error_label() for k in
                       ("center_name", "agency_code", "password", "counters")}  # fmt: skip
        self.pages = QStackedWidget()
        steps = [
            [(self.tr("Tên Trung tâm:"), self.center_name, "center_name"),
             (self.tr("Mã định danh cơ quan:"), self.agency_code, "agency_code")],
            [(self.tr("Tài khoản quản trị:"), self.admin_user, None),
             (self.tr("Mật khẩu:"), self.admin_password, "password"),
             (self.tr("Nhập lại mật khẩu:"), self.admin_repeat, None)],
            [(self.tr("Số quầy tiếp nhận:"), self.counters, "counters")],
            [(self.tr("Máy in phiếu:"), self.printer, None)],
            [(self.tr("Địa chỉ Cổng dịch vụ công:"), self.portal, None)],
        ]  # fmt: skip
        self.titles = [self.tr("Trung tâm"), self.tr("Quản trị viên"), self.tr("Quầy"),
                       self.tr("Máy in"), self.tr("Kết nối Cổng")]  # fmt: skip
        for rows in steps:
            page = QWidget()
            form = QFormLayout(page)
            for label, widget, key in rows:
                form.addRow(label, widget)
                if key:
                    form.addRow("", self.errors[key])
            self.pages.addWidget(page)
        self.back = button(self.tr("Quay lại"))
        self.next = button(self.tr("Tiếp"), role="primary")
        nav = QHBoxLayout()
        nav.addWidget(self.back)
        nav.addStretch(1)
        nav.addWidget(self.next)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.step)
        layout.addWidget(self.message)
        layout.addWidget(self.pages, 1)
        layout.addLayout(nav)
        self.back.clicked.connect(lambda: self._go(self.pages.currentIndex() - 1))
        self.next.clicked.connect(self._next)
        self._go(0)

    def _go(self, index: int) -> None:
        index = max(0, min(index, self.pages.count() - 1))
        self.pages.setCurrentIndex(index)
        self.back.setEnabled(index > 0)
        last = index == self.pages.count() - 1
        self.next.setText(self.tr("Hoàn tất") if last else self.tr("Tiếp"))
        self.step.setText(self.tr("Bước {n}/{total}: {title}").format(
            n=index + 1, total=self.pages.count(), title=self.titles[index]))  # fmt: skip

    def _next(self) -> None:
        index = self.pages.currentIndex()
        if index == 1 and self.admin_password.text() != self.admin_repeat.text():
            show_field_error(self.errors["password"], self.tr("Hai mật khẩu không giống nhau."))
            return
        show_field_error(self.errors["password"], "")
        if index < self.pages.count() - 1:
            self._go(index + 1)
            return
        for label in self.errors.values():
            show_field_error(label, "")
        try:
            station = gateway.initialise_station(
                self._store,
                agency_code=self.agency_code.text(),
                center_name=self.center_name.text(),
                counters=self.counters.value(),
                admin_username=self.admin_user.text(),
                admin_password=self.admin_password.text(),
                now=self._clock(),
                portal_url=self.portal.text(),
            )
        except ValidationError as error:
            key = {"center_name": 0, "agency_code": 0, "counters": 2}.get(error.field or "", 1)
            label = self.errors.get(error.field or "", self.errors["password"])
            show_field_error(label, error_text(error))
            self._go(key)
            return
        except DomainError as error:
            self.message.error(error_text(error))
            return
        self.finished.emit(station)

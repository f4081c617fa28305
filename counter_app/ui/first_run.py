"""The first-run wizard: when a station has no store yet, set up the center step by step.

The store is sealed at rest. Where the OS keyring cannot hold the data key, the wizard asks
for a data passphrase. Either way the recovery code is shown once, large, and the admin must
tick "I have written it down" before the station opens.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QFrame,
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
        self.admin_full_name = QLineEdit()
        self.admin_full_name.setPlaceholderText(self.tr("in trên các phiếu, ví dụ Nguyễn Văn An"))
        self.admin_title = QLineEdit()
        self.admin_title.setPlaceholderText(self.tr("ví dụ Công chức Văn phòng - Thống kê"))
        self.admin_password = QLineEdit()
        self.admin_password.setEchoMode(QLineEdit.Password)
        self.admin_repeat = QLineEdit()
        self.admin_repeat.setEchoMode(QLineEdit.Password)
        self.counters = QSpinBox()
        self.counters.setRange(1, 50)
        self.counters.setValue(3)
        self.needs_passphrase = not gateway.keyring_available()
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.Password)
        self.passphrase_repeat = QLineEdit()
        self.passphrase_repeat.setEchoMode(QLineEdit.Password)
        self.printer = QLineEdit()
        self.printer.setPlaceholderText(self.tr("ví dụ tcp://192.168.1.50:9100 (có thể để trống)"))
        self.portal = QLineEdit()
        self.portal.setPlaceholderText(self.tr("để trống nếu chỉ làm việc ngoại tuyến"))
        self.errors = {k: field_error_label() for k in
                       ("center_name", "agency_code", "full_name", "title", "password",
                        "counters", "passphrase", "printer", "portal")}  # fmt: skip
        self.pages = QStackedWidget()
        steps = [
            [(self.tr("Tên Trung tâm:"), self.center_name, "center_name"),
             (self.tr("Mã định danh cơ quan:"), self.agency_code, "agency_code")],
            [(self.tr("Tài khoản quản trị:"), self.admin_user, None),
             (self.tr("Họ và tên:"), self.admin_full_name, "full_name"),
             (self.tr("Chức danh:"), self.admin_title, "title"),
             (self.tr("Mật khẩu:"), self.admin_password, "password"),
             (self.tr("Nhập lại mật khẩu:"), self.admin_repeat, None)],
            [(self.tr("Số quầy tiếp nhận:"), self.counters, "counters")],
            [(self.tr("Máy in phiếu:"), self.printer, "printer")],
            [(self.tr("Địa chỉ Cổng dịch vụ công:"), self.portal, "portal")],
        ]  # fmt: skip
        self.titles = [self.tr("Trung tâm"), self.tr("Quản trị viên"), self.tr("Quầy"),
                       self.tr("Máy in"), self.tr("Kết nối Cổng")]  # fmt: skip
        if self.needs_passphrase:
            steps.insert(2, [(self.tr("Mật khẩu dữ liệu:"), self.passphrase, "passphrase"),
                             (self.tr("Nhập lại mật khẩu dữ liệu:"), self.passphrase_repeat,
                              None)])  # fmt: skip
            self.titles.insert(2, self.tr("Bảo vệ dữ liệu"))
        self.step_of = {"center_name": 0, "agency_code": 0, "password": 1, "full_name": 1,
                        "title": 1,
                        "passphrase": 2 if self.needs_passphrase else 1}  # fmt: skip
        offset = 1 if self.needs_passphrase else 0
        self.step_of |= {"counters": 2 + offset, "printer": 3 + offset, "portal": 4 + offset}
        for i, rows in enumerate(steps):
            page = QWidget()
            form = QFormLayout(page)
            if self.needs_passphrase and i == 2:
                why = QLabel(self.tr(
                    "Máy này không có kho khóa của hệ điều hành. Dữ liệu của công dân được mã "
                    "hóa bằng mật khẩu dữ liệu (ít nhất 8 ký tự); cần nhập mật khẩu này mỗi "
                    "khi mở chương trình."))  # fmt: skip
                why.setWordWrap(True)
                form.addRow(why)
            for label, widget, key in rows:
                form.addRow(label, widget)
                if key:
                    form.addRow("", self.errors[key])
            self.pages.addWidget(page)
        self.setup_steps = self.pages.count()
        self.recovery_page = self._recovery_page()
        self.pages.addWidget(self.recovery_page)
        self.recovery_code = ""
        self.station = None
        self.back = button(self.tr("Quay lại"))
        self.next = button(self.tr("Tiếp"), role="primary")
        nav = QHBoxLayout()
        nav.addWidget(self.back)
        nav.addStretch(1)
        nav.addWidget(self.next)
        # A card as wide as a form needs: across a 1920 screen the fields were 1700 pixels
        # long and Back and Next a screen apart. (As tall as the window: the steps' pages
        # differ in height and a stack of them does not follow a hidden page's growth.)
        card = QFrame()
        card.setProperty("role", "card")
        card.setFixedWidth(720)
        layout = QVBoxLayout(card)
        layout.setContentsMargins(28, 24, 28, 24)
        layout.addWidget(self.title)
        layout.addWidget(self.step)
        layout.addWidget(self.message)
        layout.addWidget(self.pages, 1)
        layout.addLayout(nav)
        outer = QHBoxLayout(self)
        outer.addWidget(card)
        self.back.clicked.connect(lambda: self._go(self.pages.currentIndex() - 1))
        self.next.clicked.connect(self._next)
        self._go(0)

    def _recovery_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        intro = QLabel(
            self.tr(
                "Mã khôi phục dưới đây là cách duy nhất mở lại dữ liệu nếu quên mật khẩu dữ liệu "
                "hoặc thay máy. Hãy chép ra giấy và cất ở nơi an toàn. Mã chỉ hiện MỘT lần."
            )
        )
        intro.setWordWrap(True)
        self.recovery_label = QLabel()
        self.recovery_label.setAlignment(Qt.AlignCenter)
        self.recovery_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.recovery_label.setStyleSheet(
            "font-size: 30px; font-weight: bold; font-family: monospace; letter-spacing: 2px;"
            " background: #fff8e1; border: 2px solid #e0a800; border-radius: 8px; padding: 18px;"
        )
        self.recovery_label.setWordWrap(True)
        self.written_down = QCheckBox(self.tr("Tôi đã chép mã khôi phục ra giấy"))
        self.written_down.toggled.connect(self._recovery_ticked)
        layout.addWidget(intro)
        layout.addWidget(self.recovery_label)
        layout.addWidget(self.written_down)
        layout.addStretch(1)
        return page

    def _go(self, index: int) -> None:
        index = max(0, min(index, self.setup_steps - 1))
        self.pages.setCurrentIndex(index)
        self.back.setEnabled(index > 0)
        last = index == self.setup_steps - 1
        self.next.setText(self.tr("Hoàn tất") if last else self.tr("Tiếp"))
        self.step.setText(self.tr("Bước {n}/{total}: {title}").format(
            n=index + 1, total=self.setup_steps, title=self.titles[index]))  # fmt: skip

    def _show_recovery(self) -> None:
        self.recovery_label.setText(self.recovery_code)
        self.pages.setCurrentWidget(self.recovery_page)
        self.step.setText(self.tr("Mã khôi phục dữ liệu"))
        self.back.setEnabled(False)
        self.next.setText(self.tr("Bắt đầu làm việc"))
        self.next.setEnabled(False)
        self.written_down.setChecked(False)

    def _recovery_ticked(self, ticked: bool) -> None:
        self.next.setEnabled(ticked)

    def _finish(self) -> None:
        self.recovery_code = ""  # shown once: not kept in memory longer than needed
        self.recovery_label.clear()
        self.finished.emit(self.station)

    def _check_step(self, index: int) -> bool:
        if index == self.step_of["password"] and (
            self.admin_password.text() != self.admin_repeat.text()
        ):
            show_field_error(self.errors["password"], self.tr("Hai mật khẩu không giống nhau."))
            return False
        if self.needs_passphrase and index == self.step_of["passphrase"]:
            text = self.passphrase.text()
            problem = ""
            if len(text) < 8:
                problem = self.tr("Mật khẩu dữ liệu phải có ít nhất 8 ký tự.")
            elif text != self.passphrase_repeat.text():
                problem = self.tr("Hai mật khẩu dữ liệu không giống nhau.")
            show_field_error(self.errors["passphrase"], problem)
            if problem:
                return False
        if index == self.step_of["portal"]:
            url = self.portal.text().strip()
            if url and not url.startswith(("http://", "https://")):
                show_field_error(
                    self.errors["portal"],
                    self.tr(
                        "Địa chỉ Cổng phải bắt đầu bằng https:// (hoặc http:// khi thử nghiệm)."
                    ),
                )
                return False
        if index == self.step_of["printer"]:
            url = self.printer.text().strip()
            if url and "://" not in url:
                show_field_error(self.errors["printer"], self.tr(
                    "Địa chỉ máy in không hợp lệ (ví dụ tcp://192.168.1.50:9100)."))  # fmt: skip
                return False
        for key in ("password", "passphrase", "portal", "printer"):
            show_field_error(self.errors[key], "")
        return True

    def _next(self) -> None:
        if self.pages.currentWidget() is self.recovery_page:
            if self.written_down.isChecked():
                self._finish()
            return
        index = self.pages.currentIndex()
        if not self._check_step(index):
            return
        if index < self.setup_steps - 1:
            self._go(index + 1)
            return
        for label in self.errors.values():
            show_field_error(label, "")
        for step in range(self.setup_steps):  # a step may have been left with Back
            if not self._check_step(step):
                self._go(step)
                return
        codes: list[str] = []
        try:
            station = gateway.initialise_station(
                self._store,
                agency_code=self.agency_code.text(),
                center_name=self.center_name.text(),
                counters=self.counters.value(),
                admin_username=self.admin_user.text(),
                admin_password=self.admin_password.text(),
                admin_full_name=self.admin_full_name.text(),
                admin_title=self.admin_title.text(),
                now=self._clock(),
                data_passphrase=self.passphrase.text() if self.needs_passphrase else None,
                on_recovery_code=codes.append,
            )
        except ValidationError as error:
            field = error.field if error.field in self.step_of else "password"
            show_field_error(self.errors[field], error_text(error))
            self._go(self.step_of[field])
            return
        except DomainError as error:
            self.message.error(error_text(error))
            return
        self.station = station
        self._save_connections(station)
        self.passphrase.clear()
        self.passphrase_repeat.clear()
        self.admin_password.clear()
        self.admin_repeat.clear()
        if codes:
            self.recovery_code = codes[0]
            self._show_recovery()
        else:  # the store's keys existed already (a restored folder): nothing new to show
            self.finished.emit(station)

    def _save_connections(self, station) -> None:
        """Printer and portal, once the station exists (checked at their steps)."""
        from counter_app.core.roles import Actor, Role
        from counter_app.services.context import ServiceContext

        ctx = ServiceContext(self._store, self._clock, station,
                             Actor(self.admin_user.text() or "admin", Role.ADMIN))  # fmt: skip
        changes: dict = {}
        if self.portal.text().strip():
            changes["sync"] = {"portal_url": self.portal.text().strip()}
        if self.printer.text().strip():
            changes["printers"] = {"may-in-quay": self.printer.text().strip(),
                                   "default": "may-in-quay"}  # fmt: skip
        if not changes:
            return
        try:
            gateway.save_settings(ctx, **changes)
        except DomainError as error:  # the station exists: fix it later in Settings
            self.message.error(error_text(error))

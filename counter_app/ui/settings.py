"""Settings (admin): each page loads what it shows through the admin services and saves
through them; a refused value is explained next to its field and nothing is written.
"""

from __future__ import annotations

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from counter_app.core.calendar import CalendarOverride
from counter_app.core.errors import DomainError, ValidationError
from counter_app.ui import gateway
from counter_app.ui.i18n import current_language, error_text
from counter_app.ui.ops import SETTINGS, run_op
from counter_app.ui.session import Session
from counter_app.ui.settings_accounts import AccountsPage
from counter_app.ui.settings_page import SettingsPage, _read_only
from counter_app.ui.settings_portal import PortalPage
from counter_app.ui.settings_queue import QueuePolicyPage
from counter_app.ui.widgets import (
    MessageBar,
    button,
    date_edit,
    field_error_label,
    show_field_error,
)

_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class CenterPage(SettingsPage):
    def load(self) -> None:
        s = self.session.station
        self.center_name = QLineEdit(s.center_name)
        self.center_address = QLineEdit(s.center_address)
        self.row(self.tr("Tên Trung tâm:"), self.center_name, "center_name")
        self.row(self.tr("Mã định danh cơ quan:"), _read_only(s.agency_code))
        self.row(self.tr("Địa chỉ:"), self.center_address, "center_address")
        roles = {
            "all-in-one": self.tr("trạm tất cả trong một"),
            "counter": self.tr("máy quầy"),
            "kiosk": self.tr("kiosk lấy số"),
            "display": self.tr("màn hình gọi số"),
            "hub": self.tr("máy chủ Trung tâm"),
        }
        role = roles.get(s.role, s.role)
        self.row(self.tr("Trạm số:"), _read_only(f"{s.number} ({role})"))
        self.save_button = button(self.tr("Lưu thông tin Trung tâm"), role="primary")
        self.buttons(self.save_button)
        self.save_button.clicked.connect(self._save)

    def _save(self) -> None:
        def call(ctx):
            gateway.update_station(ctx, center_name=self.center_name.text(),
                                   center_address=self.center_address.text())  # fmt: skip

        if self.save(call, self.tr("Đã lưu thông tin Trung tâm.")):
            self.session.reload_station()


class CountersPage(SettingsPage):
    """A grid: one row per counter, one check box per service group it calls."""

    def load(self) -> None:
        self.groups = list(self.session.ctx().catalogue().groups)
        self.grid_box = QWidget()
        self.grid = QGridLayout(self.grid_box)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.checks: dict[int, dict[str, QCheckBox]] = {}
        for desk in self.session.station.counters:
            self._add_row(desk.number, desk.groups)
        self.count = QSpinBox()
        self.count.setRange(1, 50)
        self.count.setValue(len(self.checks))
        self.count.valueChanged.connect(self._resize)
        self.row(self.tr("Số quầy:"), self.count)
        self.row(self.tr("Nhóm dịch vụ mỗi quầy gọi:"), self.grid_box, "counters")
        legend = QLabel("\n".join(f"{g.letter} – {g.name}" for g in self.groups))
        legend.setWordWrap(True)
        self.row(self.tr("Nhóm dịch vụ:"), legend)
        self.save_button = button(self.tr("Lưu các quầy"), role="primary")
        self.buttons(self.save_button)
        self.save_button.clicked.connect(self._save)

    def _add_row(self, number: int, groups) -> None:
        row = len(self.checks)
        self.grid.addWidget(QLabel(self.tr("Quầy {n}").format(n=number)), row, 0)
        boxes = {}
        for col, g in enumerate(self.groups, start=1):
            box = QCheckBox(g.letter)
            box.setToolTip(g.name)
            box.setChecked(g.letter in groups)
            self.grid.addWidget(box, row, col)
            boxes[g.letter] = box
        self.checks[number] = boxes

    def _resize(self, count: int) -> None:
        while len(self.checks) < count:
            self._add_row(len(self.checks) + 1, [g.letter for g in self.groups])
        while len(self.checks) > count:
            number = max(self.checks)
            for col in range(len(self.groups) + 1):
                item = self.grid.itemAtPosition(len(self.checks) - 1, col)
                if item is not None and item.widget() is not None:
                    item.widget().deleteLater()
            del self.checks[number]

    def counters(self) -> dict[int, tuple[str, ...]]:
        return {n: tuple(k for k, box in boxes.items() if box.isChecked())
                for n, boxes in self.checks.items()}  # fmt: skip

    def _save(self) -> None:
        counters = self.counters()  # a counter with no group: the service refuses (core)
        if self.save(lambda ctx: gateway.update_station(ctx, counters=counters),
                     self.tr("Đã lưu các quầy.")):  # fmt: skip
            self.session.reload_station()


class HoursPage(SettingsPage):
    def load(self) -> None:
        hours = self.session.station.opening_hours.to_dict()
        names = [self.tr("Thứ Hai"), self.tr("Thứ Ba"), self.tr("Thứ Tư"), self.tr("Thứ Năm"),
                 self.tr("Thứ Sáu"), self.tr("Thứ Bảy"), self.tr("Chủ nhật")]  # fmt: skip
        self.days: dict[str, QLineEdit] = {}
        for key, name in zip(_DAYS, names, strict=True):
            sessions = hours.get(key) or []
            field = QLineEdit(", ".join(f"{a}-{b}" for a, b in sessions))
            field.setPlaceholderText(self.tr("nghỉ (để trống)"))
            self.days[key] = field
            self.form.addRow(name + ":", field)
        self.errors["hours"] = field_error_label()
        self.form.addRow("", self.errors["hours"])
        self.save_hours = button(self.tr("Lưu giờ làm việc"), role="primary")
        self.buttons(self.save_hours, hint=self.tr("Ví dụ: 07:30-11:30, 13:30-17:00"))
        self.save_hours.clicked.connect(self._save_hours)
        self.overrides = QListWidget()
        self.overrides.setMaximumHeight(110)
        self.form.addRow(self.tr("Ngày nghỉ, ngày làm bù:"), self.overrides)
        self.day = date_edit()
        self.day.setDisplayFormat("dd/MM/yyyy")
        self.day.setDate(QDate(self.session.now().date()))
        self.kind = QComboBox()
        self.kind.addItem(self.tr("Ngày nghỉ"), "off")
        self.kind.addItem(self.tr("Ngày làm việc"), "work")
        self.note = QLineEdit()
        self.note.setPlaceholderText(self.tr("Ghi chú, ví dụ số văn bản"))
        self.add = button(self.tr("Thêm"))
        self.error = field_error_label()
        row = QHBoxLayout()
        for w in (self.day, self.kind, self.note, self.add):
            row.addWidget(w)
        self.form.addRow(self.tr("Thêm ngày:"), row)
        self.form.addRow("", self.error)
        self.add.clicked.connect(self._add)
        self._fill()

    def opening_hours(self) -> dict:
        hours = {}
        for key, field in self.days.items():
            sessions = []
            for part in field.text().replace(";", ",").split(","):
                if part.strip():
                    start, _, end = part.replace("–", "-").partition("-")
                    sessions.append([start.strip(), end.strip()])
            hours[key] = sessions
        return hours

    def _save_hours(self) -> None:
        hours = self.opening_hours()

        def call(ctx):
            gateway.update_station(ctx, opening_hours=hours)

        if self.save(call, self.tr("Đã lưu giờ làm việc.")):
            self.session.reload_station()

    def _fill(self) -> None:
        self.overrides.clear()
        for o in gateway.calendar_overrides(self.session.ctx()):
            kind = self.tr("nghỉ") if str(o.kind) == "off" else self.tr("làm việc")
            self.overrides.addItem(f"{o.day:%d/%m/%Y}  {kind}  {o.note}")

    def _add(self) -> None:
        override = CalendarOverride(self.day.date().toPython(), self.kind.currentData(),
                                    self.note.text())  # fmt: skip
        result = run_op(
            self.session,
            lambda ctx: gateway.set_calendar_override(ctx, override),
            changes=SETTINGS,
            done=self.tr("Đã lưu ngày {d}.").format(d=f"{override.day:%d/%m/%Y}"),
            report=self.message.show_message,
        )
        invalid = isinstance(result.error, ValidationError)
        show_field_error(self.error, result.text if invalid else "")
        if result.ok:
            self._fill()


class PrinterPage(SettingsPage):
    def load(self) -> None:
        settings = gateway.read_settings(self.session.ctx())
        printers = dict(settings["printers"])
        default = printers.pop("default", "")
        self.name = QLineEdit(default or next(iter(printers), "") or "may-in-quay")
        self.url = QLineEdit(printers.get(default) or next(iter(printers.values()), ""))
        self.url.setPlaceholderText(self.tr("ví dụ tcp://192.168.1.50:9100"))
        self.others = printers
        self.forms = QComboBox()
        self.forms.addItem(self.tr("Không dùng: in phiếu trên máy in nhiệt"), "")
        from counter_app.ui.system_print import system_printers

        for name in system_printers():
            self.forms.addItem(name, name)
        chosen = settings.get("form_printer", "")
        if chosen and self.forms.findData(chosen) < 0:
            self.forms.addItem(self.tr("{name} (không thấy trên máy này)").format(name=chosen),
                               chosen)  # fmt: skip
        self.forms.setCurrentIndex(max(0, self.forms.findData(chosen)))
        self.row(self.tr("Máy in giấy tờ A4/A5:"), self.forms, "form_printer")
        self.row(self.tr("Tên máy in phiếu nhiệt:"), self.name)
        self.row(self.tr("Địa chỉ máy in phiếu (ESC/POS):"), self.url, "printers")
        buttons = QHBoxLayout()
        self.save_button = button(self.tr("Lưu máy in"), role="primary")
        self.test = button(self.tr("In thử"))
        self.stuck = button(self.tr("Lệnh in bị kẹt…"))
        for b in (self.save_button, self.test, self.stuck):
            buttons.addWidget(b)
        buttons.addStretch(1)
        self.form.addRow("", buttons)
        self.form.addRow(
            "",
            QLabel(
                self.tr(
                    "Để trống địa chỉ nếu chưa có máy in: phiếu sẽ hiện trên màn hình để xem trước."
                )
            ),
        )
        self.save_button.clicked.connect(self._save)
        self.test.clicked.connect(self._test)
        self.stuck.clicked.connect(self._stuck)
        self.preview = None
        printing = self.session.printing()
        printing.printed.connect(self._printed)

    def printers(self) -> dict:
        name, url = self.name.text().strip(), self.url.text().strip()
        if not url:
            return {k: v for k, v in self.others.items() if k != name}
        return {**self.others, name: url, "default": name}

    def _save(self) -> bool:
        printers = self.printers()
        forms = self.forms.currentData() or ""
        ok = self.save(lambda ctx: gateway.save_settings(ctx, printers=printers,
                                                         form_printer=forms),
                       self.tr("Đã lưu máy in."))  # fmt: skip
        if ok:
            self.session.printing().refresh()
        return ok

    def _test(self) -> None:
        url = self.url.text().strip()
        if not url:
            from counter_app.ui.receipt import ReceiptPreview

            document = gateway.test_print_document(self.session.ctx(), "—")
            self.preview = ReceiptPreview(document, self, session=self.session)
            self.preview.show()
            return
        show_field_error(self.errors["printers"], "")
        self.session.printing().print_test(url, self.session.actor,
                                           title=self.tr("trang in thử"))  # fmt: skip
        self.message.show_message(self.tr("Đang gửi trang in thử tới {url}…").format(url=url))

    def _printed(self, printed) -> None:
        if printed.ok:
            self.message.ok(self.tr("Đã in: {title}").format(title=printed.title))
        elif printed.jobs:
            job = printed.jobs[-1]
            self.message.error(self.tr("Chưa in được {title}: {reason}").format(
                title=printed.title, reason=job.reason))  # fmt: skip

    def _stuck(self) -> None:
        bar = self.window().statusBar() if hasattr(self.window(), "statusBar") else None
        if bar is not None and hasattr(bar, "show_stuck"):
            bar.show_stuck()


class LanguagePage(SettingsPage):
    """The language is stored with the center's settings; the window and the command line
    start in it. It applies after a restart: every window builds its texts once, and a
    half-switched screen (a kiosk in English beside a counter in Vietnamese) is worse than
    asking for a restart."""

    def load(self) -> None:
        stored = gateway.read_settings(self.session.ctx())["language"]
        self.language = QComboBox()
        self.language.addItem("Tiếng Việt", "vi")
        self.language.addItem("English", "en")
        self.language.setCurrentIndex(max(0, self.language.findData(stored)))
        self.apply = button(self.tr("Lưu"), role="primary")
        self.row(self.tr("Ngôn ngữ giao diện:"), self.language, "language")
        self.buttons(self.apply)
        self.pending = QLabel()
        self.pending.setWordWrap(True)
        self.form.addRow("", self.pending)
        self.apply.clicked.connect(self._apply)
        self._show_pending(stored)

    def _show_pending(self, stored: str) -> None:
        """Says so while the stored choice differs from the language on screen."""
        waiting = stored != current_language()
        self.pending.setText(
            self.tr("Ngôn ngữ đã chọn có hiệu lực sau khi khởi động lại chương trình (đóng rồi "
                    "mở lại), trên máy này và ở dòng lệnh.") if waiting else ""
        )  # fmt: skip
        self.pending.setVisible(waiting)

    def _apply(self) -> None:
        lang = self.language.currentData()
        done = (
            self.tr(
                "Đã lưu. Hãy khởi động lại chương trình (đóng rồi mở lại) để dùng ngôn ngữ mới."
            )
            if lang != current_language()
            else self.tr("Đã lưu ngôn ngữ giao diện.")
        )
        if self.save(lambda ctx: gateway.save_settings(ctx, language=lang), done):
            self._show_pending(lang)


class BackupPage(SettingsPage):
    def load(self) -> None:
        settings = gateway.read_settings(self.session.ctx())
        self.folder = QLineEdit(settings["backup_folder"])
        self.folder.setPlaceholderText(self.tr("ví dụ ổ USB: E:\\SaoLuu"))
        self.browse = button(self.tr("Chọn…"))
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(self.browse)
        self.row(self.tr("Thư mục sao lưu:"), row, "backup_folder")
        self.keep = QSpinBox()
        self.keep.setRange(1, 365)
        self.keep.setValue(int(settings["backup_keep"]))
        self.row(self.tr("Giữ số bản gần nhất:"), self.keep, "backup_keep")
        self.row(self.tr("Thư mục dữ liệu:"), _read_only(str(self.session.folder())))
        self.save_button = button(self.tr("Lưu"), role="primary")
        self.backup = button(self.tr("Sao lưu ngay"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.backup)
        buttons.addStretch(1)
        self.form.addRow("", buttons)
        self.browse.clicked.connect(self._browse)
        self.save_button.clicked.connect(self._save)
        self.backup.clicked.connect(self._backup)
        self.session.housekeeping().backup_done.connect(self._backed_up)

    def _backed_up(self, path: str) -> None:
        self.message.ok(self.tr("Đã sao lưu: {path}").format(path=path))

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Chọn thư mục sao lưu"),
                                                  self.folder.text())  # fmt: skip
        if folder:
            self.folder.setText(folder)

    def _save(self) -> bool:
        folder, keep = self.folder.text().strip(), self.keep.value()
        return self.save(
            lambda ctx: gateway.save_settings(ctx, backup_folder=folder, backup_keep=keep),
            self.tr("Đã lưu cài đặt sao lưu."),
        )

    def _backup(self) -> None:
        if self._save():
            self.session.housekeeping().backup_if_due()
            self.message.show_message(self.tr("Đang sao lưu…"))


class SettingsWidget(QWidget):
    def __init__(self, session: Session, parent=None) -> None:
        super().__init__(parent)
        self._session = session
        self.title = QLabel(self.tr("Cài đặt"))
        self.title.setProperty("role", "title")
        self.message = MessageBar()
        self.tabs = QTabWidget()
        self.pages: list[SettingsPage] = []
        for page_class, title in (
            (CenterPage, self.tr("Trung tâm")),
            (CountersPage, self.tr("Quầy và nhóm dịch vụ")),
            (HoursPage, self.tr("Giờ làm việc, ngày nghỉ")),
            (PrinterPage, self.tr("Máy in")),
            (PortalPage, self.tr("Cổng DVC, đồng bộ")),
            (LanguagePage, self.tr("Ngôn ngữ")),
            (BackupPage, self.tr("Sao lưu")),
            (QueuePolicyPage, self.tr("Gọi số")),  # last: the other tabs keep their places
            (AccountsPage, self.tr("Tài khoản")),
        ):
            page = page_class(session, self.message)
            self.pages.append(page)
            self.tabs.addTab(page, title)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.message)
        layout.addWidget(self.tabs, 1)
        self._loaded = False

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if self._loaded:
            return
        self._loaded = True
        for page in self.pages:
            try:
                page.load()
            except DomainError as error:
                self.message.error(error_text(error))

"""Settings (admin): each page declares its title and loads what it shows; pages that can
save do so through a service. Station fields whose save service is not there yet are shown
read-only, so an admin sees the whole set-up in one place.
"""

from __future__ import annotations

from PySide6.QtCore import QDate, QSettings, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from counter_app.core.calendar import CalendarOverride
from counter_app.core.errors import DomainError, ValidationError
from counter_app.ui import gateway
from counter_app.ui.i18n import current_language, error_text
from counter_app.ui.session import Session
from counter_app.ui.status_bar import age_text
from counter_app.ui.widgets import MessageBar, button, field_error_label, show_field_error

_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _read_only(text: str) -> QLineEdit:
    field = QLineEdit(text)
    field.setReadOnly(True)
    return field


class SettingsPage(QWidget):
    title = ""

    def __init__(self, session: Session, message: MessageBar) -> None:
        super().__init__()
        self.session = session
        self.message = message
        self.form = QFormLayout(self)

    def load(self) -> None:  # fill the widgets from the services
        raise NotImplementedError


class CenterPage(SettingsPage):
    def load(self) -> None:
        s = self.session.station
        self.form.addRow(self.tr("Tên Trung tâm:"), _read_only(s.center_name))
        self.form.addRow(self.tr("Mã định danh cơ quan:"), _read_only(s.agency_code))
        self.form.addRow(self.tr("Địa chỉ:"), _read_only(s.center_address))
        self.form.addRow(self.tr("Trạm số:"), _read_only(f"{s.number} ({s.role})"))


class CountersPage(SettingsPage):
    def load(self) -> None:
        s = self.session.station
        listing = QListWidget()
        for desk in s.counters:
            listing.addItem(self.tr("Quầy số {n}: nhóm {groups}").format(
                n=desk.number, groups=", ".join(desk.groups)))  # fmt: skip
        self.form.addRow(self.tr("Các quầy:"), listing)
        groups = QListWidget()
        for g in self.session.ctx().catalogue().groups:
            groups.addItem(f"{g.letter} – {g.name}")
        self.form.addRow(self.tr("Nhóm dịch vụ:"), groups)


class HoursPage(SettingsPage):
    def load(self) -> None:
        hours = self.session.station.opening_hours.to_dict()
        names = [self.tr("Thứ Hai"), self.tr("Thứ Ba"), self.tr("Thứ Tư"), self.tr("Thứ Năm"),
                 self.tr("Thứ Sáu"), self.tr("Thứ Bảy"), self.tr("Chủ nhật")]  # fmt: skip
        for key, name in zip(_DAYS, names, strict=True):
            sessions = hours.get(key) or []
            text = ", ".join(f"{a}–{b}" for a, b in sessions) or self.tr("nghỉ")
            self.form.addRow(name + ":", _read_only(text))
        self.overrides = QListWidget()
        self.form.addRow(self.tr("Ngày nghỉ, ngày làm bù:"), self.overrides)
        self.day = QDateEdit(calendarPopup=True)
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

    def _fill(self) -> None:
        self.overrides.clear()
        for o in gateway.calendar_overrides(self.session.ctx()):
            kind = self.tr("nghỉ") if str(o.kind) == "off" else self.tr("làm việc")
            self.overrides.addItem(f"{o.day:%d/%m/%Y}  {kind}  {o.note}")

    def _add(self) -> None:
        override = CalendarOverride(self.day.date().toPython(), self.kind.currentData(),
                                    self.note.text())  # fmt: skip
        try:
            gateway.set_calendar_override(self.session.ctx(), override)
        except ValidationError as error:
            show_field_error(self.error, error_text(error))
            return
        except DomainError as error:
            self.message.error(error_text(error))
            return
        show_field_error(self.error, "")
        self.message.ok(self.tr("Đã lưu ngày {d}.").format(d=f"{override.day:%d/%m/%Y}"))
        self._fill()


class PrinterPage(SettingsPage):
    def load(self) -> None:
        printers = gateway.station_settings(self.session.ctx())["printers"]
        self.printer = QComboBox()
        self.printer.setEditable(True)
        for name, url in printers.items():
            self.printer.addItem(f"{name} – {url}", name)
        if not printers:
            self.printer.setEditText("file:///tmp/counter-app-printer.bin")
        self.test = button(self.tr("In thử"))
        self.form.addRow(self.tr("Máy in:"), self.printer)
        self.form.addRow("", self.test)
        self.test.clicked.connect(self._test)
        self.preview = None

    def _test(self) -> None:
        from counter_app.ui.receipt import ReceiptPreview

        target = self.printer.currentData() or self.printer.currentText()
        try:
            document = gateway.test_print_document(self.session.ctx(), target)
        except DomainError as error:
            self.message.error(error_text(error))
            return
        self.preview = ReceiptPreview(document, self)
        self.preview.show()


class PortalPage(SettingsPage):
    def load(self) -> None:
        ctx = self.session.ctx()
        sync = gateway.station_settings(ctx)["sync"]
        status = gateway.sync_status(ctx)
        self.form.addRow(self.tr("Địa chỉ Cổng:"), _read_only(sync.get("portal_url", "")))
        last = f"{status.last_ok:%H:%M %d/%m/%Y}" if status.last_ok else self.tr("chưa lần nào")
        self.form.addRow(self.tr("Đồng bộ thành công gần nhất:"), _read_only(last))
        oldest = age_text(ctx.now() - status.oldest) if status.oldest else "—"
        self.form.addRow(self.tr("Bản ghi chờ đồng bộ:"),
                         _read_only(self.tr("{n} (cũ nhất {age})").format(n=status.waiting,
                                                                          age=oldest)))  # fmt: skip


class LanguagePage(SettingsPage):
    language_changed = Signal(str)

    def load(self) -> None:
        self.language = QComboBox()
        self.language.addItem("Tiếng Việt", "vi")
        self.language.addItem("English", "en")
        self.language.setCurrentIndex(max(0, self.language.findData(current_language())))
        self.apply = button(self.tr("Áp dụng"))
        self.form.addRow(self.tr("Ngôn ngữ giao diện:"), self.language)
        self.form.addRow("", self.apply)
        self.form.addRow("", QLabel(self.tr("Ngôn ngữ mới có hiệu lực khi mở lại cửa sổ.")))
        self.apply.clicked.connect(self._apply)

    def _apply(self) -> None:
        lang = self.language.currentData()
        QSettings().setValue("ui/language", lang)  # a preference of this PC, not station data
        self.message.ok(self.tr("Đã lưu. Ngôn ngữ mới có hiệu lực khi mở lại chương trình."))


class BackupPage(SettingsPage):
    def load(self) -> None:
        folder = gateway.station_settings(self.session.ctx())["backup_dir"]
        self.form.addRow(self.tr("Thư mục sao lưu:"), _read_only(folder or self.tr("chưa đặt")))
        self.form.addRow(self.tr("Thư mục dữ liệu:"), _read_only(self.session.data_dir))


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

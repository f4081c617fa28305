"""Settings › Cổng DVC: the interface (dialect), the address and the account, a connection
check that runs off the UI thread, and sync now.

The page only collects and shows: the rules (address shape, what each dialect needs, the
secret kept sealed when the field is left empty) and the check itself are the services'
(counter_app/services/portal_link.py), the same check as `counter-app sync test`.
"""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QProgressBar

from counter_app.core.errors import DomainError, ValidationError
from counter_app.services.portal_link import LinkCheck, PortalForm
from counter_app.ui import gateway
from counter_app.ui.i18n import current_language, error_text, number
from counter_app.ui.settings_page import SettingsPage, _read_only
from counter_app.ui.status_bar import age_text
from counter_app.ui.widgets import button, show_field_error

# Which account fields each dialect shows (the reference API registers the station itself).
ACCOUNT_FIELDS = {
    "reference": (),
    "dvcqg": ("username", "secret", "madonvi", "dstcode", "auth_endpoint", "integration_endpoint"),
    "motcua": ("client_id", "secret"),
}


class PortalPage(SettingsPage):
    def load(self) -> None:
        shown = gateway.portal_form(self.session.ctx())
        self.dialect = QComboBox()
        for text, name in (
            (self.tr("Giao diện riêng của chương trình (reference)"), "reference"),
            (self.tr("Cổng Dịch vụ công quốc gia (dvcqg)"), "dvcqg"),
            (self.tr("Hệ thống một cửa tỉnh qua LGSP (motcua)"), "motcua"),
        ):
            self.dialect.addItem(text, name)
        self.dialect.setCurrentIndex(max(0, self.dialect.findData(shown.dialect)))
        self.row(self.tr("Chuẩn kết nối:"), self.dialect, "dialect")
        self.portal = QLineEdit(shown.portal_url)
        self.portal.setPlaceholderText(self.tr("để trống nếu chỉ làm việc ngoại tuyến"))
        self.row(self.tr("Địa chỉ Cổng:"), self.portal, "portal_url")
        self.username = QLineEdit(shown.username)
        self.secret = QLineEdit()
        self.secret.setEchoMode(QLineEdit.Password)
        self.madonvi = QLineEdit(shown.madonvi)
        self.madonvi.setPlaceholderText(self.tr("ví dụ 000.00.01.H22"))
        self.dstcode = QLineEdit(shown.dstcode)
        self.client_id = QLineEdit(shown.client_id)
        self.auth_endpoint = QLineEdit(shown.auth_endpoint)
        self.auth_endpoint.setPlaceholderText(self.tr("mặc định /auth"))
        self.integration_endpoint = QLineEdit(shown.integration_endpoint)
        self.integration_endpoint.setPlaceholderText(self.tr("mặc định /integration"))
        self.fields = {"username": self.username, "secret": self.secret,
                       "madonvi": self.madonvi, "dstcode": self.dstcode,
                       "client_id": self.client_id, "auth_endpoint": self.auth_endpoint,
                       "integration_endpoint": self.integration_endpoint}  # fmt: skip
        for name, label in (
            ("username", self.tr("Tên đăng nhập:")),
            ("secret", self.tr("Mật khẩu / khóa bí mật:")),
            ("madonvi", self.tr("Mã đơn vị:")),
            ("dstcode", self.tr("Mã hệ thống (dstcode):")),
            ("client_id", self.tr("Mã ứng dụng (client id):")),
            ("auth_endpoint", self.tr("Đường dẫn đăng nhập:")),
            ("integration_endpoint", self.tr("Đường dẫn tích hợp:")),
        ):
            self.row(label, self.fields[name], name)
        self._has_secret = shown.has_secret
        self.save_button = button(self.tr("Lưu kết nối"), role="primary")
        self.check = button(self.tr("Kiểm tra kết nối"))
        self.buttons(self.save_button, self.check)
        self.check_result = QLabel()
        self.check_result.setWordWrap(True)
        self.form.addRow("", self.check_result)
        self.last = _read_only("")
        self.waiting = _read_only("")
        self.row(self.tr("Đồng bộ thành công gần nhất:"), self.last)
        self.row(self.tr("Bản ghi chờ đồng bộ:"), self.waiting)
        self.sync = button(self.tr("Đồng bộ ngay"))
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.buttons(self.sync).insertWidget(0, self.progress, 1)
        self.dialect.currentIndexChanged.connect(self._show_fields)
        self.save_button.clicked.connect(self._save)
        self.check.clicked.connect(self._check)
        self.sync.clicked.connect(self._sync)
        keeping = self.session.housekeeping()
        keeping.sync_progress.connect(self._progress)
        keeping.sync_done.connect(self._done)
        keeping.portal_checked.connect(self._checked)
        self._show_fields()
        self._show_status()

    def _show_fields(self) -> None:
        """Only the account fields of the chosen dialect, with their own words."""
        wanted = ACCOUNT_FIELDS[self.dialect.currentData()]
        for name, widget in self.fields.items():
            self.form.setRowVisible(widget, name in wanted)
            self.form.setRowVisible(self.errors[name], name in wanted)
        keep = self._has_secret and self.dialect.currentData() == self._saved_dialect()
        self.secret.setPlaceholderText(self.tr("để trống để giữ mật khẩu đã lưu") if keep else "")

    def _saved_dialect(self) -> str:
        return gateway.portal_form(self.session.ctx()).dialect

    def _form(self) -> PortalForm:
        wanted = ACCOUNT_FIELDS[self.dialect.currentData()]
        return PortalForm(
            portal_url=self.portal.text().strip(),
            dialect=self.dialect.currentData(),
            **{n: self.fields[n].text() for n in wanted if n != "secret"},
        )  # fmt: skip

    def _save(self) -> None:
        form, secret = self._form(), self.secret.text()
        if self.save(lambda ctx: gateway.save_portal(ctx, form, secret=secret),
                     self.tr("Đã lưu kết nối Cổng.")):  # fmt: skip
            self._has_secret = self._has_secret or bool(secret)
            self.secret.clear()
            self._show_fields()

    def _check(self) -> None:
        for label in self.errors.values():
            show_field_error(label, "")
        self.check.setEnabled(False)
        self.check_result.setProperty("role", "hint")
        self.check_result.setText(self.tr("Đang kiểm tra kết nối…"))
        self.session.housekeeping().check_portal(self._form(), self.secret.text(),
                                                 self.session.actor)  # fmt: skip

    def _checked(self, outcome) -> None:
        """A CheckResult, or the error that stopped the check (a field to fix)."""
        self.check.setEnabled(True)
        if isinstance(outcome, ValidationError):
            label = self.errors.get(outcome.field or "") or self.errors["portal_url"]
            show_field_error(label, error_text(outcome))
            self.check_result.clear()
            return
        if isinstance(outcome, Exception):
            ok = False
            text = error_text(outcome) if isinstance(outcome, DomainError) else str(outcome)
        else:
            text, ok = outcome.message(current_language()), outcome.outcome is LinkCheck.OK
        self.check_result.setText(("✓ " if ok else "✗ ") + text)
        self.check_result.setProperty("role", "ok" if ok else "error")
        self.check_result.setStyleSheet(f"color: {'#1b5e20' if ok else '#b3261e'};")

    def _show_status(self) -> None:
        ctx = self.session.ctx()
        status = gateway.sync_status(ctx)
        self.last.setText(f"{status.last_ok:%H:%M %d/%m/%Y}" if status.last_ok
                          else self.tr("chưa lần nào"))  # fmt: skip
        oldest = age_text(ctx.now() - status.oldest) if status.oldest else "—"
        text = self.tr("{n} (cũ nhất {age})").format(n=number(status.waiting), age=oldest)
        if status.conflicts:
            text += self.tr(" · %Ln khác biệt với Cổng cần xem", "", status.conflicts)
        self.waiting.setText(text)

    def _sync(self) -> None:
        if not self._saved_url():
            show_field_error(self.errors["portal_url"],
                             self.tr("Hãy nhập và lưu địa chỉ Cổng trước."))  # fmt: skip
            return
        if self.session.housekeeping().sync_now():
            self.sync.setEnabled(False)
            self.progress.setRange(0, 0)
            self.progress.show()

    def _saved_url(self) -> str:
        return gateway.portal_form(self.session.ctx()).portal_url

    def _progress(self, phase: str, done: int, total: int) -> None:
        if phase == "push" and total:
            self.progress.setRange(0, total)
            self.progress.setValue(done)

    def _done(self, report) -> None:
        self.sync.setEnabled(True)
        self.progress.hide()
        if isinstance(report, str):
            self.message.error(self.tr("Đồng bộ lỗi: {error}").format(error=report))
        elif report.ok:
            self.message.ok(self.tr("Đồng bộ xong: gửi {pushed}, nhận {pulled}.").format(
                pushed=report.pushed, pulled=report.pulled))  # fmt: skip
        else:
            self.message.error(self.tr("Chưa kết nối được Cổng: {error}").format(
                error=report.error))  # fmt: skip
        self._show_status()

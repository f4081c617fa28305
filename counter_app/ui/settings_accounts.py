"""Settings › Tài khoản: the station's accounts with the officer's full name and title, as
every printed form shows them, and a new account. Passwords are set here only for a new
account; the rules (a proper name, a title's length, the admin's permission) are the
services' own (services/accounts.py)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
)

from counter_app.core.errors import DomainError, ValidationError
from counter_app.core.roles import ROLE_NAMES, Role
from counter_app.ui import gateway
from counter_app.ui.i18n import error_text, pick
from counter_app.ui.settings_page import SettingsPage
from counter_app.ui.widgets import button, show_field_error


class AccountsPage(SettingsPage):
    def load(self) -> None:
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Tài khoản"), self.tr("Vai trò"), self.tr("Họ và tên"), self.tr("Chức danh")]
        )
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setMinimumHeight(160)
        self.table.itemSelectionChanged.connect(self._selected)
        self.form.addRow(self.table)
        self.full_name = QLineEdit()
        self.full_name.setPlaceholderText(self.tr("in trên các phiếu, ví dụ Nguyễn Thị Đường"))
        self.title = QLineEdit()
        self.title.setPlaceholderText(self.tr("ví dụ Công chức Tư pháp - Hộ tịch"))
        self.row(self.tr("Họ và tên:"), self.full_name, "full_name")
        self.row(self.tr("Chức danh:"), self.title, "title")
        self.save_button = button(self.tr("Lưu họ tên, chức danh"), role="primary")
        self.save_button.setEnabled(False)
        self.save_button.clicked.connect(self._save)
        self.buttons(self.save_button, hint=self.tr("Chọn một tài khoản trong bảng để sửa."))
        self.form.addRow(QLabel(self.tr("<b>Tạo tài khoản mới</b>")))
        self.username = QLineEdit()
        self.username.setPlaceholderText(self.tr("chữ thường không dấu, ví dụ canbo.duong"))
        self.role = QComboBox()
        for role in (Role.CLERK, Role.VOLUNTEER, Role.ADMIN):
            self.role.addItem(pick(*ROLE_NAMES[role]), role)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.Password)
        self.new_full_name = QLineEdit()
        self.new_title = QLineEdit()
        self.row(self.tr("Tên đăng nhập:"), self.username, "username")
        self.row(self.tr("Vai trò:"), self.role)
        self.row(self.tr("Mật khẩu:"), self.password, "password")
        self.row(self.tr("Họ và tên:"), self.new_full_name, "new_full_name")
        self.row(self.tr("Chức danh:"), self.new_title, "new_title")
        self.add_button = button(self.tr("Tạo tài khoản"))
        self.add_button.clicked.connect(self._add)
        self.buttons(self.add_button)
        self.users: list = []
        self._fill()

    def _fill(self, keep: str = "") -> None:
        self.users = gateway.list_users(self.session.ctx())
        self.table.setRowCount(len(self.users))
        for i, user in enumerate(self.users):
            cells = (user.username, pick(*ROLE_NAMES[user.role]), user.full_name, user.title)
            for j, text in enumerate(cells):
                self.table.setItem(i, j, QTableWidgetItem(text))
            if user.username == keep:
                self.table.selectRow(i)

    def selected(self):
        rows = self.table.selectionModel().selectedRows()
        return self.users[rows[0].row()] if rows else None

    def _selected(self) -> None:
        user = self.selected()
        self.save_button.setEnabled(user is not None)
        self.full_name.setText(user.full_name if user else "")
        self.title.setText(user.title if user else "")

    def _save(self) -> None:
        user = self.selected()
        if user is None:
            return
        name, title = self.full_name.text(), self.title.text()
        if self.save(lambda ctx: gateway.update_user(ctx, username=user.username,
                                                     full_name=name, title=title),
                     self.tr("Đã lưu họ tên, chức danh của {user}.").format(
                         user=user.username)):  # fmt: skip
            self._fill(keep=user.username)

    def _add(self) -> None:
        """A new account; a refusal goes under the new account's own field (the services
        name the fields `full_name` and `title`, as for the account being edited)."""
        new_fields = {"username": "username", "password": "password",
                      "full_name": "new_full_name", "title": "new_title"}  # fmt: skip
        for label in self.errors.values():
            show_field_error(label, "")
        username = self.username.text()
        try:
            gateway.add_user(self.session.ctx(), username=username,
                             role=self.role.currentData(), password=self.password.text(),
                             full_name=self.new_full_name.text(),
                             title=self.new_title.text())  # fmt: skip
        except ValidationError as error:
            label = self.errors[new_fields.get(error.field or "", "password")]
            show_field_error(label, error_text(error))
            self.message.error(self.tr("Chưa lưu: hãy sửa ô có thông báo đỏ."))
            return
        except DomainError as error:
            self.message.error(error_text(error))
            return
        self.message.ok(self.tr("Đã tạo tài khoản {user}.").format(user=username))
        for field in (self.username, self.password, self.new_full_name, self.new_title):
            field.clear()
        self._fill(keep=username.strip().lower())

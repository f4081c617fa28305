"""Login and the idle lock: the same form, the lock keeps the user and asks only the password.

The form is the first window's only content: it reaches no `Qt` namespace enum (94 Python
enums made at the first touch, ~40 ms) and nothing of the store, which come after its paint.
"""

from __future__ import annotations

import threading
import time

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from counter_app.core.errors import DomainError
from counter_app.ui.i18n import error_text, pick
from counter_app.ui.widgets import button, field_error_label, show_field_error


class LoginWidget(QWidget):
    signed_in = Signal(object)  # Actor
    # While the password is checked on a thread of its own: the UI thread is free meanwhile
    # to make what signing in shows (the window builds the counter page).
    checking = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.session = None  # set by `attach` once the store is open
        self.locked_user: str | None = None
        self.last_check_s = 0.0  # how long the last password check took (the bench reads it)
        self.enter_waiting = False  # Enter pressed before the store was open: see _submit
        self.title = QLabel(self.tr("Đăng nhập"))
        self.title.setProperty("role", "title")
        self.center = QLabel(self.tr("Đang mở dữ liệu…"))
        self.center.setProperty("role", "subtitle")
        self.center.setWordWrap(True)
        self.username = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.Password)
        self.error = field_error_label()
        self.submit = button(self.tr("Đăng nhập"), role="primary")
        self.submit.setEnabled(False)
        self.demo = QLabel()
        self.demo.setWordWrap(True)
        self.demo.setProperty("role", "hint")

        card = QFrame()
        card.setProperty("role", "card")
        card.setFixedWidth(520)
        form = QFormLayout()
        form.addRow(self.tr("Tên đăng nhập:"), self.username)
        form.addRow(self.tr("Mật khẩu:"), self.password)
        inner = QVBoxLayout(card)
        inner.setContentsMargins(28, 24, 28, 24)
        inner.addWidget(self.title)
        inner.addWidget(self.center)
        inner.addSpacing(10)
        inner.addLayout(form)
        inner.addWidget(self.error)
        inner.addWidget(self.submit)
        inner.addSpacing(8)
        inner.addWidget(self.demo)
        middle = QHBoxLayout()  # centred by stretches: an alignment flag is a `Qt` enum
        middle.addStretch(1)
        middle.addWidget(card)
        middle.addStretch(1)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addLayout(middle)
        outer.addStretch(2)

        self.username.returnPressed.connect(self.password.setFocus)
        self.password.returnPressed.connect(self._submit)
        self.submit.clicked.connect(self._submit)
        self.username.setFocus()

    def attach(self, session, *, demo_accounts: dict | None = None) -> None:
        self.session = session
        self.center.setText(session.station.center_name)
        self.submit.setEnabled(True)
        if self.enter_waiting:  # once the window has the rest of the store (its next turn)
            from PySide6.QtCore import QTimer

            QTimer.singleShot(0, self._submit_waiting)
        if demo_accounts:
            from PySide6.QtCore import Qt

            from counter_app.core.roles import ROLE_NAMES

            self.demo.setTextFormat(Qt.RichText)
            rows = "".join(
                f"<tr><td>{pick(*ROLE_NAMES[role])}</td><td><b>{name}</b></td>"
                f"<td><b>{password}</b></td></tr>"
                for name, (role, password) in demo_accounts.items()
            )
            heads = (self.tr("Vai trò"), self.tr("Tên đăng nhập"), self.tr("Mật khẩu"))
            cells = "".join(f"<th align='left'>{h}</th>" for h in heads)
            self.demo.setText(
                self.tr("Dữ liệu mẫu – các tài khoản thử:")
                + f"<table cellspacing='6'><tr>{cells}</tr>{rows}</table>"
            )

    def lock(self, username: str) -> None:
        self.locked_user = username
        self.title.setText(self.tr("Màn hình đã khóa"))
        self.username.setText(username)
        self.username.setEnabled(False)
        self.password.clear()
        show_field_error(self.error, "")
        self.password.setFocus()

    def unlock_form(self) -> None:
        self.locked_user = None
        self.title.setText(self.tr("Đăng nhập"))
        self.username.setEnabled(True)
        self.username.clear()
        self.password.clear()

    def _submit_waiting(self) -> None:
        if self.enter_waiting:  # not signed in meanwhile by another Enter
            self._submit()

    def _submit(self) -> None:
        """The form is typed into from its first paint, the store opens meanwhile: an Enter
        pressed before that is kept and signs in once the store is there, once however often
        it was pressed (one check, one failure counted), with what the fields hold then."""
        if self.session is None:
            self.enter_waiting = True
            return
        self.enter_waiting = False
        try:
            from counter_app.ui import gateway  # late: the window first

            started = time.perf_counter()
            actor = gateway.login(
                self.session.store,
                username=self.username.text(),
                password=self.password.text(),
                now=self.session.now(),
                verify=self._verify_aside,
            )
        except DomainError as error:
            self.last_check_s = time.perf_counter() - started
            show_field_error(self.error, error_text(error))
            self.password.selectAll()
            self.password.setFocus()
            return
        self.last_check_s = time.perf_counter() - started
        if self.locked_user and actor.username != self.locked_user:
            show_field_error(self.error, self.tr("Màn hình đang khóa cho tài khoản khác."))
            return
        show_field_error(self.error, "")
        self.password.clear()
        self.signed_in.emit(actor)

    def _verify_aside(self, password: str, stored: str) -> bool:
        """The password check (scrypt: slow on purpose, and it lets other threads run) on a
        thread of its own, joined before the answer is used: the UI thread builds meanwhile
        what signing in shows (`checking`) instead of waiting. A real user has typed for a
        second or more and the page is built by then; one who signs in at once gains it."""
        from counter_app.core.passwords import verify_password

        answer = [False]

        def check() -> None:
            answer[0] = verify_password(password, stored)

        worker = threading.Thread(target=check, name="password-check")
        worker.start()
        try:
            self.checking.emit()
        finally:
            worker.join()
        return answer[0]

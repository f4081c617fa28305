"""Login and the idle lock: the same form, the lock keeps the user and asks only the password."""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from counter_app.core.errors import DomainError
from counter_app.core.roles import ROLE_NAMES
from counter_app.ui.i18n import error_text, pick
from counter_app.ui.widgets import button, field_error_label, show_field_error

IDLE_LOCK_MINUTES = 10


class LoginWidget(QWidget):
    signed_in = Signal(object)  # Actor

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.session = None  # set by `attach` once the store is open
        self.locked_user: str | None = None
        self.last_check_s = 0.0  # how long the last password check took (the bench reads it)
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
        self.demo.setTextFormat(Qt.RichText)
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
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(card, 0, Qt.AlignHCenter)
        outer.addStretch(2)

        self.username.returnPressed.connect(self.password.setFocus)
        self.password.returnPressed.connect(self._submit)
        self.submit.clicked.connect(self._submit)
        self.username.setFocus()

    def attach(self, session, *, demo_accounts: dict | None = None) -> None:
        self.session = session
        self.center.setText(session.station.center_name)
        self.submit.setEnabled(True)
        if demo_accounts:
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

    def _submit(self) -> None:
        if self.session is None:
            return
        try:
            from counter_app.ui import gateway  # late: the window first

            started = time.perf_counter()
            actor = gateway.login(
                self.session.store,
                username=self.username.text(),
                password=self.password.text(),
                now=self.session.now(),
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


class IdleWatcher(QObject):
    """Emits `idle` after minutes without a key or a mouse click anywhere in the program."""

    idle = Signal()
    _INPUT = {QEvent.KeyPress, QEvent.MouseButtonPress, QEvent.Wheel, QEvent.TouchBegin}

    def __init__(self, minutes: float = IDLE_LOCK_MINUTES, parent=None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self, singleShot=True, interval=int(minutes * 60_000))
        self.timer.timeout.connect(self.idle)
        self._watching = False

    # The application-wide filter goes in only once the page shown on signing in has
    # painted: a Python filter sees every event, and each widget class it sees for the first
    # time is set up for Python then (its enums made one by one: about 100 ms for the
    # counter page). Before the next turn of the event loop no key or click can arrive.
    def watch(self) -> None:
        if not self._watching:
            QApplication.instance().installEventFilter(self)
            self._watching = True

    def start(self) -> None:
        self.timer.start()
        QTimer.singleShot(0, self, self._watch_if_started)

    def _watch_if_started(self) -> None:
        if self.timer.isActive():  # not stopped (locked, signed out) in between
            self.watch()

    def stop(self) -> None:
        self.timer.stop()
        if self._watching:
            QApplication.instance().removeEventFilter(self)
            self._watching = False

    def eventFilter(self, obj, event) -> bool:  # noqa: N802
        if event.type() in self._INPUT and self.timer.isActive():
            self.timer.start()
        return False

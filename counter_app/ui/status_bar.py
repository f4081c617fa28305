"""The status bar of every clerk window: portal link, records waiting to sync, printer."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QLabel, QStatusBar

from counter_app.ui import gateway
from counter_app.ui.session import Session

ONLINE_WITHIN = timedelta(minutes=10)


def age_text(age: timedelta) -> str:
    minutes = int(age.total_seconds() // 60)
    if minutes < 60:
        return QCoreApplication.translate("Age", "{n} phút").format(n=max(minutes, 0))
    if minutes < 48 * 60:
        return QCoreApplication.translate("Age", "{n} giờ").format(n=minutes // 60)
    return QCoreApplication.translate("Age", "{n} ngày").format(n=minutes // (24 * 60))


class StationStatusBar(QStatusBar):
    def __init__(self, session: Session, parent=None) -> None:
        super().__init__(parent)
        self._session = session
        self.link = QLabel()
        self.outbox = QLabel()
        self.printer = QLabel()
        self.user = QLabel()
        for label in (self.link, self.outbox, self.printer):
            self.addWidget(label)
        self.addPermanentWidget(self.user)
        self._timer = QTimer(self, interval=15_000)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()
        session.queue_changed.connect(self.refresh)
        session.dossiers_changed.connect(self.refresh)
        session.actor_changed.connect(self.refresh)

    def refresh(self) -> None:
        session = self._session
        ctx = session.ctx()
        now = session.now()
        status = gateway.sync_status(ctx)
        online = status.last_ok is not None and now - status.last_ok <= ONLINE_WITHIN
        self.link.setText(
            self.tr("● Trực tuyến") if online else self.tr("○ Ngoại tuyến (làm việc bình thường)")
        )
        self.link.setStyleSheet("color: #1b7f3b;" if online else "color: #a15c00;")
        if status.waiting:
            oldest = age_text(now - status.oldest) if status.oldest else "—"
            text = self.tr("Chờ đồng bộ: {n} bản ghi, cũ nhất {age}").format(
                n=status.waiting, age=oldest
            )
        else:
            text = self.tr("Đã đồng bộ hết")
        if status.attention:
            text += self.tr(" · {n} cần quản trị xem").format(n=status.attention)
        self.outbox.setText(text)
        printer = gateway.printer_status(ctx)
        if not printer.configured:
            self.printer.setText(self.tr("Máy in: chưa cài đặt (xem trước trên màn hình)"))
        elif printer.ready:
            self.printer.setText(self.tr("Máy in: sẵn sàng"))
        else:
            self.printer.setText(
                self.tr("Máy in: không sẵn sàng, {n} phiếu đang chờ in").format(n=printer.queued)
            )
        self.user.setText(
            self.tr("{user} · {time}").format(user=session.actor.username, time=_clock(now))
        )


def _clock(now: datetime) -> str:
    return f"{now:%H:%M %d/%m/%Y}"

"""The status bar of every clerk window: portal link, records waiting to sync, printer.

The indicators are permanent widgets: a passing message ("Đã in…") takes the left part of
the bar and never hides the link, the sync or the printer. The printer state comes from the
spool (read on the printing thread); a click on it opens the stuck jobs. "Đồng bộ ngay" runs
a sync on the housekeeping thread, and the bar says its phase and counts. Records the
portal set aside are counted in red; a click lists why and what to do.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QStatusBar,
    QVBoxLayout,
)

from counter_app.ui import gateway, printing
from counter_app.ui.i18n import current_language, number
from counter_app.ui.session import Session

ONLINE_WITHIN = timedelta(minutes=10)


def age_text(age: timedelta) -> str:
    minutes = int(age.total_seconds() // 60)
    if minutes < 60:
        return QCoreApplication.translate("Age", "%n phút", "", max(minutes, 0))
    if minutes < 48 * 60:
        return QCoreApplication.translate("Age", "%n giờ", "", minutes // 60)
    return QCoreApplication.translate("Age", "%n ngày", "", minutes // (24 * 60))


class StationStatusBar(QStatusBar):
    online_requested = Signal()  # the count of online dossiers was clicked: open their page

    def __init__(self, session: Session, parent=None) -> None:
        super().__init__(parent)
        # Text-high buttons: the page's own buttons' 40 px made the bar 45 px, a screen line
        # a 1024x600 PC cannot spare.
        self.setStyleSheet("QStatusBar QPushButton { padding: 2px 10px; min-height: 24px; }")
        self._session = session
        self._named = ("", "")  # (login, full name) of the signed-in officer
        self.link = QLabel()
        self.center = QLabel()
        self.center.hide()
        self.outbox = QLabel()
        self.set_aside = _link_button("color: #b3261e; font-weight: bold;")
        self.set_aside.hide()
        self.set_aside.clicked.connect(self.show_set_aside)
        self.printer = _link_button()
        self.printer.clicked.connect(self.show_stuck)
        self.sync_phase = QLabel()
        self.sync_phase.hide()
        self.sync_button = QPushButton(self.tr("Đồng bộ ngay"))
        self.sync_button.setFocusPolicy(Qt.NoFocus)
        self.sync_button.clicked.connect(self.sync_now)
        self.progress = QProgressBar()
        self.progress.setFixedWidth(100)
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.room = QLabel()  # free space on the store's disk, when it runs low
        self.room.setStyleSheet("color: #b3261e; font-weight: bold;")
        self.room.hide()
        self.online = _link_button("color: #0b5cad; font-weight: bold;")
        self.online.setObjectName("online-count")
        self.online.hide()
        self.online.clicked.connect(self.online_requested)
        self.user = QLabel()
        for widget in (self.room, self.online, self.center, self.link, self.outbox, self.set_aside,
                       self.sync_phase, self.progress, self.sync_button, self.printer,
                       self.user):  # fmt: skip
            self.addPermanentWidget(widget)
        self.stuck_dialog: StuckJobsDialog | None = None
        self.set_aside_dialog: SetAsideDialog | None = None
        self.printing = session.printing()
        self._forms = printing.form_printer(session)  # the PC's printer for official forms
        # Bound methods, not lambdas: Qt drops them with this bar when its window goes.
        self.printing.state_changed.connect(self._show_printer)
        self.printing.printed.connect(self._printed)
        self.printing.failed.connect(self._failed)
        self.housekeeping = session.housekeeping()
        self.housekeeping.sync_progress.connect(self._sync_progress)
        self.housekeeping.sync_done.connect(self._sync_done)
        self.housekeeping.backup_done.connect(self._backed_up)
        self._show_printer()
        watch = session.center()
        if watch is not None:
            watch.state_changed.connect(self._show_center)
        self._timer = QTimer(self, interval=15_000)  # runs while the bar is shown
        self._timer.timeout.connect(self.refresh)
        session.changed.connect(self.refresh)
        session.actor_changed.connect(self.show_officer)  # the rest does not depend on who

    def showEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().showEvent(event)
        self._timer.start()

    def hideEvent(self, event) -> None:  # noqa: N802
        self._timer.stop()  # a closed window reads nothing more from its store
        super().hideEvent(event)

    def refresh(self, _changes=None) -> None:
        self._show_station()
        self.show_officer()

    def _show_station(self) -> None:
        """The link, the records waiting to sync, the disk, the printer: the station's."""
        session = self._session
        ctx = session.ctx()
        now = session.now()
        status = gateway.sync_status(ctx)
        online = status.last_ok is not None and now - status.last_ok <= ONLINE_WITHIN
        self.link.setText(self.tr("● Trực tuyến") if online else self.tr("○ Ngoại tuyến"))
        self.link.setToolTip(
            self.tr("Có kết nối Cổng trong 10 phút qua.") if online
            else self.tr("Chưa kết nối được Cổng. Mọi việc vẫn làm bình thường; dữ liệu được "
                         "gửi lên khi có mạng.")
        )  # fmt: skip
        self.link.setStyleSheet("color: #1b7f3b;" if online else "color: #a15c00;")
        if status.waiting:
            oldest = age_text(now - status.oldest) if status.oldest else "—"
            self.outbox.setText(self.tr("Chờ đồng bộ: %Ln bản ghi", "", status.waiting))
            self.outbox.setToolTip(self.tr("Bản ghi cũ nhất đã chờ {age}.").format(age=oldest))
        else:
            self.outbox.setText(self.tr("Đã đồng bộ hết"))
            self.outbox.setToolTip("")
        self.set_aside.setText(self.tr("%Ln bản ghi bị Cổng để riêng", "", status.attention))
        self.set_aside.setToolTip(
            self.tr("Cổng không nhận các bản ghi này; chúng không được gửi lại tự động. "
                    "Bấm để xem lý do và việc cần làm.")
        )  # fmt: skip
        self.set_aside.setVisible(bool(status.attention))
        self.sync_button.setVisible(self._portal_known())
        # a center's stations reach the portal through the hub: its indicator is the center's
        if session.station.in_center and session.station.role != "hub":
            for widget in (self.link, self.outbox, self.set_aside, self.sync_button):
                widget.hide()
        self._show_room(gateway.low_room(ctx))
        self._forms = printing.form_printer(session)
        self._show_printer()

    def show_officer(self) -> None:
        """Who is signed in, and the online dossiers waiting for them if they may check."""
        session = self._session
        now = session.now()
        self._show_online(session.ctx())
        if session.signed_in:
            self.user.setText(
                self.tr("{user} · {time}").format(user=self._officer(session), time=_clock(now))
            )
        else:  # before a login or after a sign-out: the time only, never "kiosk"
            self.user.setText(_clock(now))

    def _show_room(self, free: int | None) -> None:
        """Below ten days of intake's room, the free space in red, before the disk fills."""
        self.room.setVisible(free is not None)
        if free is not None:
            size = number(round(free / 1_000_000))
            self.room.setText(self.tr("Ổ đĩa còn trống {size} MB").format(size=size))
            self.room.setToolTip(
                self.tr("Ổ đĩa chứa dữ liệu sắp đầy. Hãy giải phóng chỗ trống (xóa tệp không "
                        "cần, chuyển bản sao lưu cũ sang ổ khác) trước khi ổ đầy.")
            )  # fmt: skip

    def _show_online(self, ctx) -> None:
        """Online dossiers waiting for a clerk's check, to an account that may check them;
        read with every refresh, so it follows the page's decisions and each sync."""
        session = self._session
        may_check = session.signed_in and gateway.may_check_online(session.actor)
        self.show_online_count(gateway.online_waiting(ctx) if may_check else 0)

    def show_online_count(self, waiting: int) -> None:
        """Also told by the online page each time it reads its list."""
        self.online.setVisible(waiting > 0)
        self.online.setText(self.tr("%Ln hồ sơ trực tuyến chờ kiểm tra", "", waiting))
        self.online.setToolTip(self.tr("Bấm (hoặc Ctrl+5) để mở trang Hồ sơ trực tuyến."))

    def _officer(self, session) -> str:
        """The signed-in officer's full name (their login until one is set), read once."""
        username = session.actor.username
        if self._named[0] != username:
            from counter_app.ui import gateway

            self._named = (username, gateway.officer_name(session.ctx(), username))
        return self._named[1]

    def _show_center(self, state) -> None:
        """A station of a center says plainly whether it is cut off, since when, and that
        it goes on working."""
        self.center.show()
        if state.revoked_at is not None:  # not a cut: the hub removed this PC, it stopped
            self.center.setText(
                self.tr("⛔ Máy này đã bị thu hồi khỏi trung tâm ({at})").format(
                    at=_clock(state.revoked_at)
                )
            )
            self.center.setToolTip(
                self.tr("Quản trị viên đã thu hồi máy này khỏi trung tâm; máy đã dừng làm "
                        "việc với hàng chờ chung. Hãy báo quản trị viên; muốn dùng lại, máy "
                        "phải tham gia lại bằng mã mới.")
            )  # fmt: skip
            self.center.setStyleSheet("color: #b00020; font-weight: bold;")
            self._say_revoked()
            return
        if state.reachable:
            self.center.setText(self.tr("● Đã nối trung tâm"))
            self.center.setStyleSheet("color: #1b7f3b;")
            return
        since = _clock(state.cut_since) if state.cut_since else "—"
        self.center.setText(
            self.tr("○ Mất kết nối trung tâm từ {since}").format(since=since)
            + self.tr(" · %Ln bản ghi chờ gửi", "", state.waiting)
        )
        self.center.setStyleSheet("color: #b00020; font-weight: bold;")

    def _say_revoked(self) -> None:
        """The command line's own sentence, in the bar until another message replaces it."""
        from counter_app.services.context import revoked_error
        from counter_app.ui.i18n import error_text

        revoked = revoked_error(self._session.store)
        if revoked is not None:
            self.showMessage(error_text(revoked))

    def _portal_known(self) -> bool:
        return bool((self._session.store.settings.get("sync", {}) or {}).get("portal_url"))

    def _failed(self, text: str) -> None:
        self.showMessage(text, 10_000)

    def _backed_up(self, path: str) -> None:
        self.showMessage(self.tr("Đã sao lưu: {path}").format(path=path), 8000)

    def _show_printer(self, _state=None) -> None:
        state = self.printing.state
        forms = self._forms  # read with the rest in refresh(): the queue may outlive the store
        alarm = state.configured and (state.stuck or state.reachable is False)
        tip = self.tr("Bấm để xem các lệnh in chưa xong, in lại hoặc hủy.")
        if not state.configured and forms:  # forms on the PC's printer, no thermal one
            from counter_app.ui.system_print import system_printers

            installed = forms in system_printers()
            text = (
                self.tr("Máy in giấy tờ: {name}")
                if installed
                else self.tr("Máy in giấy tờ: không thấy «{name}»")
            ).format(name=forms)
            alarm = not installed
        elif not state.configured:
            text = self.tr("Máy in: chưa cài đặt")
            tip = self.tr("Phiếu và giấy hẹn hiện trên màn hình để xem trước.")
        elif state.stuck:
            text = self.tr("Máy in: %Ln lệnh in chưa xong", "", state.stuck)
        elif state.reachable is False:
            text = self.tr("Máy in: không kết nối")
        elif state.reachable is None:  # not asked yet, or a USB/serial printer
            text = self.tr("Máy in: chưa kiểm tra được")
        else:  # only when the printer answered just now
            text = self.tr("Máy in: sẵn sàng")
        self.printer.setText(text)
        self.printer.setToolTip(tip)
        self.printer.setStyleSheet(
            "QPushButton { border: none; background: transparent; padding: 0 4px; %s }"
            % ("color: #b3261e; font-weight: bold;" if alarm else "")
        )

    def _printed(self, printed) -> None:
        if printed.ok:
            self.showMessage(self.tr("Đã in: {title}").format(title=printed.title), 8000)
        else:
            self.showMessage(
                self.tr("Chưa in được {title}: lệnh in đang chờ máy in.").format(
                    title=printed.title
                ),
                10_000,
            )

    def show_stuck(self) -> StuckJobsDialog:
        if self.stuck_dialog is None:
            self.stuck_dialog = StuckJobsDialog(self.printing, self.window())
        self.stuck_dialog.reload()
        self.stuck_dialog.show()
        self.stuck_dialog.raise_()
        return self.stuck_dialog

    def show_set_aside(self) -> SetAsideDialog:
        if self.set_aside_dialog is None:
            self.set_aside_dialog = SetAsideDialog(self.window())
        self.set_aside_dialog.fill(gateway.set_aside(self._session.ctx()))
        self.set_aside_dialog.show()
        self.set_aside_dialog.raise_()
        return self.set_aside_dialog

    def sync_now(self) -> None:
        if self.housekeeping.sync_now():
            self.sync_button.setEnabled(False)
            self._sync_progress("start", 0, 0)

    def _sync_progress(self, phase: str, done: int, total: int) -> None:
        """The phase and its counts in words, beside a bar that fills while sending."""
        if phase == "push" and total:
            self.progress.setRange(0, total)
            self.progress.setValue(done)
            text = self.tr("Đang gửi {done}/{total} bản ghi").format(
                done=number(done), total=number(total))  # fmt: skip
        elif phase == "pull":
            self.progress.setRange(0, 0)
            text = self.tr("Đang nhận thay đổi từ Cổng: %Ln", "", done)
        else:
            self.progress.setRange(0, 0)  # busy until the first count arrives
            text = self.tr("Đang kết nối Cổng…")
        self.sync_phase.setText(text)
        self.outbox.hide()  # the phase says more while it runs
        self.sync_phase.show()
        self.progress.show()

    def _sync_done(self, report) -> None:
        self.sync_button.setEnabled(True)
        self.progress.hide()
        self.sync_phase.hide()
        self.outbox.show()
        if isinstance(report, str):
            self.showMessage(self.tr("Đồng bộ lỗi: {error}").format(error=report), 10_000)
        elif report.ok:
            self.showMessage(
                self.tr("Đồng bộ xong: gửi {pushed}, nhận {pulled}.").format(
                    pushed=report.pushed, pulled=report.pulled
                ),
                8000,
            )
        else:
            self.showMessage(
                self.tr("Chưa kết nối được Cổng: {error}").format(error=report.error), 10_000
            )
        self.refresh()


class SetAsideDialog(QDialog):
    """Records the portal set aside: which dossier, why, and what to do, in words."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Bản ghi bị Cổng để riêng"))
        self.resize(720, 360)
        self.intro = QLabel(
            self.tr("Cổng không nhận các bản ghi dưới đây. Chúng được giữ nguyên trên máy này "
                    "và không tự gửi lại cho đến khi quản trị viên gửi lại.")
        )  # fmt: skip
        self.intro.setWordWrap(True)
        self.items = QListWidget()
        self.items.setWordWrap(True)
        self.close_button = QPushButton(self.tr("Đóng"))
        self.close_button.clicked.connect(self.close)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.items, 1)
        layout.addLayout(row)

    def fill(self, items: list) -> None:
        self.items.clear()
        kinds = {"dossier": self.tr("Hồ sơ {id}"), "ticket": self.tr("Lượt lấy số {id}")}
        for item in items:
            what = kinds.get(item.entity, self.tr("Bản ghi {id}")).format(id=item.entity_id)
            self.items.addItem(f"{what}: {item.text(current_language())}")
        if not items:
            self.items.addItem(self.tr("Không còn bản ghi nào bị để riêng."))


class StuckJobsDialog(QDialog):
    """ "Lệnh in bị kẹt": jobs queued, failed or cut off, with retry and cancel."""

    def __init__(self, printing, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Lệnh in bị kẹt"))
        self.resize(640, 360)
        self.printing = printing
        self.jobs = QListWidget()
        self.empty = QLabel(self.tr("Không có lệnh in nào bị kẹt."))
        self.retry = QPushButton(self.tr("In lại"))
        self.cancel = QPushButton(self.tr("Hủy lệnh in"))
        self.close_button = QPushButton(self.tr("Đóng"))
        row = QHBoxLayout()
        row.addWidget(self.retry)
        row.addWidget(self.cancel)
        row.addStretch(1)
        row.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty)
        layout.addWidget(self.jobs, 1)
        layout.addLayout(row)
        self.retry.clicked.connect(lambda: self._act(printing.retry))
        self.cancel.clicked.connect(lambda: self._act(printing.cancel))
        self.close_button.clicked.connect(self.close)
        printing.stuck_loaded.connect(self.fill)
        self.fill([])

    def reload(self) -> None:
        self.printing.load_stuck()

    def fill(self, jobs: list) -> None:
        self.jobs.clear()
        names = {
            "queued": self.tr("chờ máy in"),
            "failed": self.tr("lỗi"),
            "unknown": self.tr("không rõ đã in chưa – xem giấy trước khi in lại"),
        }
        for job in jobs:
            text = self.tr("#{id} {title} – {state} ({at})").format(
                id=job.id, title=job.title, state=names.get(job.state, job.state),
                at=f"{job.created_at:%H:%M %d/%m}",
            )  # fmt: skip
            if job.reason:
                text += f"\n    {job.reason}"
            item = QListWidgetItem(text)
            item.setData(Qt.UserRole, job.id)
            self.jobs.addItem(item)
        self.empty.setVisible(not jobs)
        if jobs:
            self.jobs.setCurrentRow(0)
        for btn in (self.retry, self.cancel):
            btn.setEnabled(bool(jobs))

    def _act(self, action) -> None:
        item = self.jobs.currentItem()
        if item is not None:
            action(int(item.data(Qt.UserRole)))


def _link_button(style: str = "") -> QPushButton:
    """A flat, clickable indicator: text in the bar, a dialog on click, never the focus."""
    btn = QPushButton()
    btn.setFlat(True)
    btn.setCursor(Qt.PointingHandCursor)
    btn.setFocusPolicy(Qt.NoFocus)
    btn.setStyleSheet(
        f"QPushButton {{ border: none; background: transparent; padding: 0 4px; {style} }}"
    )
    return btn


def _clock(now: datetime) -> str:
    return f"{now:%H:%M %d/%m/%Y}"

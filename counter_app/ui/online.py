"""The online dossiers page ("Hồ sơ trực tuyến"): what citizens filed on the portal, waiting
for a clerk to check it and accept it, ask for supplements or refuse it.

Keyboard first, as at the counter: arrows choose a dossier, Tab and Enter open its papers
(F3 the one chosen), F7 accepts, F8 and F9 ask what is missing or why it is refused. Each
decision goes through the one operation helper and the window prints its form (01, 02 or 03)
as after an intake; a printer that fails opens the same dialog, the decision is kept.
"""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QTableWidgetItem, QVBoxLayout, QWidget

from counter_app.core.dossier import Dossier
from counter_app.ui import gateway
from counter_app.ui.online_dialogs import REFUSE, SUPPLEMENT, OnlineReasonDialog
from counter_app.ui.online_view import (
    LEFT,
    NAME,
    PROCEDURE,
    ROUND,
    OnlineView,
    left_text,
    round_text,
)
from counter_app.ui.ops import DOSSIERS, Changes, run_op
from counter_app.ui.session import Session

# The check's clock, as the service grades it: amber when it runs short, red once past.
LEVEL_COLOURS = {"amber": "#a15c00", "red": "#b3261e"}


class OnlineWidget(QWidget):
    decided = Signal(object)  # the Dossier just accepted, sent back or refused: its form prints
    counted = Signal(int)  # how many wait, read with the list: the status bar says it too

    def __init__(self, session: Session, parent=None) -> None:
        super().__init__(parent)
        self._session = session
        self.view = OnlineView(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self.rows: list = []
        self.selected = None
        self.dialog: OnlineReasonDialog | None = None
        self.viewer = None
        v = self.view
        v.table.itemSelectionChanged.connect(self._on_selected)
        v.papers.itemActivated.connect(lambda _item: self.open_paper())
        v.open_paper.clicked.connect(self.open_paper)
        v.accept.clicked.connect(self.accept_selected)
        v.supplement.clicked.connect(lambda: self.ask(SUPPLEMENT))
        v.refuse.clicked.connect(lambda: self.ask(REFUSE))
        v.refresh.clicked.connect(lambda: self.reload())
        self._loaded = False
        # The time left runs while the page is open: read again each minute it is shown.
        self.clock = QTimer(self, interval=60_000)
        self.clock.timeout.connect(lambda: self.reload(keep_message=True))
        session.changed.connect(self._changed)

    def _changed(self, changes) -> None:
        """A decision here, at another counter, or a sync that brought new dossiers."""
        if changes.dossiers and self._loaded:
            self.reload(keep_message=True)

    def showEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().showEvent(event)
        if not self._loaded:
            self._loaded = True
            QTimer.singleShot(0, self.reload)
        self.clock.start()
        self.view.table.setFocus()

    def hideEvent(self, event) -> None:  # noqa: N802 (Qt name)
        self.clock.stop()  # another page, or the screen locked: nothing to keep up
        super().hideEvent(event)

    # --- the list
    def reload(self, *, keep_message: bool = False) -> None:
        """Read the waiting dossiers again; the one chosen stays chosen while it waits."""
        v = self.view
        read = run_op(self._session, gateway.online_dossiers, changes=Changes())  # reads only
        if not read.ok:  # a volunteer (the service says so), or a store that failed
            self._fill([], read.text)
            return
        rows = read.value
        if not keep_message:
            v.message.clear()
        before = self.selected.upstream_code if self.selected is not None else None
        self._fill(rows)
        codes = [r.upstream_code for r in rows]
        if rows:
            v.table.selectRow(codes.index(before) if before in codes else 0)

    def _fill(self, rows: list, error: str = "") -> None:
        v = self.view
        self.rows = rows
        with QSignalBlocker(v.table.selectionModel()):
            v.table.clearSelection()
            v.table.setRowCount(len(rows))
        for n, row in enumerate(rows):
            left, level = self.left_text(row), row.level
            cells = {
                NAME: row.citizen_name,
                PROCEDURE: row.procedure_name,
                ROUND: round_text(row.round),
                LEFT: left,
            }
            for column, text in cells.items():
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                v.table.setItem(n, column, item)
            if level in LEVEL_COLOURS:
                item = v.table.item(n, LEFT)
                item.setForeground(QBrush(QColor(LEVEL_COLOURS[level])))
                font = item.font()
                font.setBold(True)
                item.setFont(font)
        if error:
            v.message.error(error)
            v.empty.setText(self.tr("Không đọc được danh sách hồ sơ trực tuyến."))
        else:
            v.empty.setText(self.tr(
                "Không có hồ sơ trực tuyến nào chờ kiểm tra.\nHồ sơ công dân nộp trên Cổng "
                "dịch vụ công sẽ hiện ở đây sau mỗi lần đồng bộ."))  # fmt: skip
        v.list_or_empty.setCurrentWidget(v.table if rows else v.empty)
        late = sum(1 for r in rows if self.late(r))
        text = self.tr("%n hồ sơ chờ kiểm tra", "", len(rows))
        if late:
            text += " · " + self.tr("%n hồ sơ đã quá hạn kiểm tra", "", late)
        v.count.setText(text)
        v.count.setVisible(bool(rows))  # the empty page says it in words
        self._show(None)
        if not error:
            self.counted.emit(len(rows))

    def late(self, row) -> bool:
        return row.check_due_at is not None and self._session.now() > row.check_due_at

    def left_text(self, row) -> str:
        return left_text(row.time_left, row.level, late=self.late(row), due=row.check_due_at)

    # --- the chosen dossier
    def _on_selected(self) -> None:
        chosen = self.view.table.selectionModel().selectedRows()
        self._show(self.rows[chosen[0].row()] if chosen else None)

    def _show(self, row) -> None:
        v = self.view
        self.selected = row
        v.papers.clear()
        for btn in (v.accept, v.supplement, v.refuse, v.open_paper):
            btn.setEnabled(row is not None)
        if row is None:
            v.detail.setText(self.tr("Chọn một hồ sơ trong danh sách để xem giấy tờ.")
                             if self.rows else "")  # fmt: skip
            return
        lines = [
            f"<b>{row.citizen_name}</b>",
            row.procedure_name,
            self.tr("Mã hồ sơ trên Cổng: {code}").format(code=row.upstream_code),
            " · ".join(filter(None, (self.tr("Nộp lúc {when}").format(
                when=f"{row.submitted_at:%H:%M %d/%m/%Y}"), round_text(row.round)))),
        ]  # fmt: skip
        left = self.left_text(row)
        colour = LEVEL_COLOURS.get(row.level)
        if row.check_due_at is not None:
            lines.append(self.tr("Hạn kiểm tra: {when}").format(
                when=f"{row.check_due_at:%H:%M %d/%m/%Y}"))  # fmt: skip
        lines.append(f"<span style='color:{colour}'><b>{left}</b></span>" if colour else left)
        v.detail.setText("<br>".join(lines))
        for paper in row.papers:
            text = self.tr("{title} · %n trang", "", paper.pages).format(title=paper.title)
            v.papers.addItem(text)
            item = v.papers.item(v.papers.count() - 1)
            item.setData(Qt.UserRole, paper.paper_id)
            item.setData(Qt.UserRole + 1, paper.title)
        if not row.papers:
            v.papers.addItem(self.tr("Công dân chưa đính kèm giấy tờ nào."))
        v.papers.setCurrentRow(0)
        v.open_paper.setEnabled(bool(row.papers))

    def open_paper(self):
        """The chosen paper, drawn on screen from the sealed store (ui/paper_viewer.py)."""
        item = self.view.papers.currentItem()
        paper_id = item.data(Qt.UserRole) if item is not None else None
        if self.selected is None or not paper_id:
            return None
        from counter_app.ui.paper_viewer import PaperViewer

        read = run_op(self._session, lambda ctx: gateway.read_paper(ctx, paper_id),
                      changes=Changes(), report=self.view.message.show_message)  # fmt: skip
        if not read.ok:  # a file the center has not sent yet, a seal that does not open
            return None
        title = f"{self.selected.citizen_name} – {item.data(Qt.UserRole + 1)}"
        self.viewer = PaperViewer(read.value, title, self)
        self.viewer.show()
        return self.viewer

    # --- the decisions
    def accept_selected(self) -> None:
        row = self.selected
        if row is None:
            return
        result = run_op(self._session,
                        lambda ctx: gateway.accept_online(ctx, row.upstream_code),
                        changes=DOSSIERS, report=self.view.message.show_message)  # fmt: skip
        if result.ok:
            said = self.tr("Đã tiếp nhận hồ sơ {code} của Ông/Bà {name}; in giấy hẹn (Mẫu 01).")
            self._done(result.value, said)

    def ask(self, kind: str) -> OnlineReasonDialog | None:
        """The dialog asking what is missing (F8) or why it is refused (F9)."""
        row = self.selected
        if row is None:
            return None
        decide = gateway.supplement_online if kind == SUPPLEMENT else gateway.refuse_online
        said = (
            self.tr("Đã gửi yêu cầu bổ sung hồ sơ {code} của Ông/Bà {name}; in Mẫu 02.")
            if kind == SUPPLEMENT
            else self.tr("Đã từ chối hồ sơ {code} của Ông/Bà {name}; in Mẫu 03.")
        )

        def submit(reason: str) -> str | None:
            result = run_op(self._session,
                            lambda ctx: decide(ctx, row.upstream_code, reason=reason),
                            changes=DOSSIERS)  # fmt: skip
            if not result.ok:
                return result.text
            self._done(result.value, said)
            return None

        self.dialog = OnlineReasonDialog(kind, name=row.citizen_name, procedure=row.procedure_name,
                                         submit=submit, parent=self)  # fmt: skip
        self.dialog.open()
        return self.dialog

    def _done(self, dossier: Dossier, said: str) -> None:
        self.view.message.ok(said.format(code=dossier.code, name=dossier.applicant.full_name))
        self.decided.emit(dossier)
        self.view.table.setFocus()

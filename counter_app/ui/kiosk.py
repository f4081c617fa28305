"""The kiosk: a citizen takes a number (with a priority if they have one) or looks up a dossier.

It acts as the station's kiosk account, shows no personal data, and goes back to its home
screen after a short time without a touch. Everything is on the home screen: tiles named
with the words citizens use ("Khai sinh, kết hôn..."), and the priority choices stating who
qualifies ("từ 60 tuổi trở lên"), so nobody has to find a second page first.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QLayout, QVBoxLayout, QWidget

from counter_app.core.dossier import STATUS_NAMES
from counter_app.core.errors import DomainError
from counter_app.core.queue import kiosk_choices
from counter_app.core.wait import wait_message, wait_text_vi
from counter_app.ui import gateway
from counter_app.ui.i18n import error_text, message_text, pick
from counter_app.ui.kiosk_icons import group_icon
from counter_app.ui.kiosk_view import KioskView, Tile
from counter_app.ui.ops import TICKETS, run_op
from counter_app.ui.session import Session

log = logging.getLogger(__name__)
IDLE_MS = 30_000
TICKET_SHOWN_MS = 12_000
PRINT_WAIT_MS = 8_000  # no word from the printer by then: tell the citizen to remember
_INPUT = {QEvent.MouseButtonPress, QEvent.KeyPress, QEvent.TouchBegin}


class KioskWidget(QWidget):
    ticket_taken = Signal(object)  # gateway TakenTicket

    def __init__(
        self, session: Session, parent=None, *, idle_ms: int = IDLE_MS,
        ticket_ms: int = TICKET_SHOWN_MS,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self._ticket_ms = ticket_ms
        self._idle_ms = idle_ms
        self._session = session
        session.printing()  # learn early whether a printer is set up
        self.view = KioskView(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        # The screen decides the size, not the content: `fit` then sizes the content to it.
        layout.setSizeConstraint(QLayout.SetNoConstraint)
        layout.addWidget(self.view)
        self.priority: str = ""
        self.last_document = None
        self.group_buttons: dict[str, Tile] = {}
        self.priority_buttons: dict[str, Tile] = {}
        self.ask_buttons: dict[str, Tile] = {}  # the same choices, asked after the group
        self._asked_group = ""
        v = self.view
        v.center.setText(session.station.center_name)
        v.lookup.clicked.connect(self._open_lookup)
        v.lookup_back.clicked.connect(self.go_home)
        v.ticket_done.clicked.connect(self.go_home)
        v.search.clicked.connect(self._look_up)
        v.code.returnPressed.connect(self._look_up)
        v.backspace.clicked.connect(lambda: v.code.backspace())
        for key, btn in v.keys.items():
            btn.clicked.connect(lambda _c=False, k=key: v.code.insert(k))
        for key, caption_vi, caption_en in kiosk_choices(session.station.priorities):
            tile = Tile(v, "kiosk-choice")
            tile.set_lines(pick(caption_vi, caption_en))
            tile.setCheckable(True)
            tile.clicked.connect(lambda _c=False, k=key: self._choose_priority(k))
            self.priority_buttons[key] = tile
            asked = Tile(v, "kiosk-choice")
            asked.set_lines(pick(caption_vi, caption_en))
            asked.clicked.connect(lambda _c=False, k=key: self._answer(k))
            self.ask_buttons[key] = asked
        v.set_tiles(v.priority_grid, list(self.priority_buttons.values()))
        v.set_tiles(v.ask_grid, list(self.ask_buttons.values()))
        v.ask_none.clicked.connect(lambda: self._answer(""))
        v.ask_back.clicked.connect(self.go_home)
        # "Vui lòng nhận phiếu" only once the printer took the ticket (printing.printed).
        self._printing_label = ""
        self._print_wait = QTimer(self, singleShot=True, interval=PRINT_WAIT_MS)  # or a fault
        self._print_wait.timeout.connect(lambda: self._show_not_printed())
        session.printing().printed.connect(self._on_printed)
        self._idle = QTimer(self, singleShot=True, interval=idle_ms)
        self._idle.timeout.connect(self.go_home)
        self._clock = QTimer(self, interval=1000)
        self._clock.timeout.connect(self._tick)
        self._watcher = _InputWatcher(self._idle)
        QApplication.instance().installEventFilter(self._watcher)
        self._build_groups()
        self._show_priority()
        self._tick()

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt name)
        self.view.fit(event.size().width(), event.size().height())
        super().resizeEvent(event)

    def showEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().showEvent(event)
        self._clock.start()

    def hideEvent(self, event) -> None:  # noqa: N802
        self._idle.stop()
        self._clock.stop()
        super().hideEvent(event)

    def _build_groups(self) -> None:
        try:
            groups = self._session.kiosk_ctx().catalogue().groups
        except DomainError as error:
            self.view.welcome.setText(error_text(error))
            return
        for group in groups:
            btn = Tile(self.view, "kiosk", group_icon(group.kiosk_icon))
            btn.clicked.connect(lambda _c=False, letter=group.letter: self.choose_group(letter))
            self.group_buttons[group.letter] = btn
        self.view.set_tiles(self.view.group_grid, list(self.group_buttons.values()))
        self._group_names = {g.letter: g.name for g in groups}
        for group in groups:
            self.group_buttons[group.letter].set_lines(
                f"{group.letter}  {group.name}", _words(group.kiosk_words)
            )

    def _tick(self) -> None:
        self.view.clock.setText(f"{self._session.now():%H:%M  %d/%m/%Y}")

    def go_home(self) -> None:
        self.priority = ""
        self._print_wait.stop()
        self._printing_label = ""
        v = self.view
        self._show_priority()
        v.code.clear()
        v.result.clear()
        v.pages.setCurrentWidget(v.home)

    def _choose_priority(self, key: str) -> None:
        """Touching a choice selects it, touching it (or another) again changes it; the
        ticket taken next carries it. It lasts until a ticket or the idle timeout."""
        self.priority = "" if self.priority == key else key
        self._show_priority()
        self._idle.start(self._idle_ms)

    def _show_priority(self) -> None:
        v = self.view
        for key, tile in self.priority_buttons.items():
            chosen = key == self.priority
            tile.setChecked(chosen)
            v.recolor(tile.title, "#ffffff" if chosen else "")
        if self.priority:
            name = self.priority_buttons[self.priority].title.text()
            v.priority_banner.setText(
                self.tr(
                    "Đã chọn: {name}. Xin mời chạm vào lĩnh vực (chạm lại ô đỏ để bỏ chọn)."
                ).format(name=name)
            )
            v.recolor(v.priority_banner, "#b3261e")
        else:
            v.priority_banner.setText(self.tr("Quý khách thuộc diện ưu tiên? Xin chạm chọn trước:"))
            v.recolor(v.priority_banner, "")

    def choose_group(self, letter: str) -> None:
        """A group touched. With a priority chosen first (or none offered) the ticket comes
        at once; otherwise the citizen is asked about priority, one touch more: an elderly
        citizen who read the groups first used to get an ordinary ticket with no way back."""
        if self.priority or not self.ask_buttons:
            self.take(letter)
            return
        self._asked_group = letter
        v = self.view
        v.ask_group.setText(f"{letter}  {self._group_names.get(letter, letter)}")
        v.pages.setCurrentWidget(v.ask_page)
        self._idle.start(self._idle_ms)

    def _answer(self, priority: str) -> None:
        self.take(self._asked_group, priority)

    def take(self, letter: str, priority: str | None = None) -> None:
        """A ticket in `letter`'s group, with `priority` (the one chosen on the home page
        when None)."""
        chosen = self.priority if priority is None else priority
        result = run_op(
            self._session,
            lambda ctx: gateway.take_ticket(ctx, group=letter, priority=chosen),
            changes=TICKETS,
            ctx=self._session.kiosk_ctx(),
            report=lambda text, _kind: self.view.welcome.setText(text),
        )
        if not result.ok:  # said on the home page, whichever page was touched
            self.view.pages.setCurrentWidget(self.view.home)
            return
        taken = result.value
        v, t = self.view, taken.ticket
        v.ticket_number.setText(t.label)
        group = self._group_names.get(t.group, t.group)
        names = {c.key: pick(c.name_vi, c.name_en) for c in self._session.station.priorities}
        if t.priority in names:  # the category's short name: the age was for choosing
            group += "\n" + self.tr("Ưu tiên: {name}").format(name=names[t.priority])
        v.ticket_group.setText(group)
        v.ticket_ahead.setText(
            self.tr("Có %n người đang chờ trước Quý khách", "", taken.ahead)
            if taken.ahead
            else self.tr("Quý khách là người tiếp theo")
        )
        key, params = wait_message(taken.wait_minutes)
        v.ticket_wait.setText(message_text(key, **params))
        v.pages.setCurrentWidget(v.ticket_page)
        self.priority = ""  # the next citizen chooses afresh
        self._show_priority()
        self.last_document = self._ticket_document(taken)
        printing = self._session.printing()
        if printing.state.configured:  # else the ticket is only shown on screen
            self._printing_label = t.label
            v.ticket_hint.setText(self.tr("Đang in phiếu…"))
            self._print_wait.start()
            printing.print_ticket(t.label, self._session.kiosk_actor(),
                                  title=self._print_title(t.label))  # fmt: skip
        else:
            self._printing_label = t.label
            self._show_not_printed()
        self._idle.start(self._ticket_ms)
        self.ticket_taken.emit(taken)

    def _print_title(self, label: str) -> str:
        return self.tr("số {label}").format(label=label)

    def _on_printed(self, printed) -> None:
        if not self._printing_label or printed.title != self._print_title(self._printing_label):
            return  # another window's print job
        if not printed.ok:
            self._show_not_printed()
            return
        self._print_wait.stop()
        self._printing_label = ""
        self.view.ticket_hint.setText(
            self.tr("Vui lòng nhận phiếu và chờ đến khi số của Quý khách được gọi trên màn hình.")
        )

    def _show_not_printed(self) -> None:
        """No slip came out (no printer, a fault, or no answer): the number is on screen."""
        if not self._printing_label:
            return
        self._print_wait.stop()
        self.view.ticket_hint.setText(
            self.tr(
                "Quý khách hãy ghi nhớ số {label} và chờ đến khi số được gọi trên màn hình."
            ).format(label=self._printing_label)
        )
        self._printing_label = ""

    def _ticket_document(self, taken):
        try:
            from printers.documents import Header, ticket_document
        except ImportError:
            return None
        names = {c.key: c.name_vi for c in self._session.station.priorities}
        return ticket_document(
            taken.ticket,
            header=Header.from_station(self._session.station),
            group_name=self._group_names.get(taken.ticket.group, ""),
            ahead=taken.ahead,
            priority_name=names.get(taken.ticket.priority, ""),
            wait_text=wait_text_vi(taken.wait_minutes),
        )

    def _open_lookup(self) -> None:
        v = self.view
        v.code.setText(f"{self._session.station.agency_code}-")
        v.result.clear()
        v.pages.setCurrentWidget(v.lookup_page)
        v.code.setFocus()
        self._idle.start(self._idle_ms)

    def _look_up(self) -> None:
        v = self.view
        try:
            found = gateway.public_status(self._session.kiosk_ctx(), v.code.text())
        except DomainError as error:
            v.result.setText(error_text(error))
            return
        due = f"{found.due_at:%H:%M %d/%m/%Y}" if found.due_at else "—"
        lines = [
            self.tr("Hồ sơ <b>{code}</b>").format(code=found.code),
            found.procedure_name,
            self.tr("Trạng thái: <b>{status}</b>").format(status=pick(*STATUS_NAMES[found.status])),
            self.tr("Hẹn trả kết quả: <b>{due}</b>").format(due=due),
        ]
        if found.overdue:
            lines.append(self.tr("Hồ sơ đã quá hạn; xin mời đến quầy để được giải thích."))
        v.result.setText("<br>".join(lines))

    def closeEvent(self, event) -> None:  # noqa: N802
        QApplication.instance().removeEventFilter(self._watcher)
        super().closeEvent(event)


def _words(words: tuple[str, ...]) -> str:
    """The tile's second line: "Khai sinh, kết hôn, khai tử...", the catalogue's words."""
    return ", ".join(words) + "..." if words else ""


class _InputWatcher(QObject):
    """Any touch or key restarts the countdown back to the home screen."""

    def __init__(self, timer: QTimer) -> None:
        super().__init__()
        self._timer = timer

    def eventFilter(self, obj, event) -> bool:  # noqa: N802
        if event.type() in _INPUT and self._timer.isActive():
            self._timer.start()
        return False

"""The rating screen a citizen touches when they leave the counter: anonymous, and it times out.

Nothing is chosen until the citizen touches a level, and "Gửi đánh giá" stays disabled until
then: a pre-selected "Rất hài lòng" would turn every citizen who walks away into a satisfied
one. The choice clears after each rating and after an idle timeout, so the next citizen never
finds the last one's answer. The rating goes in under the station's kiosk account with the
ticket, never the clerk's name; reports hide per-clerk rates from too few ratings.
Sizes follow the screen's height, from a 1024x600 tablet to a portrait TV.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from counter_app.core.errors import DomainError
from counter_app.core.queue import Ticket
from counter_app.ui import gateway
from counter_app.ui.i18n import pick
from counter_app.ui.kiosk_view import TOUCH_MIN_PX
from counter_app.ui.ops import Changes, run_op
from counter_app.ui.session import Session

TIMEOUT_MS = 30_000
THANKS_MS = 4_000
COLOURS = {5: "#1b7f3b", 4: "#4c9a2a", 3: "#6b7280", 2: "#c26a00", 1: "#b3261e"}


def two_lines(text: str) -> str:
    """'Rất không / hài lòng' on two lines, so five levels fit side by side on a tablet; the
    last two words stay together ("hài lòng" is one idea)."""
    words = text.split()
    if len(words) < 3:
        return text
    return " ".join(words[:-2]) + "\n" + " ".join(words[-2:])


class SatisfactionWidget(QWidget):
    rated = Signal(object)

    def __init__(self, session: Session, parent=None, *, timeout_ms: int = TIMEOUT_MS) -> None:
        super().__init__(parent)
        self._session = session
        self.ticket: Ticket | None = None
        self.setAttribute(Qt.WA_StyledBackground, True)
        self.setMinimumSize(320, 240)  # sizes follow the window, not the last screen's fonts
        self.title = self._label(bold=True)
        self.question = self._label()
        self.note = self._label(self.tr("Đánh giá không ghi tên quý khách và cán bộ không xem "
                                        "được ai đã đánh giá."))  # fmt: skip
        self.grid = QGridLayout()
        self.buttons: dict[int, QPushButton] = {}
        self.choices = QButtonGroup(self)  # exclusive: one level at most
        self.submit = QPushButton(self.tr("Gửi đánh giá"))
        self.submit.setObjectName("submit")
        self.submit.clicked.connect(self._send)
        self.root = QVBoxLayout(self)
        self.root.addWidget(self.title)
        self.root.addWidget(self.question)
        self.root.addLayout(self.grid, 1)
        self.root.addWidget(self.submit, 0, Qt.AlignHCenter)
        self.root.addWidget(self.note)
        self._timeout = QTimer(self, singleShot=True, interval=timeout_ms)
        self._timeout.timeout.connect(self.idle)
        self._scaled_for: tuple[int, int] | None = None
        session.service_finished.connect(self.ask)
        self._build()
        self.idle()

    def _label(self, text: str = "", *, bold: bool = False) -> QLabel:
        label = QLabel(text)
        label.setAlignment(Qt.AlignCenter)
        label.setWordWrap(True)
        if bold:
            font = QFont(label.font())
            font.setBold(True)
            label.setFont(font)
        return label

    def _build(self) -> None:
        try:
            levels = gateway.rating_scale(self._session.kiosk_ctx())
        except (DomainError, ImportError):
            levels = []
        self._names = {score: (name_vi, name_en) for score, name_vi, name_en in levels}
        for score, name_vi, name_en in levels:
            btn = QPushButton(two_lines(pick(name_vi, name_en)))
            btn.setCheckable(True)
            btn.setProperty("score", score)
            btn.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)
            btn.toggled.connect(self._chosen)
            self.choices.addButton(btn, score)
            self.buttons[score] = btn

    def chosen(self) -> int | None:
        """The level the citizen touched, or None: there is no default."""
        btn = self.choices.checkedButton()
        return None if btn is None else btn.property("score")

    def _chosen(self, _checked: bool = False) -> None:
        self.submit.setEnabled(self.chosen() is not None)
        if self.ticket is not None:
            self._timeout.start()  # a touch gives the citizen the full time again

    def _clear(self) -> None:
        self.choices.setExclusive(False)  # an exclusive group cannot be left with none checked
        for btn in self.buttons.values():
            btn.setChecked(False)
        self.choices.setExclusive(True)
        self.submit.setEnabled(False)

    def _show_choices(self, shown: bool) -> None:
        for btn in self.buttons.values():
            btn.setVisible(shown)
        self.submit.setVisible(shown)

    def ask(self, ticket: Ticket) -> None:
        self.ticket = ticket
        self.title.setText(self.tr("Quý khách số {label} vừa được phục vụ").format(
            label=ticket.label))  # fmt: skip
        self.question.setText(self.tr("Quý khách hài lòng với phục vụ hôm nay không?"))
        self._clear()
        self._show_choices(True)
        self._timeout.start()

    def idle(self) -> None:
        self.ticket = None
        self._clear()
        self.title.setText(self.tr("Xin cảm ơn quý khách!"))
        self.question.setText(self.tr("Màn hình đánh giá sẽ hiện khi quý khách được phục vụ xong."))
        self._show_choices(False)

    def _send(self) -> None:
        score = self.chosen()
        if self.ticket is None or score is None:
            return
        ticket_id = self.ticket.id
        result = run_op(self._session, lambda ctx: gateway.rate_service(
            ctx, score=score, ticket_id=ticket_id), changes=Changes(),
            ctx=self._session.kiosk_ctx())  # fmt: skip
        if not result.ok:  # a refusal or a failure: one line, the choice kept to try again
            self.question.setText(result.text)
            return
        rating = result.value
        self.ticket = None
        self._clear()
        self._show_choices(False)
        self.title.setText(self.tr("Cảm ơn quý khách đã đánh giá!"))
        self.question.setText("")
        self._timeout.start(THANKS_MS)
        self.rated.emit(rating)

    def hideEvent(self, event) -> None:  # noqa: N802 (Qt name)
        if self.ticket is not None or self._timeout.isActive():
            self._timeout.stop()
            self.idle()  # a hidden screen keeps no half-given answer
        super().hideEvent(event)

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self.scale_to(self.width(), self.height())

    def showEvent(self, event) -> None:  # noqa: N802
        """Sized again once shown: the style sheets polished at the first show put back the
        default font (14 px) over the sizes chosen while the screen was still hidden."""
        super().showEvent(event)
        self._scaled_for = None
        self.scale_to(self.width(), self.height())

    def scale_to(self, width: int, height: int) -> None:
        """Fonts from the screen's height; levels in a row, or a column on a portrait screen."""
        if self._scaled_for == (width, height):
            return
        self._scaled_for = (width, height)
        portrait = height > width
        unit = min(height / 100, width / 60)
        touch = max(TOUCH_MIN_PX, round(8 * unit))
        self.root.setContentsMargins(*(round(3 * unit),) * 4)
        self.root.setSpacing(round(2 * unit))
        self.grid.setSpacing(round(2 * unit))
        for label, share in ((self.title, 6.0), (self.question, 5.0), (self.note, 2.8)):
            _set_px(label, share * unit)
        for i, (score, btn) in enumerate(self.buttons.items()):
            self.grid.addWidget(btn, i if portrait else 0, 0 if portrait else i)
            self.grid.setRowStretch(i, 1 if portrait else 0)
            self.grid.setColumnStretch(i, 0 if portrait else 1)
            name = pick(*self._names[score])
            btn.setText(name if portrait else two_lines(name))
            _set_px(btn, 4.2 * unit)
        _set_px(self.submit, 4.4 * unit)
        colours = "".join(
            f'QPushButton[score="{score}"] {{ background: {colour}; color: white;'
            f" border: {round(0.6 * unit)}px solid {colour}; border-radius: {round(unit)}px; }}"
            f'QPushButton[score="{score}"]:checked {{ border-color: #0d1b2a;'
            f" background: white; color: {colour}; }}"
            for score, colour in COLOURS.items()
        )
        self.setStyleSheet(
            "SatisfactionWidget { background: #eef3f9; }"
            "QLabel { color: #1f2937; }"
            f"QPushButton {{ min-height: {touch}px; min-width: {touch}px; }}"
            f"QPushButton#submit {{ background: #0b5cad; color: white;"
            f" min-width: {round(40 * unit)}px; border-radius: {round(unit)}px;"
            f" padding: 0 {round(3 * unit)}px; }}"
            "QPushButton#submit:disabled { background: #b8c4d2; color: #eef3f9; }" + colours
        )


# Read at arm's length by any citizen: a 1024x600 tablet in a window (its title bar and the
# task bar take ~100 px) scaled the note down to 14 px.
LEGIBLE_PX = 20


def _set_px(widget: QWidget, px: float) -> None:
    font = QFont(widget.font())
    font.setPixelSize(max(LEGIBLE_PX, round(px)))
    widget.setFont(font)

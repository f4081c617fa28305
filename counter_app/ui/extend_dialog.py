"""Asking for a dossier's new due date and the reason the apology (Form 04) gives.

The date is typed as it is printed ("16:30 08/05/2026") rather than picked from Qt's calendar
popup, whose month and day names Qt only ships in English. The rules (later than the current due
date, a reason) are the core's: the dialog only collects, the service says no.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
)

from counter_app.core.clock import vn_time
from counter_app.core.dossier import Dossier
from counter_app.ui.widgets import button, field_error_label, show_field_error

STAMP = "%H:%M %d/%m/%Y"


class ExtendDialog(QDialog):
    def __init__(
        self,
        dossier: Dossier,
        submit: Callable[[datetime, str], str | None],
        reason: str = "",
        parent=None,
    ) -> None:
        """`submit` runs the extension and returns the error to show, or None when done."""
        super().__init__(parent)
        self._submit = submit
        self.setWindowTitle(self.tr("Gia hạn thời gian giải quyết"))
        due = dossier.due_at
        self.intro = intro = QLabel(
            self.tr("Hồ sơ {code}, hẹn trả {due}. Chương trình sẽ in Văn bản xin lỗi và đề "
                    "nghị gia hạn (Mẫu 04) để gửi Ông/Bà {name}.").format(
                code=dossier.code, due=f"{due:%H:%M %d/%m/%Y}" if due else "—",
                name=dossier.applicant.full_name)
        )  # fmt: skip
        intro.setWordWrap(True)
        self.until = QLineEdit()
        self.until.setPlaceholderText("16:30 08/05/2026")
        if due is not None:  # the same hour, a week on: the clerk changes what differs
            self.until.setText(f"{due + timedelta(days=7):{STAMP}}")
        self.reason = QPlainTextEdit(reason)
        self.reason.setPlaceholderText(self.tr("Lý do chậm trễ (in trên văn bản gửi công dân)"))
        self.reason.setTabChangesFocus(True)
        self.reason.setMaximumHeight(90)
        self.error = field_error_label()
        self.ok = button(self.tr("Gia hạn và in Mẫu 04"), role="primary")
        self.cancel = button(self.tr("Hủy"))
        self.ok.clicked.connect(self._on_ok)
        self.cancel.clicked.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("Hẹn trả mới:"), self.until)
        form.addRow(self.tr("Lý do:"), self.reason)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.ok)
        buttons.addWidget(self.cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self.setMinimumWidth(520)
        self.until.setFocus()

    def _on_ok(self) -> None:
        try:
            until = vn_time(datetime.strptime(self.until.text().strip(), STAMP))
        except ValueError:
            show_field_error(
                self.error, self.tr("Ngày giờ hẹn trả phải có dạng giờ:phút ngày/tháng/năm, "
                                    "ví dụ 16:30 08/05/2026.")
            )  # fmt: skip
            return
        error = self._submit(until, self.reason.toPlainText())
        if error:
            show_field_error(self.error, error)
            return
        self.accept()

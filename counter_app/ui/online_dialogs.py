"""What the clerk writes before an online dossier goes back to its citizen: the papers that
are missing (Form 02) or the reason for a refusal (Form 03).

The text is printed on the form and sent to the portal as it is, so it is required: an empty
one is said in the dialog, which stays open. A refusal ends the dossier, so it is asked about
once more, with the safe answer the default. The service runs from `submit`, which returns
the sentence to show when it says no, and the dialog closes only when it is done.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPlainTextEdit, QVBoxLayout

from counter_app.ui.confirm import confirm
from counter_app.ui.widgets import button, field_error_label, show_field_error

SUPPLEMENT, REFUSE = "supplement", "refuse"


class OnlineReasonDialog(QDialog):
    def __init__(
        self,
        kind: str,
        *,
        name: str,
        procedure: str,
        submit: Callable[[str], str | None],
        parent=None,
    ) -> None:
        super().__init__(parent)
        self.kind = kind
        self._name = name
        self._submit = submit
        if kind == SUPPLEMENT:
            self.setWindowTitle(self.tr("Yêu cầu bổ sung hồ sơ trực tuyến"))
            intro = self.tr("Hồ sơ «{procedure}» của Ông/Bà {name}: ghi rõ giấy tờ còn thiếu "
                            "hoặc cần sửa. Nội dung này in trên Phiếu yêu cầu bổ sung (Mẫu "
                            "02) và gửi cho công dân qua Cổng.")  # fmt: skip
            hint = self.tr("Giấy tờ cần bổ sung, hoàn thiện (bắt buộc)")
            ok = self.tr("Gửi yêu cầu và in Mẫu 02")
        else:
            self.setWindowTitle(self.tr("Từ chối hồ sơ trực tuyến"))
            intro = self.tr("Hồ sơ «{procedure}» của Ông/Bà {name}: ghi rõ lý do từ chối. Lý "
                            "do in trên Phiếu từ chối (Mẫu 03) và gửi cho công dân qua "
                            "Cổng.")  # fmt: skip
            hint = self.tr("Lý do từ chối (bắt buộc)")
            ok = self.tr("Từ chối và in Mẫu 03")
        self.intro = QLabel(intro.format(procedure=procedure, name=name))
        self.intro.setWordWrap(True)
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText(hint)
        self.reason.setTabChangesFocus(True)
        self.reason.setMinimumHeight(4 * self.reason.fontMetrics().lineSpacing() + 12)
        self.error = field_error_label()
        self.ok = button(ok, role="danger" if kind == REFUSE else "primary",
                         shortcut="Ctrl+Return")  # fmt: skip
        self.cancel = button(self.tr("Hủy"))
        self.ok.clicked.connect(self._on_ok)
        self.cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel)
        buttons.addWidget(self.ok)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.reason, 1)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self.setMinimumWidth(560)
        self.reason.setFocus()

    def _on_ok(self) -> None:
        text = self.reason.toPlainText().strip()
        if not text:
            show_field_error(
                self.error,
                self.tr("Cần ghi rõ giấy tờ còn thiếu trước khi gửi yêu cầu bổ sung.")
                if self.kind == SUPPLEMENT
                else self.tr("Cần ghi rõ lý do trước khi từ chối hồ sơ."),
            )
            self.reason.setFocus()
            return
        if self.kind == REFUSE and not confirm(
            self,
            self.tr("Từ chối hồ sơ trực tuyến"),
            self.tr(
                "Từ chối hồ sơ của Ông/Bà {name}? Hồ sơ kết thúc, công dân nhận lý do qua "
                "Cổng; không thể quay lại."
            ).format(name=self._name),  # fmt: skip
            yes=self.tr("Từ chối hồ sơ"),
            no=self.tr("Không, quay lại"),
        ):
            return
        error = self._submit(text)
        if error:
            show_field_error(self.error, error)
            return
        self.accept()

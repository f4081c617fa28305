"""Settings › Gọi số: the center's call policy (admin). The rule is the core's
(core.queue.call_order); this page only chooses it, through the same service as the command
line (`counter-app queue policy`), which carries it to every station of the center."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QLabel, QSpinBox

from counter_app.core.errors import ValidationError
from counter_app.core.queue import (
    MAX_WAIT_RANGE,
    POLICY_NAMES,
    RATIO_RANGE,
    PolicyKind,
    QueuePolicy,
)
from counter_app.ui import gateway
from counter_app.ui.i18n import error_text, pick
from counter_app.ui.settings_page import SettingsPage
from counter_app.ui.widgets import button, show_field_error


class QueuePolicyPage(SettingsPage):
    def load(self) -> None:
        policy = gateway.current_policy(self.session.ctx())
        self.kind = QComboBox()
        for kind in PolicyKind:
            self.kind.addItem(pick(*POLICY_NAMES[kind]), kind.value)
        self.kind.setCurrentIndex(self.kind.findData(policy.kind.value))
        self.ratio = QSpinBox()
        self.ratio.setRange(*RATIO_RANGE)
        self.ratio.setValue(policy.ratio)
        self.ratio.setSuffix(self.tr(" số thường"))
        self.max_wait = QSpinBox()
        self.max_wait.setRange(*MAX_WAIT_RANGE)
        self.max_wait.setValue(policy.max_wait_minutes)
        self.max_wait.setSuffix(self.tr(" phút"))
        self.row(self.tr("Chính sách gọi số:"), self.kind, "policy")
        self.row(self.tr("Xen kẽ: số thường giữa hai số ưu tiên (N):"), self.ratio, "ratio")
        self.row(self.tr("Thời gian chờ tối đa (M):"), self.max_wait, "max_wait")
        explain = QLabel(
            self.tr(
                "Ưu tiên tuyệt đối: người được ưu tiên luôn được gọi trước. Xen kẽ: sau mỗi "
                "số ưu tiên là N số thường, để hàng thường không phải chờ mãi. Thời gian chờ "
                "tối đa: như ưu tiên tuyệt đối, nhưng ai đã chờ quá M phút được gọi trước. "
                "Áp dụng cho mọi quầy của Trung tâm."
            )
        )
        explain.setWordWrap(True)
        explain.setProperty("role", "hint")
        self.form.addRow("", explain)
        self.kind.currentIndexChanged.connect(self._enable)
        self._enable()
        self.save_button = button(self.tr("Lưu chính sách gọi số"), role="primary")
        self.buttons(self.save_button)
        self.save_button.clicked.connect(self._save)

    def _enable(self) -> None:
        kind = self.kind.currentData()
        self.ratio.setEnabled(kind == PolicyKind.RATIO.value)
        self.max_wait.setEnabled(kind == PolicyKind.MAX_WAIT.value)

    def _save(self) -> None:
        try:
            policy = QueuePolicy(
                PolicyKind(self.kind.currentData()), self.ratio.value(), self.max_wait.value()
            )
        except ValidationError as error:
            show_field_error(self.errors.get(error.field or "policy"), error_text(error))
            return
        self.save(lambda ctx: gateway.set_policy(ctx, policy), self.tr("Đã lưu chính sách gọi số."))

"""The station window: login first, then the pages the signed-in role may use.

Pages are built the first time they are opened, so signing in shows the counter at once.
In an all-in-one station the kiosk, the display board and the rating screen open as
separate windows (a second screen, a tablet), sharing the session.

The first window shows the login form alone: the side bar, the shortcuts and the idle lock
are made when the store arrives, after that paint. Until then the window reaches no `Qt`
namespace enum (PySide makes all 94 of them at the first touch, ~40 ms). At the start they
and the counter page are made in short steps while the clerk types (`prepare`), so that after
Enter only the password check, the account's pages and the page's data remain.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QMainWindow, QStackedWidget, QWidget

from counter_app.ui.login import LoginWidget

if TYPE_CHECKING:  # the services load after the window is on screen
    from counter_app.core.roles import Role
    from counter_app.ui.session import Session

# The online dossiers come fifth for a clerk and an admin alike (Ctrl+5): the pages a clerk
# already reached with Ctrl+1..4 keep their keys. Keyed by core.roles.Role's values (a StrEnum:
# the Role itself finds them), so that the first window needs not import the roles.
PAGES_BY_ROLE = {
    "clerk": ("counter", "intake", "dossiers", "reports", "online"),
    "admin": ("counter", "intake", "dossiers", "reports", "online", "settings"),
    "volunteer": ("volunteer",),
}


# The services the status bar and the counter page read at their first refresh, imported one
# step each while the clerk types (on the store's thread they held the interpreter's lock
# against the window's own steps: no faster in all, and keys waited longer).
STATUS_SERVICES = ("station_status", "room")
COUNTER_SERVICES = ("queue", "queue_desk", "reports")
NAV_KEY = 0x0100  # Qt.UserRole: where a side bar item keeps its page's key


class StationWindow(QMainWindow):
    page_shown = Signal(str)

    def __init__(self, *, role: str = "all-in-one", idle_minutes: float = 10) -> None:
        super().__init__()
        self.setWindowTitle(self.tr("Quầy một cửa"))
        self.station_role = role
        self.session: Session | None = None
        self.intake_printer = None  # made at the first print, for the signed-in session
        self.pages: dict[str, QWidget] = {}
        self._prebuilt: dict[str, QWidget] = {}  # built hidden before anyone signs in
        self._preparation = None  # counter_app.ui.prepare.Preparation, at the start
        self.windows: dict[str, QWidget] = {}
        self.preview = None
        self.idle_minutes = idle_minutes
        self.login = LoginWidget()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.login)
        central = QWidget()
        self.row = QHBoxLayout(central)
        self.row.setContentsMargins(0, 0, 0, 0)
        self.row.setSpacing(0)
        self.row.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.login.signed_in.connect(self._signed_in)
        self.login.checking.connect(self._while_checking)

    def _build_side(self) -> None:
        """The side bar (pages, screens, lock, sign out), the page shortcuts and the idle
        lock: hidden or idle until someone signs in, so made after the first paint."""
        if hasattr(self, "side"):
            return
        from PySide6.QtCore import Qt
        from PySide6.QtGui import QKeySequence, QShortcut
        from PySide6.QtWidgets import QListWidget, QVBoxLayout

        from counter_app.ui.idle import IdleWatcher
        from counter_app.ui.widgets import button

        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.setFixedWidth(210)
        self.nav.setFocusPolicy(Qt.NoFocus)
        # A long page name ("Hướng dẫn, soạn hồ sơ (Ctrl+1)") wraps instead of being cut.
        self.nav.setWordWrap(True)
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.lock_button = button(self.tr("Khóa màn hình"), shortcut="Ctrl+L")
        self.logout_button = button(self.tr("Đăng xuất"))
        self.screens = QWidget()
        screens = QVBoxLayout(self.screens)
        screens.setContentsMargins(6, 6, 6, 6)
        self.screen_buttons = {
            "kiosk": button(self.tr("Mở kiosk lấy số")),
            "display": button(self.tr("Mở màn hình gọi số")),
            "satisfaction": button(self.tr("Mở màn hình đánh giá")),
        }
        for key, btn in self.screen_buttons.items():
            btn.clicked.connect(lambda _c=False, k=key: self.open_screen(k))
            screens.addWidget(btn)
        screens.addWidget(self.lock_button)
        screens.addWidget(self.logout_button)
        self.side = QWidget()
        self.side.setObjectName("side")
        self.side.setAttribute(Qt.WA_StyledBackground, True)
        self.side.setStyleSheet(
            "QWidget#side { background: #12355b; }"
            " QWidget#side QPushButton { background: #1d4a7a; color: white; border: none; }"
            " QWidget#side QPushButton:hover { background: #2a5d93; }"
        )
        side = QVBoxLayout(self.side)
        side.setContentsMargins(0, 0, 0, 0)
        side.addWidget(self.nav, 1)
        side.addWidget(self.screens)
        self.side.hide()
        self.row.insertWidget(0, self.side)
        self.nav.currentRowChanged.connect(self._nav_changed)
        self.lock_button.clicked.connect(self.lock)
        self.logout_button.clicked.connect(self.logout)
        for i in range(1, 7):
            QShortcut(QKeySequence(f"Ctrl+{i}"), self, lambda n=i - 1: self._nav_to_row(n))
        self.idle = IdleWatcher(self.idle_minutes, self)
        self.idle.idle.connect(self.lock)

    # --- the store arrives after the window is shown
    def attach(self, session: Session, *, demo_accounts: dict | None = None) -> None:
        """The store has arrived: the login takes a password, and the side bar and the status
        bar are made at once (the start makes them in steps instead: `prepare`)."""
        self.attach_login(session, demo_accounts=demo_accounts)
        self._build_side()
        self._build_status_bar()

    def attach_login(self, session: Session, *, demo_accounts: dict | None = None) -> None:
        self.session = session
        self.setWindowTitle(self.tr("Quầy một cửa – {center}").format(
            center=session.station.center_name))  # fmt: skip
        self.login.attach(session, demo_accounts=demo_accounts)

    def _build_status_bar(self) -> None:
        if self.session is None or hasattr(self, "status"):
            return
        from counter_app.ui.status_bar import StationStatusBar

        self.status = StationStatusBar(self.session)
        self.status.online_requested.connect(self.open_online)
        self.setStatusBar(self.status)

    def prepare(self, *, then: Callable[[], object] | None = None) -> None:
        """At the start, once the login has the store (`attach_login`): the rest of what
        signing in shows, in short steps while the clerk types (counter_app.ui.prepare). The
        counter page is built hidden; a role without it never sees it (the page list comes
        from the role). `then`: a last step (the launcher's)."""
        from counter_app.ui.prepare import Preparation, importing, make_qt_enums

        steps = [make_qt_enums, self._build_side, importing("counter_app.ui.background"),
                 importing("counter_app.ui.status_bar"), self._build_status_bar,
                 *(importing(f"counter_app.services.{name}") for name in STATUS_SERVICES),
                 lambda: self.status.refresh()]  # fmt: skip
        if self._has_counter():
            steps += [*(importing(f"counter_app.services.{name}") for name in COUNTER_SERVICES),
                      importing("counter_app.ui.counter_view"), importing("counter_app.ui.counter"),
                      self.prebuild_pages]  # fmt: skip
        if then is not None:
            steps.append(then)
        self._preparation = Preparation(self, steps)
        self._preparation.start()

    def _finish_preparing(self) -> None:
        if self._preparation is not None:
            self._preparation.finish()
        self._build_side()
        self._build_status_bar()

    def _has_counter(self) -> bool:
        return self.station_role in ("all-in-one", "counter")

    def prebuild_pages(self) -> None:
        """Build the counter page, hidden, while the login waits: signing in then only shows
        it. A volunteer never sees it (the page list comes from the role); nor does anyone
        who signed in before it was built (their page was built on showing)."""
        if self.session is None or "counter" in self._prebuilt or self.pages:
            return
        if not self._has_counter():
            return
        page = self._build_page("counter")
        self.stack.addWidget(page)  # hidden: the login stays the current widget
        page.ensurePolished()
        self._prebuilt["counter"] = page

    def _while_checking(self) -> None:
        """The password is checked on a thread of its own: meanwhile the rest of the
        preparation and the data that do not depend on who signs in (the status bar's, the
        counter page's queue), so that the page shown paints once, with them."""
        self._finish_preparing()
        self.prebuild_pages()
        self.status.refresh()
        page = self.pages.get("counter") or self._prebuilt.get("counter")
        if page is not None:
            page.prime()

    def _signed_in(self, actor) -> None:
        relock = self.login.locked_user is not None
        self._finish_preparing()
        self.login.unlock_form()
        self.session.sign_in(actor)  # the status bar names the officer
        self.side.show()
        self.screens.setVisible(True)
        for key in ("kiosk", "display", "satisfaction"):
            self.screen_buttons[key].setVisible(self.station_role == "all-in-one")
        if not relock:
            self._build_nav(actor.role)
        self._nav_to_row(max(self.nav.currentRow(), 0))
        self.idle.start()  # after the page is shown: see IdleWatcher

    def _build_nav(self, role: Role) -> None:
        names = {
            "counter": self.tr("Quầy (Ctrl+1)"),
            "intake": self.tr("Tiếp nhận hồ sơ"),
            "dossiers": self.tr("Tra cứu hồ sơ"),
            "reports": self.tr("Báo cáo"),
            "settings": self.tr("Cài đặt"),
            "volunteer": self.tr("Hướng dẫn, soạn hồ sơ"),
            "online": self.tr("Hồ sơ trực tuyến"),
        }
        from PySide6.QtWidgets import QListWidgetItem

        self.nav.blockSignals(True)
        self.nav.clear()
        for i, key in enumerate(self.pages_for(role)):
            text = names[key] if key == "counter" else f"{names[key]} (Ctrl+{i + 1})"
            item = QListWidgetItem(text)
            item.setData(NAV_KEY, key)
            self.nav.addItem(item)
        self.nav.blockSignals(False)
        self.nav.setCurrentRow(-1)

    def pages_for(self, role: Role) -> tuple[str, ...]:
        """The pages of this role; the online inbox only for an account that may check it
        (the same rule the CLI's `dossier inbox` asks)."""
        from counter_app.ui import gateway

        may_check = gateway.may_check_online(self.session.actor)
        return tuple(k for k in PAGES_BY_ROLE[role] if k != "online" or may_check)

    def open_online(self) -> None:
        """The status bar's count, clicked: the online page, when this account has it."""
        if (
            self.session is not None
            and self.side.isVisible()
            and "online" in self.pages_for(self.session.actor.role)
        ):
            self.show_page("online")

    def _nav_to_row(self, row: int) -> None:
        if self.session is None or not self.side.isVisible() or row >= self.nav.count():
            return
        if self.nav.currentRow() == row:
            self._nav_changed(row)
        self.nav.setCurrentRow(row)

    def _nav_changed(self, row: int) -> None:
        if row < 0:
            return
        self.show_page(self.nav.item(row).data(NAV_KEY))

    def show_page(self, key: str) -> QWidget:
        page = self.pages.get(key)
        if page is None:
            page = self._prebuilt.pop(key, None) or self._build_page(key)
            self.pages[key] = page
            if self.stack.indexOf(page) < 0:
                self.stack.addWidget(page)
        self.stack.setCurrentWidget(page)
        for row in range(self.nav.count()):
            if self.nav.item(row).data(NAV_KEY) == key and self.nav.currentRow() != row:
                self.nav.blockSignals(True)
                self.nav.setCurrentRow(row)
                self.nav.blockSignals(False)
        self.page_shown.emit(key)
        return page

    def _build_page(self, key: str) -> QWidget:
        session = self.session
        if key == "counter":
            from counter_app.ui.counter import CounterWidget

            page = CounterWidget(session)
            page.receive_requested.connect(self._receive)
        elif key == "intake":
            from counter_app.ui.intake import IntakeWidget

            page = IntakeWidget(session)
            page.received.connect(self._after_intake)
            page.decided.connect(self._after_intake)
        elif key == "dossiers":
            from counter_app.ui.dossiers import DossiersWidget

            page = DossiersWidget(session)
            page.preview_requested.connect(lambda d, r: self.show_receipt(d, r))
            page.reprint_requested.connect(lambda d: self.show_receipt(d, reprint=True))
            page.form_requested.connect(self.print_form)
        elif key == "reports":
            from counter_app.ui.reports import ReportsWidget

            page = ReportsWidget(session)
        elif key == "online":
            from counter_app.ui.online import OnlineWidget

            page = OnlineWidget(session)
            page.decided.connect(self._after_online)
            page.counted.connect(self.statusBar().show_online_count)
        elif key == "settings":
            from counter_app.ui.settings import SettingsWidget

            page = SettingsWidget(session)
        else:
            from counter_app.ui.volunteer import VolunteerWidget

            page = VolunteerWidget(session)
            page.intake.received.connect(self._after_intake)
        return page

    def _receive(self, ticket) -> None:
        self.show_page("intake").start(ticket)

    def _after_intake(self, dossier) -> None:
        reasons = getattr(self.pages.get("intake"), "last_reasons", "")
        notice = self._offline_notice(dossier)
        if "counter" in self.pages and self.pages.get("volunteer") is None:
            counter = self.show_page("counter")
            if notice:
                counter.view.message.notice(notice)
        if not self.print_dossier(dossier):
            self.show_receipt(dossier, reasons, notice=notice)

    def _after_online(self, dossier) -> None:
        """Form 01 (two copies), 02 or 03 of an online dossier just decided, printed as after
        an intake (a failure opens the same dialog, the decision is kept), else shown."""
        if not self.print_dossier(dossier):
            self.show_receipt(dossier)

    def _offline_notice(self, dossier) -> str:
        """Said wherever the receipt goes when its code is an offline one (motcua)."""
        from counter_app.ui import gateway  # the services load after the first window
        from counter_app.ui.i18n import message_text

        if not gateway.is_offline_code(self.session.ctx(), dossier.code):
            return ""
        return f"{dossier.code}: {message_text('code_pool.offline_notice')}"

    def print_dossier(self, dossier) -> bool:
        """Form 01 (two copies), 02 or 03 to the station's first printer (the PC's printer
        for forms, else the thermal one); False when no printer is set up (the caller shows
        the preview). A print that fails opens a dialog that says what to do."""
        return self._printer().print_dossier(dossier)

    def _printer(self):
        if self.intake_printer is None:
            from counter_app.ui.print_failed import IntakePrinter

            self.intake_printer = IntakePrinter(self.session, self)
        return self.intake_printer

    def print_form(self, form: str, code: str) -> None:
        """Form 04 or 05 after the move that needs it: to the station's first printer (a
        failure opens the same dialog as at intake), else shown for the clerk to print from
        the preview."""
        from counter_app.core.errors import DomainError
        from counter_app.ui.i18n import error_text
        from counter_app.ui.receipt import ReceiptPreview
        from printers import service

        try:
            document = service.form_doc(self.session.ctx(), form, code)
        except DomainError as error:
            self.statusBar().showMessage(error_text(error), 8000)
            return
        if not self._printer().print_documents(code, [document]):
            self.preview = ReceiptPreview(document, self, session=self.session)
            self.preview.show()

    def show_receipt(
        self, dossier, reasons: str = "", *, notice: str = "", reprint: bool = False
    ) -> None:
        from counter_app.core.errors import DomainError
        from counter_app.ui.i18n import error_text
        from counter_app.ui.receipt import ReceiptPreview, dossier_document

        try:
            document = dossier_document(self.session.ctx(), dossier, reasons=reasons)
        except DomainError as error:
            self.statusBar().showMessage(error_text(error), 8000)
            return
        self.preview = ReceiptPreview(
            document, self, notice=notice, session=self.session, reprint=reprint
        )
        self.preview.show()

    # --- screens for citizens
    def open_screen(self, key: str, *, show: bool = True) -> QWidget:
        window = self.windows.get(key)
        if window is None:
            window = make_screen(key, self.session)
            self.windows[key] = window
        if show and key == "display":
            from counter_app.ui.display import show_board

            show_board(window, fullscreen=False)  # on the TV when one is plugged in
        elif show:
            window.show()
        if show:
            window.raise_()
        return window

    def closeEvent(self, event) -> None:  # noqa: N802
        for window in self.windows.values():
            window.close()
        if self.session is not None:
            self.session.close()
        super().closeEvent(event)

    # --- lock and logout
    def lock(self) -> None:
        if self.session is None or not self.side.isVisible():
            return
        self.idle.stop()
        self.side.hide()
        self.login.lock(self.session.actor.username)
        self.stack.setCurrentWidget(self.login)

    def _may_sign_out(self) -> bool:
        """A clerk serving a citizen is asked first: signing out leaves the number called at
        this counter, with no one to finish it."""
        serving = getattr(self.pages.get("counter"), "current", None)
        if serving is None:
            return True
        from counter_app.ui.confirm import confirm

        return confirm(
            self,
            self.tr("Đăng xuất"),
            self.tr(
                "Quầy đang phục vụ công dân số {label}. Hãy bấm «Xong» hoặc chuyển công dân "
                "trước khi đăng xuất; nếu đăng xuất bây giờ, số này vẫn treo ở quầy."
            ).format(label=serving.label),
            yes=self.tr("Vẫn đăng xuất"),
            no=self.tr("Ở lại phục vụ"),
        )

    def logout(self) -> None:
        if not self._may_sign_out():
            return
        self.idle.stop()
        self.side.hide()
        for page in self.pages.values():
            self.stack.removeWidget(page)
            page.deleteLater()
        self.pages.clear()
        self.login.unlock_form()
        if self.session is not None:
            self.session.sign_out()
        self.stack.setCurrentWidget(self.login)
        self.login.username.setFocus()
        QTimer.singleShot(0, self.prebuild_pages)


SCREEN_SIZES = {"kiosk": (1280, 800), "display": (1280, 720), "satisfaction": (1024, 600)}


def make_screen(key: str, session: Session) -> QWidget:
    factories: dict[str, Callable[[Session], QWidget]] = {}
    if key == "kiosk":
        from counter_app.ui.kiosk import KioskWidget

        factories[key] = KioskWidget
    elif key == "display":
        from counter_app.ui.display import DisplayWidget

        factories[key] = DisplayWidget
    else:
        from counter_app.ui.satisfaction import SatisfactionWidget

        factories[key] = SatisfactionWidget
    from PySide6.QtCore import Qt

    widget = factories[key](session)
    widget.setWindowFlag(Qt.Window, True)
    titles = {
        "kiosk": QCoreApplication.translate("Screens", "Kiosk lấy số thứ tự"),
        "display": QCoreApplication.translate("Screens", "Màn hình gọi số"),
        "satisfaction": QCoreApplication.translate("Screens", "Đánh giá mức độ hài lòng"),
    }
    widget.setWindowTitle(titles[key])
    widget.resize(*SCREEN_SIZES[key])
    return widget

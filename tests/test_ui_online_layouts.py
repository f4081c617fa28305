"""The online dossiers page at the screens communes have, checked from widget geometry
(tests/layout_check.py): a list of long names and procedures, late, urgent and resubmitted
dossiers, the papers of the chosen one; the empty page; the dialogs asking a reason.
Set COUNTER_APP_LAYOUT_PNG to a folder to also save what each case checked."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest

from counter_app.core.roles import Actor, Role
from counter_app.services.demo import DEMO_ACCOUNTS, ensure_demo_store
from counter_app.services.dossiers import ApplicantInput
from counter_app.services.online_intake import (
    OnlineComponent,
    OnlineFile,
    OnlineSubmission,
    take_in,
)
from counter_app.ui.qtapp import make_app
from counter_app.ui.session import Session
from tests.test_ui_online import paper_bytes
from tests.test_ui_window_layouts import NOW, FixedClock, check, settle, signed_in, size_id

SIZES = [(1366, 768), (1920, 1080), (1080, 1920), (1024, 600)]
LONG_NAMES = (
    "Nguyễn Thị Thanh Hương Giang",
    "Hoàng Văn Thắng",
    "Lò Thị Mỷ",
    "Đặng Thị Hồng Nhung",
)
PAPERS = (
    "Tờ khai đăng ký khai sinh theo mẫu",
    "Giấy chứng sinh hoặc văn bản xác nhận của người làm chứng về việc sinh",
    "Giấy chứng nhận kết hôn của cha, mẹ",
)


def online(code: str, name: str, hours_ago: float, round_no: int) -> OnlineSubmission:
    components = []
    for title in PAPERS:
        data = paper_bytes(title[:10])
        components.append(OnlineComponent(title, (OnlineFile(hashlib.sha256(data).hexdigest(),
                                                             data),)))  # fmt: skip
    return OnlineSubmission(
        upstream_code=code,
        procedure_code="1.001193",
        submitted_at=NOW - timedelta(hours=hours_ago),
        round=round_no,
        applicant=ApplicantInput(full_name=name),
        components=tuple(components),
    )


@pytest.fixture(scope="module")
def demo(qapp, tmp_path_factory):
    """A demo store with four online dossiers: late, urgent, soon, fresh (one resubmitted)."""
    make_app("vi")
    store, _ = ensure_demo_store(tmp_path_factory.mktemp("online-layout"), now=NOW, days=2)
    session = Session(store, clock=FixedClock(), data_dir=str(store.path.parent), demo=True)
    ctx = session.ctx(Actor("canbo", Role.CLERK))
    for n, (name, hours) in enumerate(zip(LONG_NAMES, (50, 20, 4, 0.5), strict=True)):
        take_in(ctx, online(f"G22.99-260427-{n + 1:04d}", name, hours, 2 if n == 1 else 1))
    yield session
    session.close()
    store.close()


@pytest.fixture(scope="module")
def clerk_window(demo):
    window = signed_in(demo, "canbo")
    yield window
    window.idle.stop()
    window.close()


@pytest.mark.parametrize("size", SIZES, ids=size_id)
def test_the_list_with_a_dossier_chosen(clerk_window, size):
    page = clerk_window.show_page("online")
    settle()
    page.reload()
    page.view.table.selectRow(1)
    assert page.view.papers.count() == len(PAPERS)
    assert clerk_window.statusBar().online.isVisible()
    check(clerk_window, size, "online")


@pytest.mark.parametrize("size", SIZES, ids=size_id)
def test_the_dialogs_asking_a_reason(clerk_window, size):
    from counter_app.ui.online_dialogs import REFUSE, SUPPLEMENT

    page = clerk_window.show_page("online")
    settle()
    page.view.table.selectRow(0)
    for kind in (SUPPLEMENT, REFUSE):
        dialog = page.ask(kind)
        try:
            dialog.resize(dialog.sizeHint().expandedTo(dialog.minimumSizeHint()))
            check(dialog, (min(size[0], dialog.width()), min(size[1], dialog.height())),
                  f"online-{kind}")  # fmt: skip
        finally:
            dialog.reject()


def test_the_empty_page(qapp, tmp_path):
    make_app("vi")
    store, _ = ensure_demo_store(tmp_path / "empty", now=NOW, days=1)
    session = Session(store, clock=FixedClock(), data_dir=str(store.path.parent), demo=True)
    window = signed_in(session, "canbo")
    try:
        assert DEMO_ACCOUNTS["canbo"]
        page = window.show_page("online")
        settle()
        assert page.view.list_or_empty.currentWidget() is page.view.empty
        assert not window.statusBar().online.isVisible()
        for size in SIZES[:3]:
            check(window, size, "online-empty")
    finally:
        window.idle.stop()
        window.close()
        session.close()
        store.close()

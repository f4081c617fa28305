"""A citizen back after 30 days is found: a dossier code, an ID number or a phone finds the
dossier whatever the dates ("Nhận từ ngày" opens on today − 30); a name says how many it
matches outside them, and Alt+N shows those too."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt

from counter_app.core.roles import Actor, Role
from counter_app.services import search
from counter_app.ui import gateway
from counter_app.ui.dossiers import DossiersWidget
from counter_app.ui.qtapp import make_app
from counter_app.ui.session import Session

ID_NUMBER, PHONE = "001190012345", "0912345678"


@pytest.fixture
def old_dossier(ctx, clock):
    """Received 40 days ago (the result was due in 30), and a namesake received today."""
    first = gateway.receive_dossier(
        ctx,
        procedure_code="1.001193",
        applicant=gateway.ApplicantInput(
            full_name="Nguyễn Thị Đường", citizen_id=ID_NUMBER, phone=PHONE
        ),
    )
    clock.now += timedelta(days=40)
    gateway.receive_dossier(
        ctx, procedure_code="1.001193",
        applicant=gateway.ApplicantInput(full_name="Nguyễn Thị Đường"),
    )  # fmt: skip
    return first


def _last_30_days(ctx, text: str, **kw) -> search.DossierPage:
    today = ctx.now().date()
    return search.find_dossiers(ctx, text=text, since=today - timedelta(days=30),
                                until=today, **kw)  # fmt: skip


@pytest.mark.parametrize(
    "typed", ["code", ID_NUMBER, "0912 345 678", "+84912345678", "code prefix"]
)
def test_code_id_number_or_phone_ignore_the_dates(ctx, old_dossier, typed) -> None:
    text = {"code": old_dossier.code, "code prefix": old_dossier.code[:-2]}.get(typed, typed)
    page = _last_30_days(ctx, text)
    assert old_dossier.code in [d.code for d in page.dossiers]
    assert page.dates_ignored and page.outside_dates == 0


@pytest.mark.parametrize("name", ["Nguyễn Thị Đường", "nguyen thi duong", "NGUYEN DUONG"])
def test_a_name_counts_the_matches_outside_the_dates(ctx, old_dossier, name) -> None:
    page = _last_30_days(ctx, name)
    assert page.total == 1 and old_dossier.code not in [d.code for d in page.dossiers]
    assert page.outside_dates == 1 and not page.dates_ignored
    every = _last_30_days(ctx, name, any_date=True)
    assert every.total == 2 and old_dossier.code in [d.code for d in every.dossiers]
    # the other filters still hold: a status nobody is in finds nothing anywhere
    from counter_app.core.dossier import DossierStatus

    none = _last_30_days(ctx, name, statuses=[DossierStatus.RETURNED])
    assert (none.total, none.outside_dates) == (0, 0)


@pytest.fixture
def page(qtbot, qapp, store, clock, station, old_dossier):
    make_app("vi")
    session = Session(store, clock=clock, actor=Actor("canbo1", Role.CLERK))
    widget = DossiersWidget(session)
    qtbot.addWidget(widget)
    widget.resize(1366 - 210, 768 - 60)
    widget.show()
    widget.activateWindow()
    qtbot.waitUntil(lambda: widget._loaded and widget.view.procedure.count() > 1)
    yield widget
    session.close()


def _type(qtbot, page, text: str) -> None:
    query = page.view.query
    query.setFocus()
    qtbot.keyClick(query, Qt.Key_A, Qt.ControlModifier)
    qtbot.keyClicks(query, text)
    qtbot.keyClick(query, Qt.Key_Return)


def test_the_page_finds_the_old_code_with_its_default_dates(qtbot, page, old_dossier) -> None:
    today = page._session.now().date()
    assert page.view.since.date().toPython() == today - timedelta(days=30)
    _type(qtbot, page, old_dossier.code)
    assert [d.code for d in page.found] == [old_dossier.code]
    assert "mọi ngày" in page.view.count.text()
    _type(qtbot, page, ID_NUMBER)
    assert [d.code for d in page.found] == [old_dossier.code]


def test_a_name_says_what_lies_outside_and_alt_n_shows_it(qtbot, page, old_dossier) -> None:
    _type(qtbot, page, "nguyen thi duong")
    assert len(page.found) == 1 and old_dossier.code not in [d.code for d in page.found]
    assert "1 hồ sơ · còn 1 hồ sơ khớp nhưng nhận ngoài khoảng ngày" in page.view.count.text()
    assert page.view.any_date.isVisible()
    qtbot.keyClick(page.view.query, Qt.Key_N, Qt.AltModifier)  # one key shows them
    assert old_dossier.code in [d.code for d in page.found] and len(page.found) == 2
    assert not page.view.any_date.isVisible()
    # another name goes back to the dates
    _type(qtbot, page, "nguyen thi")
    assert len(page.found) == 1 and page.view.any_date.isVisible()

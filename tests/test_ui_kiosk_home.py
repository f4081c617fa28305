"""The kiosk's home screen as an elderly citizen uses it, with real taps: tiles named with
everyday words and drawn icons, priority chosen on the same screen with who qualifies (or
asked after the group, for whoever touched the group first), and the estimated wait on the
ticket page."""

from __future__ import annotations

import json
from importlib import resources

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from counter_app.core.catalogue import catalogue_to_dict, parse_catalogue
from counter_app.core.errors import ValidationError
from counter_app.core.queue import DEFAULT_PRIORITIES
from counter_app.core.roles import Actor, Role
from counter_app.ui.kiosk import KioskWidget
from counter_app.ui.kiosk_icons import group_icon
from counter_app.ui.qtapp import make_app
from counter_app.ui.session import Session


@pytest.fixture
def session(qapp, store, clock, station):
    make_app("vi")
    s = Session(store, clock=clock, actor=Actor("canbo1", Role.CLERK))
    yield s
    s.close()


@pytest.fixture
def kiosk(qtbot, session):
    widget = KioskWidget(session, idle_ms=150)
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    widget.show()
    return widget


def take(qtbot, kiosk, letter: str) -> None:
    """A citizen with no priority: the group, then "Không, lấy số thường" when asked."""
    qtbot.mouseClick(kiosk.group_buttons[letter], Qt.LeftButton)
    qtbot.mouseClick(kiosk.view.ask_none, Qt.LeftButton)


def catalogue_groups() -> list[dict]:
    path = resources.files("resources") / "catalogue" / "procedures.json"
    return json.loads(path.read_text(encoding="utf-8"))["groups"]


def inked(image: QImage) -> int:
    """How many pixels of the picture are drawn (not transparent)."""
    return sum(
        image.pixelColor(x, y).alpha() > 0
        for x in range(0, image.width(), 2)
        for y in range(0, image.height(), 2)
    )


def test_each_group_tile_names_what_citizens_ask_for_with_a_drawn_icon(kiosk) -> None:
    groups = catalogue_groups()
    assert {g["letter"] for g in groups} == set(kiosk.group_buttons)
    for group in groups:
        tile = kiosk.group_buttons[group["letter"]]
        assert group["kiosk_words"], group["letter"]  # the catalogue gives every group words
        for word in group["kiosk_words"]:
            assert word in tile.text_of(), (group["letter"], word)
        assert group["name"] in tile.text_of()
        assert tile.accessibleName() == tile.text_of()  # a screen reader reads the tile
        assert tile.words.isVisible()
        pixmap = tile.icon_label.pixmap()
        assert not pixmap.isNull() and pixmap.height() >= 30, group["letter"]
        assert inked(pixmap.toImage()) > 20, group["letter"]  # a picture, not an empty box
    assert kiosk.group_buttons["A"].text_of().splitlines()[1] == "Khai sinh, kết hôn, khai tử..."


def test_every_icon_the_catalogue_names_is_shipped_and_draws() -> None:
    folder = resources.files("resources") / "icons"
    for group in catalogue_groups():
        assert (folder / f"{group['kiosk_icon']}.svg").is_file(), group["kiosk_icon"]
    for name in ("family", "no_such_icon", ""):  # an unknown name falls back to a plain one
        icon = group_icon(name)
        assert not icon.isNull()
        assert inked(icon.pixmap(48, 48).toImage()) > 20, name


def test_the_catalogue_carries_the_words_and_refuses_a_bad_icon_name() -> None:
    path = resources.files("resources") / "catalogue" / "procedures.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    cat = parse_catalogue(data)
    assert cat.group("A").kiosk_words == ("Khai sinh", "kết hôn", "khai tử")
    assert parse_catalogue(catalogue_to_dict(cat)) == cat
    data["groups"][0]["kiosk_icon"] = "../../etc/passwd"
    with pytest.raises(ValidationError):
        parse_catalogue(data)
    data["groups"][0]["kiosk_icon"] = "family"
    data["groups"][0]["kiosk_words"] = ["Khai sinh", ""]
    with pytest.raises(ValidationError):
        parse_catalogue(data)


def test_the_priority_choices_say_who_qualifies_and_keep_the_category_names(kiosk) -> None:
    captions = {k: t.text_of() for k, t in kiosk.priority_buttons.items()}
    assert captions["elderly"] == "Người cao tuổi (từ 60 tuổi trở lên)"
    assert captions["child_under_6"] == "Người đi cùng trẻ dưới 6 tuổi"
    assert set(captions) == {p.key for p in DEFAULT_PRIORITIES}
    assert list(captions)[0] == "elderly"  # the commonest first
    names = {p.key: p.name_vi for p in DEFAULT_PRIORITIES}
    assert names["elderly"] == "Người cao tuổi"  # the category itself is unchanged
    for tile in kiosk.priority_buttons.values():  # on the home screen, next to the groups
        assert tile.isVisible() and tile.window() is kiosk.window()
    assert kiosk.view.pages.currentWidget() is kiosk.view.home


def test_a_chosen_priority_is_shown_taken_with_the_ticket_then_cleared(qtbot, kiosk, store):
    elderly = kiosk.priority_buttons["elderly"]
    qtbot.mouseClick(elderly, Qt.LeftButton)
    assert elderly.isChecked()
    assert not any(t.isChecked() for k, t in kiosk.priority_buttons.items() if k != "elderly")
    assert "Đã chọn: Người cao tuổi (từ 60 tuổi trở lên)" in kiosk.view.priority_banner.text()
    qtbot.mouseClick(kiosk.group_buttons["A"], Qt.LeftButton)
    assert store.tickets.get(1).priority == "elderly"
    assert "Ưu tiên: Người cao tuổi" in kiosk.view.ticket_group.text()
    assert not elderly.isChecked() and kiosk.priority == ""  # the next citizen starts afresh
    qtbot.mouseClick(kiosk.view.ticket_done, Qt.LeftButton)
    take(qtbot, kiosk, "A")
    assert store.tickets.get(2).priority == ""


def test_a_priority_touched_by_mistake_can_be_undone_or_changed(qtbot, kiosk, store) -> None:
    pregnant = kiosk.priority_buttons["pregnant"]
    qtbot.mouseClick(pregnant, Qt.LeftButton)
    qtbot.mouseClick(kiosk.priority_buttons["veteran"], Qt.LeftButton)  # changed her mind
    assert not pregnant.isChecked() and kiosk.priority_buttons["veteran"].isChecked()
    qtbot.mouseClick(kiosk.priority_buttons["veteran"], Qt.LeftButton)  # touched again: undone
    assert not any(t.isChecked() for t in kiosk.priority_buttons.values())
    assert "Đã chọn" not in kiosk.view.priority_banner.text()
    take(qtbot, kiosk, "B")
    assert store.tickets.get(1).priority == ""


def test_an_elderly_citizen_who_touches_the_group_first_is_asked(qtbot, kiosk, store) -> None:
    # She read the groups first: two touches, as many as choosing the priority first.
    v = kiosk.view
    qtbot.mouseClick(kiosk.group_buttons["A"], Qt.LeftButton)
    assert store.tickets.count() == 0 and v.pages.currentWidget() is v.ask_page
    assert v.ask_group.text().startswith("A  ") and v.ask_title.isVisible()
    asked = {k: t.text_of() for k, t in kiosk.ask_buttons.items()}
    assert asked == {k: t.text_of() for k, t in kiosk.priority_buttons.items()}  # who qualifies
    qtbot.mouseClick(kiosk.ask_buttons["elderly"], Qt.LeftButton)
    assert v.pages.currentWidget() is v.ticket_page
    assert (store.tickets.get(1).group, store.tickets.get(1).priority) == ("A", "elderly")
    assert "Ưu tiên: Người cao tuổi" in v.ticket_group.text()
    assert kiosk.priority == ""  # the next citizen starts afresh


def test_asked_about_priority_no_gives_an_ordinary_ticket_and_back_gives_none(
    qtbot, kiosk, store
) -> None:
    v = kiosk.view
    qtbot.mouseClick(kiosk.group_buttons["B"], Qt.LeftButton)
    qtbot.mouseClick(v.ask_back, Qt.LeftButton)  # the wrong group: back, nothing taken
    assert v.pages.currentWidget() is v.home and store.tickets.count() == 0
    take(qtbot, kiosk, "C")
    assert (store.tickets.get(1).group, store.tickets.get(1).priority) == ("C", "")
    assert v.ticket_number.text() == "C001"
    qtbot.mouseClick(v.ticket_done, Qt.LeftButton)
    qtbot.mouseClick(kiosk.group_buttons["C"], Qt.LeftButton)  # asked, then walked away
    qtbot.waitUntil(lambda: v.pages.currentWidget() is v.home, timeout=3000)
    assert store.tickets.count() == 1


def test_a_priority_left_chosen_is_cleared_when_the_kiosk_goes_idle(qtbot, kiosk) -> None:
    qtbot.mouseClick(kiosk.priority_buttons["disability"], Qt.LeftButton)
    assert kiosk.priority == "disability"
    qtbot.waitUntil(lambda: kiosk.priority == "", timeout=3000)  # idle_ms=150: walked away
    assert not kiosk.priority_buttons["disability"].isChecked()
    assert "Đã chọn" not in kiosk.view.priority_banner.text()


def test_the_ticket_page_shows_the_estimated_wait(qtbot, kiosk) -> None:
    take(qtbot, kiosk, "C")
    assert kiosk.view.ticket_wait.text() == "Thời gian chờ dự kiến: dưới 5 phút"
    for _ in range(6):
        qtbot.mouseClick(kiosk.view.ticket_done, Qt.LeftButton)
        take(qtbot, kiosk, "C")
    # six ahead x 8 minutes (nobody served yet today) over the counters that call C
    counters = sum(1 for d in kiosk._session.station.counters if "C" in d.groups)
    minutes = round(6 * 8 / counters / 5) * 5
    assert kiosk.view.ticket_wait.text() == f"Thời gian chờ dự kiến: khoảng {minutes} phút"
    assert kiosk.view.ticket_wait.isVisible()
    assert any("khoảng" in getattr(b, "text", "") for b in kiosk.last_document.blocks)

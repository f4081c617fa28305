"""Admin settings, counter decisions at intake, the kiosk's public look-up, the status bar."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from counter_app.core.dossier import DossierStatus
from counter_app.core.errors import Forbidden, ValidationError
from counter_app.core.roles import Role
from counter_app.services import admin, dossiers, search
from counter_app.services.station_status import sync_status
from sync.adapters import portal_view
from tests.conftest import make_ctx


@pytest.fixture
def admin_ctx(store, clock, station):
    return make_ctx(store, clock, station, Role.ADMIN, "admin")


def test_settings_are_checked_before_anything_is_written(admin_ctx, ctx) -> None:
    with pytest.raises(Forbidden):
        admin.save_settings(ctx, language="en")
    saved = admin.save_settings(
        admin_ctx,
        printers={"quay1": "tcp://127.0.0.1:9100", "default": "quay1"},
        sync={"portal_url": "https://lgsp.example.vn"},
        backup_folder="/media/usb",
    )
    assert saved["printers"]["default"] == "quay1"
    for bad in (
        {"language": "fr"},
        {"printers": {"quay2": "192.168.1.50"}},
        {"sync": {"portal_url": "ftp://x"}},
        {"backup_keep": 0},
        {"colour": "red"},
    ):
        with pytest.raises(ValidationError):
            admin.save_settings(admin_ctx, backup_folder="/other", **bad)
    assert admin.read_settings(admin_ctx)["backup_folder"] == "/media/usb"


def test_counters_and_hours_are_updated_together(admin_ctx, store) -> None:
    updated = admin.update_station(
        admin_ctx,
        center_name="  Trung tâm   phường Hòa Bình ",
        counters={1: ("A",), 2: ("B", "C")},
        opening_hours={"mon": [["07:00", "11:00"]], "sat": [["07:30", "11:30"]]},
    )
    assert updated.center_name == "Trung tâm phường Hòa Bình"
    assert updated.counter(2).groups == ("B", "C")
    with pytest.raises(ValidationError):
        admin.update_station(admin_ctx, counters={1: ("Z",)})
    from counter_app.services.station import load_station

    assert load_station(store) == updated


def test_refusal_at_the_counter_is_one_transaction_with_a_code(ctx, store) -> None:
    applicant = dossiers.ApplicantInput(full_name="Lê Văn An")
    with pytest.raises(ValidationError):
        dossiers.decide_at_intake(
            ctx, decision=DossierStatus.REFUSED, reasons=" ", procedure_code="1.001193",
            applicant=applicant,
        )  # fmt: skip
    assert store.dossiers.count() == 0
    refused = dossiers.decide_at_intake(
        ctx,
        decision=DossierStatus.REFUSED,
        reasons="Không thuộc thẩm quyền của xã",
        procedure_code="1.001193",
        applicant=applicant,
    )
    assert refused.status is DossierStatus.REFUSED and refused.code.endswith("-0001")
    events = store.dossiers.events(refused.code)
    assert [(e.kind, e.to_status) for e in events] == [("draft", 1), ("status", 3)]
    pushed = [i for i in store.outbox.pending() if i.entity == "dossier"]
    assert len(pushed) == 1 and portal_view(store, pushed[0])["TrangThaiHoSo"] == 3


def test_kiosk_sees_status_and_due_date_but_no_personal_data(store, clock, station, ctx) -> None:
    kiosk = make_ctx(store, clock, station, Role.VOLUNTEER, "kiosk")
    received = dossiers.receive_dossier(
        ctx, procedure_code="1.001193", applicant=dossiers.ApplicantInput(full_name="Lê Văn An")
    )
    public = dossiers.public_status(kiosk, received.code.lower())
    assert public.status is DossierStatus.RECEIVED and public.due_at == received.due_at
    assert not hasattr(public, "applicant")
    with pytest.raises(Forbidden):
        dossiers.show_dossier(kiosk, received.code)


def test_list_filters_and_status_bar(ctx, clock) -> None:
    first = dossiers.receive_dossier(
        ctx, procedure_code="1.001193", applicant=dossiers.ApplicantInput(full_name="Lê Văn An")
    )
    clock.now += timedelta(days=1)
    dossiers.receive_dossier(
        ctx, procedure_code="2.000815", applicant=dossiers.ApplicantInput(full_name="Hà Thị Lan")
    )
    day = date(2026, 4, 29)
    assert [d.code for d in search.list_dossiers(ctx, since=day, until=day)] == [first.code]
    assert len(search.list_dossiers(ctx, procedure_code="2.000815")) == 1
    assert [d.code for d in search.list_dossiers(ctx, overdue=True)] == [first.code]
    status = sync_status(ctx)
    assert status.waiting == 2 + 0 and status.attention == 0 and status.last_ok is None

"""The center's portal link as Settings keeps it: saved through the services with the secret
sealed, and a connection check sorted into what an admin can act on, against real emulators
on 127.0.0.1 (a good account, a wrong password, a dead port, the wrong interface)."""

from __future__ import annotations

import json
import socket

import pytest

from counter_app.core.errors import Forbidden, ValidationError
from counter_app.core.roles import Role
from counter_app.services.portal_link import (
    LinkCheck,
    PortalForm,
    check_portal,
    portal_form,
    save_portal,
)
from counter_app.services.portal_port import PortalPort
from sync.dialects.settings import load_settings
from sync.emulator_dvcqg import DEFAULT_ACCOUNT, DvcqgEmulator
from sync.emulator_motcua import MotcuaEmulator
from sync.portal_port import DIALECT_PORTAL
from tests.conftest import make_ctx

SECRET = DEFAULT_ACCOUNT["password"]


@pytest.fixture
def admin(store, clock, station):
    return make_ctx(store, clock, station, Role.ADMIN, "admin")


@pytest.fixture(scope="module")
def dvcqg(tmp_path_factory):
    emulator = DvcqgEmulator(tmp_path_factory.mktemp("dvcqg")).start()
    yield emulator
    emulator.stop()


def dead_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def form(url: str, **changes) -> PortalForm:
    account = {k: DEFAULT_ACCOUNT[k] for k in ("username", "madonvi", "dstcode")}
    return PortalForm(portal_url=url, dialect="dvcqg", **{**account, **changes})


def test_saved_link_keeps_the_secret_sealed_and_out_of_the_form(admin, store, dvcqg):
    shown = save_portal(admin, form(dvcqg.url), secret=SECRET, portal=DIALECT_PORTAL)
    assert shown.has_secret and shown.dialect == "dvcqg" and "password" not in repr(shown)
    raw = json.dumps(store.settings.get("sync"))
    assert SECRET not in raw and "password_sealed" in raw
    assert load_settings(store).credentials["password"] == SECRET
    # saving again without typing the secret keeps it
    save_portal(admin, form(dvcqg.url, username=DEFAULT_ACCOUNT["username"]), portal=DIALECT_PORTAL)
    assert load_settings(store).credentials["password"] == SECRET
    audit = store.query_one("SELECT action, detail FROM audit ORDER BY id DESC LIMIT 1")
    assert audit["action"] == "settings.portal" and SECRET not in audit["detail"]
    assert portal_form(admin, portal=DIALECT_PORTAL) == shown


def test_bad_input_is_refused_before_anything_is_written(admin, store, dvcqg):
    before = store.settings.get("sync")
    for bad, field in (
        (form("ftp://cong.gov.vn"), "portal_url"),
        (form(dvcqg.url, username=""), "username"),
        (form(dvcqg.url), "secret"),  # no password typed and none stored
    ):
        with pytest.raises(ValidationError) as refused:
            save_portal(admin, bad, portal=DIALECT_PORTAL)
        assert refused.value.field == field
    with pytest.raises(ValidationError):
        save_portal(admin, PortalForm(portal_url=dvcqg.url, dialect="igate"), portal=DIALECT_PORTAL)
    assert store.settings.get("sync") == before


def test_only_an_admin_sees_or_changes_the_link(ctx, dvcqg):
    with pytest.raises(Forbidden):
        portal_form(ctx, portal=DIALECT_PORTAL)
    with pytest.raises(Forbidden):
        check_portal(ctx, "/tmp", form(dvcqg.url), secret=SECRET, portal=DIALECT_PORTAL)


def test_sync_implements_the_services_port():
    assert isinstance(DIALECT_PORTAL, PortalPort)


def test_check_sorts_each_outcome(admin, tmp_path, dvcqg):
    ok = check_portal(admin, tmp_path, form(dvcqg.url), secret=SECRET, portal=DIALECT_PORTAL)
    assert ok.outcome is LinkCheck.OK and "Kết nối tốt" in ok.message()
    wrong = check_portal(
        admin, tmp_path, form(dvcqg.url), secret="sai-mat-khau", portal=DIALECT_PORTAL
    )
    assert wrong.outcome is LinkCheck.WRONG_CREDENTIALS
    assert "không nhận tài khoản" in wrong.message()
    dead = check_portal(
        admin,
        tmp_path,
        form(f"http://127.0.0.1:{dead_port()}"),
        secret=SECRET,
        portal=DIALECT_PORTAL,
    )
    assert dead.outcome is LinkCheck.NO_ANSWER
    assert "không kết nối được" in dead.message() and "cannot connect" in dead.message("en")
    motcua = MotcuaEmulator(tmp_path / "motcua").start()
    try:
        other = check_portal(
            admin, tmp_path, form(motcua.url), secret=SECRET, portal=DIALECT_PORTAL
        )
    finally:
        motcua.stop()
    assert other.outcome is LinkCheck.WRONG_DIALECT and "dvcqg" in other.message()
    # the right system under another path: said the same way, and the path is a setting
    moved = check_portal(admin, tmp_path, form(dvcqg.url, auth_endpoint="/api/auth"),
                         secret=SECRET, portal=DIALECT_PORTAL)  # fmt: skip
    assert moved.outcome is LinkCheck.WRONG_DIALECT and "đường dẫn" in moved.message()
    with pytest.raises(ValidationError) as refused:
        check_portal(
            admin,
            tmp_path,
            form(dvcqg.url, auth_endpoint="auth"),
            secret=SECRET,
            portal=DIALECT_PORTAL,
        )
    assert refused.value.field == "auth_endpoint"

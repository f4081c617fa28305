"""Accounts: passwords hashed, lock-out after wrong passwords, admin-only management."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from counter_app.core import passwords
from counter_app.core.errors import DomainError, Forbidden, ValidationError
from counter_app.core.roles import Actor, Role
from counter_app.services import accounts
from counter_app.services.setup import initialise_store
from counter_app.store import open_store
from tests.conftest import make_ctx


@pytest.fixture
def secured(tmp_path, clock):
    store = open_store(tmp_path / "secured")
    station = initialise_store(
        store,
        agency_code="000.00.01.H22",
        center_name="Trung tâm xã Tân Lập",
        now=clock.now,
        actor=Actor("admin", Role.ADMIN),
        admin_password="mat-khau-dai",
    )
    yield store, station
    store.close()


def test_password_is_stored_as_scrypt_hash(secured) -> None:
    store, _ = secured
    stored = store.users.get("admin").password_hash
    assert stored.startswith("scrypt$") and "mat-khau-dai" not in stored
    assert passwords.verify_password("mat-khau-dai", stored)
    assert not passwords.verify_password("mat-khau-dai!", stored)


def test_login_returns_the_actor_with_its_role(secured, clock) -> None:
    store, _ = secured
    actor = accounts.login(store, username=" Admin ", password="mat-khau-dai", now=clock.now)
    assert actor == Actor("admin", Role.ADMIN)


def test_five_wrong_passwords_lock_the_account_for_a_while(secured, clock) -> None:
    store, _ = secured
    for _ in range(passwords.MAX_FAILURES):
        with pytest.raises(DomainError) as err:
            accounts.login(store, username="admin", password="sai", now=clock.now)
        assert err.value.code == "auth.bad_login"
    with pytest.raises(DomainError) as err:
        accounts.login(store, username="admin", password="mat-khau-dai", now=clock.now)
    assert err.value.code == "auth.locked" and "bị khóa đến" in err.value.message("vi")
    later = clock.now + passwords.LOCK_FOR + timedelta(seconds=1)
    assert accounts.login(store, username="admin", password="mat-khau-dai", now=later).role is (
        Role.ADMIN
    )


def test_unknown_user_gets_the_same_message_as_a_wrong_password(secured, clock) -> None:
    store, _ = secured
    with pytest.raises(DomainError) as err:
        accounts.login(store, username="khong-co", password="x", now=clock.now)
    assert err.value.message("vi") == "Tên đăng nhập hoặc mật khẩu không đúng."


def test_only_an_admin_manages_accounts(secured, clock) -> None:
    store, station = secured
    admin = make_ctx(store, clock, station, Role.ADMIN, "admin")
    clerk = make_ctx(store, clock, station, Role.CLERK, "canbo")
    accounts.add_user(admin, username="canbo", role=Role.CLERK, password="canbo-2026")
    with pytest.raises(Forbidden):
        accounts.add_user(clerk, username="x1", role=Role.ADMIN, password="12345678")
    with pytest.raises(DomainError):
        accounts.add_user(admin, username="canbo", role=Role.CLERK, password="canbo-2026")
    with pytest.raises(ValidationError):
        accounts.add_user(admin, username="Cán bộ", role=Role.CLERK, password="canbo-2026")
    with pytest.raises(ValidationError):
        accounts.add_user(admin, username="canbo2", role=Role.CLERK, password="ngan")
    accounts.set_locked(admin, username="canbo", locked=True)
    with pytest.raises(DomainError) as err:
        accounts.login(store, username="canbo", password="canbo-2026", now=clock.now)
    assert err.value.code == "auth.disabled"
    with pytest.raises(DomainError):
        accounts.set_locked(admin, username="admin", locked=True)  # the last admin
    accounts.set_locked(admin, username="canbo", locked=False)
    assert accounts.login(store, username="canbo", password="canbo-2026", now=clock.now)


@settings(max_examples=25, deadline=None)
@given(username=st.text(max_size=40), password=st.text(max_size=40))
def test_login_fuzz_never_crashes_and_never_lets_in(tmp_path_factory, username, password) -> None:
    store = open_store(tmp_path_factory.mktemp("fuzz"))
    from datetime import datetime

    from counter_app.core.clock import VN_TZ

    now = datetime(2026, 4, 29, 9, tzinfo=VN_TZ)
    initialise_store(
        store,
        agency_code="000.00.01.H22",
        center_name="Trung tâm xã Tân Lập",
        now=now,
        actor=Actor("admin", Role.ADMIN),
        admin_password="mat-khau-dai",
    )
    with pytest.raises(DomainError):
        accounts.login(store, username=username, password=password, now=now)
    store.close()

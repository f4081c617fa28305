"""The store's keys: created at `init`, unlocked at start, rotated on demand.

Layout in settings["keys"]: a keyset (index key + sealing keys by id) sealed under a random
wrapping key W; W itself is wrapped once per way in: the OS keyring (DPAPI on Windows), the
admin's passphrase, the recovery code shown once at init, or (demo stores only) a key file.
Rotation re-seals the keyset under the same W, so every way in keeps working.

In a center the keyset also holds the center's keys this station's role receives (entry
"center", see store/center_keys.py): a kiosk or a board gets a keyset of its own and only
the ticket keys; counters and hub nodes share the center's sealing keys.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from pathlib import Path
from typing import TYPE_CHECKING

from counter_app.core import crypto
from counter_app.core.errors import DomainError
from counter_app.core.messages import register
from counter_app.store.center_keys import CenterKeys, install_keys

if TYPE_CHECKING:
    from counter_app.store.database import Store

KEYRING_SERVICE = "counter-app"
DEMO_KEY_FILE = "demo-store.key"
# per process, by store uid: scrypt runs once per store. The wrapping key is kept so that
# keys received later (a center's rotation) are sealed in without asking for the passphrase
# again; the unlocked keys are kept with the sealed keyset they came from, so a keyset that
# another process changed is read again.
_UNLOCKED: dict[str, tuple[str, crypto.FieldCrypto, CenterKeys]] = {}
_WRAPPING: dict[str, bytes] = {}

register(
    {
        "crypto.locked": {
            "vi": "Kho dữ liệu đang được mã hóa: cần cụm mật khẩu bảo vệ dữ liệu "
            "(biến môi trường COUNTER_APP_PASSPHRASE).",
            "en": "The store is encrypted: the data passphrase is needed "
            "(environment variable COUNTER_APP_PASSPHRASE).",
        },
        "crypto.no_passphrase": {
            "vi": "Máy này không có kho khóa của hệ điều hành: cần đặt cụm mật khẩu bảo vệ "
            "dữ liệu (COUNTER_APP_PASSPHRASE, ít nhất 8 ký tự).",
            "en": "This machine has no OS keyring: set a data passphrase "
            "(COUNTER_APP_PASSPHRASE, at least 8 characters).",
        },
    }
)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text)


def _keyring():
    """The OS keyring, or None where there is none (headless Linux) or it is switched off."""
    if os.environ.get("COUNTER_APP_KEYRING", "on") == "off":
        return None
    try:
        import keyring
        from keyring.backends import fail

        backend = keyring.get_keyring()
        return None if isinstance(backend, fail.Keyring) else keyring
    except Exception:  # a broken backend must not stop a counter from working
        return None


def _kdf_cost() -> int:
    """scrypt's N: 2**15 by default; tests lower it (never below 2**12) to stay fast."""
    requested = int(os.environ.get("COUNTER_APP_KDF_N", crypto.KDF_N))
    return max(requested, 2**12)


def os_keyring_available() -> bool:
    return _keyring() is not None


def _wrap_with_secret(w: bytes, secret: str, label: str) -> dict:
    salt, n = os.urandom(16), _kdf_cost()
    return {"salt": _b64(salt), "n": n} | crypto.wrap(
        w, crypto.kek_from_secret(secret, salt, n=n), label=label
    )


def _unwrap_with_secret(wrapped: dict, secret: str, label: str) -> bytes:
    kek = crypto.kek_from_secret(secret, _unb64(wrapped["salt"]), n=wrapped["n"])
    return crypto.unwrap(wrapped, kek, label=label)


class KeyManager:
    def __init__(self, store: Store) -> None:
        self._store = store

    @property
    def configured(self) -> bool:
        return self._store.settings.get("keys") is not None

    @property
    def is_demo(self) -> bool:
        """A demo store: its key lies in a file beside it, so it must never hold real data."""
        info = self._store.settings.get("keys") or {}
        return "demo_file" in info.get("wraps", {})

    def create(
        self, *, passphrase: str | None, demo: bool = False, keyset: dict | None = None
    ) -> str:
        """Make the keys inside the caller's transaction; return the one-time recovery code.

        `keyset` is what a station of a center receives at enrolment for its role: counters
        and hub nodes seal and index with the center's keys (so one station's sealed rows
        are another's), each under its own ways in; a kiosk or a board receives only the
        center's ticket keys and makes its own store keys here."""
        w = crypto.new_master_key()
        keyset = {
            "index": _b64(crypto.new_master_key()),
            "seal": {"k1": _b64(crypto.new_master_key())},
            "current": "k1",
            **(keyset or {}),
        }
        store_uid = secrets.token_hex(8)
        recovery = crypto.new_recovery_code()
        wraps = {
            "recovery": _wrap_with_secret(w, crypto.normalise_recovery_code(recovery), "recovery")
        }
        os_keyring = _keyring()
        if demo:
            folder = self._data_dir()
            (folder / DEMO_KEY_FILE).write_text(_b64(w), encoding="ascii")
            wraps["demo_file"] = {"file": DEMO_KEY_FILE}
        elif os_keyring is not None:
            kek = crypto.new_master_key()
            os_keyring.set_password(KEYRING_SERVICE, store_uid, _b64(kek))
            wraps["os"] = crypto.wrap(w, kek, label="os")
        passphrase = passphrase or os.environ.get("COUNTER_APP_PASSPHRASE")
        if passphrase:
            wraps["passphrase"] = _wrap_with_secret(w, passphrase, "passphrase")
        elif "os" not in wraps and not demo:
            raise DomainError("crypto.no_passphrase")
        info = {"uid": store_uid, "wraps": wraps, "keyset": self._seal_keyset(keyset, w)}
        self._store.settings.set("keys", info)
        _WRAPPING[store_uid] = w
        self._remember(info, keyset)
        return recovery

    def ensure_created(self) -> None:
        """A store set up before encryption gets its keys once, under a write lock (two
        processes starting together must not each make their own); reseal() then seals it."""
        if self.configured or self._store.settings.get("station") is None:
            return
        with self._store.transaction():
            if not self.configured:
                self.create(passphrase=None)
                self._store.settings.set("reseal_pending", True)

    def unlock(self, *, passphrase: str | None = None, recovery: str | None = None):
        info = self._store.settings.get("keys")
        if info is None:
            raise DomainError("crypto.locked")
        cached = _UNLOCKED.get(info["uid"])
        if cached is not None and cached[0] == info["keyset"]["sealed"]:
            return cached[1]
        w = self._wrapping_key(info, passphrase, recovery)
        keyset = json.loads(crypto.unwrap(info["keyset"], w, label="keyset"))
        return self._remember(info, keyset)

    def unlocked(self) -> tuple[CenterKeys, str]:
        """Right after unlock(): the center's keys this station holds, and the sealed
        keyset they were opened from (to notice another process's change)."""
        sealed, _, center = _UNLOCKED[self._store.settings.get("keys")["uid"]]
        return center, sealed

    def _wrapping_key(self, info: dict, passphrase: str | None, recovery: str | None) -> bytes:
        if passphrase is None and recovery is None and info["uid"] in _WRAPPING:
            return _WRAPPING[info["uid"]]
        w = self._open_wrapping_key(info, passphrase, recovery)
        _WRAPPING[info["uid"]] = w
        return w

    def _open_wrapping_key(self, info: dict, passphrase: str | None, recovery: str | None):
        wraps = info["wraps"]
        if recovery:
            code = crypto.normalise_recovery_code(recovery)
            return _unwrap_with_secret(wraps["recovery"], code, "recovery")
        passphrase = passphrase or os.environ.get("COUNTER_APP_PASSPHRASE")
        if passphrase and "passphrase" in wraps:
            return _unwrap_with_secret(wraps["passphrase"], passphrase, "passphrase")
        if "demo_file" in wraps:
            path = self._data_dir() / wraps["demo_file"]["file"]
            return _unb64(path.read_text(encoding="ascii"))
        os_keyring = _keyring()
        if "os" in wraps and os_keyring is not None:
            kek = os_keyring.get_password(KEYRING_SERVICE, info["uid"])
            if kek:
                return crypto.unwrap(wraps["os"], _unb64(kek), label="os")
        raise DomainError("crypto.locked")

    def keyset(self, *, passphrase: str | None = None) -> dict:
        """The keyset itself, for enrolling a station of this center (sent encrypted)."""
        info = self._store.settings.get("keys")
        w = self._wrapping_key(info, passphrase, None)
        return json.loads(crypto.unwrap(info["keyset"], w, label="keyset"))

    def rotate_seal_key(self, *, passphrase: str | None = None) -> str:
        """Add a new sealing key and make it current; old ones stay until re-sealing ends."""
        info = self._store.settings.get("keys")
        w = self._wrapping_key(info, passphrase, None)
        keyset = json.loads(crypto.unwrap(info["keyset"], w, label="keyset"))
        new_id = f"k{max(int(k[1:]) for k in keyset['seal']) + 1}"
        keyset["seal"][new_id] = _b64(crypto.new_master_key())
        keyset["current"] = new_id
        self._replace(info, keyset, w)
        return new_id

    def drop_old_seal_keys(self, *, passphrase: str | None = None) -> None:
        info = self._store.settings.get("keys")
        w = self._wrapping_key(info, passphrase, None)
        keyset = json.loads(crypto.unwrap(info["keyset"], w, label="keyset"))
        keyset["seal"] = {keyset["current"]: keyset["seal"][keyset["current"]]}
        self._replace(info, keyset, w)

    def replace_keyset(self, keyset: dict) -> None:
        """Inside the caller's transaction: the hub's keyset after a center-wide rotation."""
        info = self._store.settings.get("keys")
        self._replace(info, keyset, self._wrapping_key(info, None, None))

    def install_center_keys(self, received: dict) -> None:
        """Inside the caller's transaction: the keys a rotation sent to this station (a
        grant), added to those it holds; the old ones stay (the stream keeps old events)."""
        info = self._store.settings.get("keys")
        w = self._wrapping_key(info, None, None)
        keyset = json.loads(crypto.unwrap(info["keyset"], w, label="keyset"))
        self._replace(info, install_keys(keyset, received), w)

    def _replace(self, info: dict, keyset: dict, w: bytes) -> None:
        info["keyset"] = self._seal_keyset(keyset, w)
        self._store.settings.set("keys", info)
        self._remember(info, keyset)

    def _seal_keyset(self, keyset: dict, w: bytes) -> dict:
        return crypto.wrap(json.dumps(keyset).encode(), w, label="keyset")

    def _remember(self, info: dict, keyset: dict) -> crypto.FieldCrypto:
        unlocked = crypto.FieldCrypto(
            key_id=keyset["current"],
            seal_keys={k: _unb64(v) for k, v in keyset["seal"].items()},
            index_key=crypto.derive(_unb64(keyset["index"]), "index"),
        )
        _UNLOCKED[info["uid"]] = (
            info["keyset"]["sealed"],
            unlocked,
            CenterKeys.from_keyset(keyset, unlocked),
        )
        return unlocked

    def _data_dir(self) -> Path:
        if self._store.path is None:
            raise DomainError("crypto.locked")
        return self._store.path.parent


def unlock_keys_info(
    info: dict, data_dir: Path, *, passphrase: str | None, recovery: str | None
) -> crypto.FieldCrypto:
    """Open a keys record that is not (yet) in a store: a backup's header."""

    class _Detached:
        path = Path(data_dir) / "detached.db"
        settings = None

    manager = KeyManager(_Detached())  # type: ignore[arg-type]
    w = manager._open_wrapping_key(info, passphrase, recovery)
    keyset = json.loads(crypto.unwrap(info["keyset"], w, label="keyset"))
    return manager._remember(info, keyset)


def forget_unlocked_keys() -> None:
    """Drop the in-process key cache (tests of wrong passphrases; an idle lock)."""
    _UNLOCKED.clear()
    _WRAPPING.clear()

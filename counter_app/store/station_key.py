"""The station's Ed25519 signing key for sync, sealed in the store like personal data.

Created at `init` (or at the first sync of an older store); a stolen store file does not let
anyone sign batches as this station without the store's key.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

if TYPE_CHECKING:
    from counter_app.store.database import Store

SETTING = "station_signing_key"


def _pem(key: Ed25519PrivateKey) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode("ascii")


def create_station_key(store: Store) -> Ed25519PrivateKey:
    """Inside the caller's transaction."""
    key = Ed25519PrivateKey.generate()
    store.settings.set(SETTING, store.crypto.seal(_pem(key), SETTING))
    return key


def station_key(store: Store) -> Ed25519PrivateKey:
    sealed = store.settings.get(SETTING)
    if sealed is None:
        _ = store.crypto  # unlock (and finish any re-sealing) before the write transaction
        with store.transaction():
            sealed = store.settings.get(SETTING)  # another process may have made it
            if sealed is None:
                return create_station_key(store)
    key = serialization.load_pem_private_key(
        store.crypto.open(sealed, SETTING).encode("ascii"), password=None
    )
    assert isinstance(key, Ed25519PrivateKey)
    return key

"""The station's Ed25519 signing key.

Until the security issue lands, the key pair is created on first sync as `station_key.pem`
in the data folder, readable by the owner only (mode 600). The security issue moves it to
protected storage (DPAPI / keyring); only `load_or_create_key` needs to change then.
"""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

KEY_FILE = "station_key.pem"


def load_or_create_key(data_dir: Path) -> Ed25519PrivateKey:
    path = Path(data_dir) / KEY_FILE
    if path.exists():
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError(f"{path} is not an Ed25519 key")
        return key
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    # Write beside, fsync, then rename: a kill leaves either no key or the whole key.
    tmp = path.with_suffix(f".tmp{os.getpid()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, pem)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.chmod(tmp, 0o600)
    try:
        os.link(tmp, path)  # fails if another process created the key meanwhile
    except FileExistsError:
        os.unlink(tmp)
        return load_or_create_key(data_dir)
    except OSError:
        os.replace(tmp, path)
    else:
        os.unlink(tmp)
    return key

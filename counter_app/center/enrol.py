"""The join code and the enrolment package.

The hub prints a one-time code: where the center is, this station's NATS user and password,
the invite's id and a secret. The station connects with that user and asks for its
package; the hub answers with it encrypted under a key derived from the secret (AES-GCM,
bound to the invite id), so the center's data keys never cross the LAN in clear, and the
hub refuses a second or late request for the same invite.
"""

from __future__ import annotations

import base64
import json
import os
from hmac import compare_digest

from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from counter_app.core.errors import ValidationError
from counter_app.core.messages import register

CODE_PREFIX = "CA1-"
MAX_CODE = 4096
WRONG_SECRET = b"wrong-secret"  # the hub's answer to a join code whose secret is wrong

register(
    {
        "center.wrong_code": {
            "vi": "Không tham gia được: mã tham gia không đúng (phần bí mật của mã sai). Mã "
            "vẫn dùng được; hãy sao chép lại đúng toàn bộ mã do máy chủ trung tâm in ra.",
            "en": "Could not join: the join code is not right (its secret is wrong). The code "
            "is still usable; copy the whole code the hub printed again, exactly.",
        },
        "center.bad_code": {
            "vi": "Mã tham gia trung tâm không đúng hoặc bị cắt ngắn. Hãy sao chép lại toàn "
            "bộ mã do máy chủ trung tâm in ra (bắt đầu bằng CA1-).",
            "en": "The center join code is wrong or cut short. Copy the whole code the hub "
            "printed again (it starts with CA1-).",
        },
    }
)


def _b64e(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _b64d(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def make_code(
    *,
    urls: list[str],
    user: str,
    password: str,
    invite: str,
    secret: bytes,
    cert: str | None,
    role: str | None = None,
) -> str:
    """`cert`: the hub's TLS certificate (PEM), which the station will trust alone. `role`
    tells the joiner before it uses the invite up whether it must make a local operator
    (a kiosk or a board receives no account: center/join.py); the package's role rules."""
    body = {"u": urls, "n": user, "p": password, "i": invite, "s": _b64e(secret)}
    if role:
        body["r"] = role
    if cert:
        body["c"] = _b64e(cert.encode("ascii"))
    return CODE_PREFIX + _b64e(json.dumps(body, separators=(",", ":")).encode())


def read_code(code: str) -> dict:
    text = "".join(code.split())
    if not text.startswith(CODE_PREFIX) or len(text) > MAX_CODE:
        raise ValidationError("center.bad_code", field="code")
    try:
        body = json.loads(_b64d(text[len(CODE_PREFIX) :]))
        return {
            "urls": [str(u) for u in body["u"]],
            "user": str(body["n"]),
            "password": str(body["p"]),
            "invite": str(body["i"]),
            "secret": _b64d(body["s"]),
            "cert": _b64d(body["c"]).decode("ascii") if body.get("c") else None,
            "role": str(body["r"]) if body.get("r") else None,  # a code of an older hub: none
        }
    except (ValueError, KeyError, TypeError) as error:
        raise ValidationError("center.bad_code", field="code") from error


def _key(secret: bytes) -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"counter-app enrol")
    return hkdf.derive(secret)


def proof(secret: bytes, invite: str) -> bytes:
    """What a joiner sends to show it holds the code's secret, without sending it: the hub
    answers (and uses the invite up) only for the right one, so a mistyped code leaves the
    invite usable for its genuine holder."""
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"counter-app proof")
    mac = hmac.HMAC(hkdf.derive(secret), hashes.SHA256())
    mac.update(invite.encode())
    return mac.finalize()


def proof_matches(secret: bytes, invite: str, offered: bytes) -> bool:
    return compare_digest(proof(secret, invite), offered)


def seal_package(package: dict, *, secret: bytes, invite: str) -> bytes:
    nonce = os.urandom(12)
    body = json.dumps(package, ensure_ascii=False).encode()
    return nonce + AESGCM(_key(secret)).encrypt(nonce, body, invite.encode())


def open_package(blob: bytes, *, secret: bytes, invite: str) -> dict:
    return json.loads(AESGCM(_key(secret)).decrypt(blob[:12], blob[12:], invite.encode()))

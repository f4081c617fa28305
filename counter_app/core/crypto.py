"""Field encryption, blind indexes and name tokens for personal data at rest.

A stolen store file or backup must not give away a citizen's name, ID number or phone.
Each personal field is sealed with AES-GCM; exact look-ups (ID number, phone) use a keyed
HMAC "blind index"; name search uses keyed tokens of every prefix of every folded word, so
"nguyen duong" still finds "Nguyễn Thị Đường" while the store holds no name in clear, and
keyed tokens of pairs of words cut to the same length, so that a name rare as a whole but
made of common words ("Nguyễn", "Thị") is found without reading every Nguyễn.

The index key is derived once and never rotated (rotating it would mean rebuilding every
index at once); key rotation replaces the encryption key and re-seals the fields.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from counter_app.core.errors import DomainError
from counter_app.core.messages import register
from counter_app.core.text import fold

PREFIX = "e1"
MIN_PREFIX = 2
KDF_N, KDF_R, KDF_P = 2**15, 8, 1

register(
    {
        "crypto.wrong_key": {
            "vi": "Sai cụm mật khẩu bảo vệ dữ liệu (hoặc sai mã khôi phục).",
            "en": "Wrong data passphrase (or recovery code).",
        },
        "crypto.damaged": {
            "vi": "Một trường dữ liệu đã bị thay đổi hoặc hỏng, không giải mã được.",
            "en": "A field was altered or damaged and cannot be decrypted.",
        },
    }
)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return binascii.a2b_base64(text)


def derive(master: bytes, purpose: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose.encode()).derive(
        master
    )


@dataclass(frozen=True)
class FieldCrypto:
    """Seals and opens fields; computes blind indexes and name tokens."""

    key_id: str
    seal_keys: dict[str, bytes]  # key id -> AES key; older ids kept while rotating
    index_key: bytes

    def seal(self, value: str, aad: str) -> str:
        if value == "":
            return ""
        nonce = os.urandom(12)
        sealed = self._ciphers[self.key_id].encrypt(
            nonce, value.encode("utf-8"), aad.encode("utf-8")
        )
        return f"{PREFIX}:{self.key_id}:{_b64(nonce + sealed)}"

    def open(self, token: str | None, aad: str) -> str:
        if not token:
            return ""
        try:
            prefix, key_id, body = token.split(":", 2)
            raw = _unb64(body)
            clear = self._ciphers[key_id].decrypt(raw[:12], raw[12:], aad.encode("utf-8"))
        except (ValueError, KeyError, InvalidTag):
            raise DomainError("crypto.damaged") from None
        return clear.decode("utf-8")

    def open_many(self, fields: list[tuple[str | None, str]]) -> list[str]:
        """`open` for each (stored value, aad) of one row: a search opens 50 rows of six
        fields, and the calls around each 2 µs decryption cost more than it. A value not
        sealed (a row from before sealing, sealed again at the next unlock) comes as it is."""
        ciphers, opened, marker = self._ciphers, [], PREFIX + ":"
        try:
            for token, aad in fields:
                if token and token.startswith(marker):
                    _, key_id, body = token.split(":", 2)
                    raw = _unb64(body)
                    token = ciphers[key_id].decrypt(raw[:12], raw[12:], aad.encode()).decode()
                opened.append(token or "")
        except (ValueError, KeyError, InvalidTag):
            raise DomainError("crypto.damaged") from None
        return opened

    @functools.cached_property
    def _ciphers(self) -> dict[str, AESGCM]:
        """One AES-GCM context per key: building it costs more than sealing a short field."""
        return {key_id: AESGCM(key) for key_id, key in self.seal_keys.items()}

    def blind_index(self, kind: str, value: str) -> str:
        if value == "":
            return ""
        digest = hmac.new(self.index_key, f"{kind}:{value}".encode(), hashlib.sha256)
        return digest.hexdigest()[:32]

    def name_tokens(self, name: str) -> str:
        """FTS text for a name: one token per prefix (2+ letters) of every folded word, then
        one per pair of words cut to the same length L (every L from 2 up to the shorter).

        A query word q starts a name word w, so w[:len(q)] == q. For two query words cut to
        L = the shorter's length, a matching name holds the pair token of its two words cut
        to L (two different words when the cuts differ): a short doclist to drive from.
        """
        words = fold(name).split()
        tokens = [
            self._token(word[:end])
            for word in words
            for end in range(min(MIN_PREFIX, len(word)), len(word) + 1)
        ]
        for i, first in enumerate(words):
            for second in words[i + 1 :]:
                for length in range(MIN_PREFIX, min(len(first), len(second)) + 1):
                    tokens.append(self._pair_token(first[:length], second[:length]))
        return " ".join(dict.fromkeys(tokens))

    def query_tokens(self, text: str) -> list[str]:
        """One token per typed word: a name matches when it holds them all."""
        return [self._token(w) for w in dict.fromkeys(fold(text).split())]

    def query_pair_tokens(self, text: str) -> list[str]:
        """The pair tokens every name matching `text` holds, longest cuts (rarest) first.

        They narrow nothing that `query_tokens` match (a search may drive from them and
        check the words' tokens on the few rows found); none for a single word, nor for
        two words one of which starts the other ("ng nguyen": one name word may match both).
        """
        cut = self._cut_pairs(list(dict.fromkeys(fold(text).split())))
        return [token for _, token in sorted(cut, key=lambda pair: -pair[0])]

    def query_weak_pair_words(self, text: str) -> list[str]:
        """When every pair is cut to two letters, the tokens of the typed words longer than
        that: a name matching `text` holds them too, and they are the rare part.

        "le thao" has the one pair "le"+"th", held by every Lê Thị: checked row by row, a
        search read over a thousand of them (10 ms at 1,000,000 dossiers) to find 50 Lê ...
        Thảo, which the index finds with the token of "thao" beside the pair.
        """
        words = list(dict.fromkeys(fold(text).split()))
        cuts = [length for length, _ in self._cut_pairs(words)]
        if not cuts or max(cuts) > MIN_PREFIX:
            return []
        return [self._token(word) for word in words if len(word) > MIN_PREFIX]

    def _cut_pairs(self, words: list[str]) -> list[tuple[int, str]]:
        """(cut length, pair token) for each two typed words neither of which starts the
        other's cut."""
        cut: list[tuple[int, str]] = []
        for i, first in enumerate(words):
            for second in words[i + 1 :]:
                length = min(len(first), len(second))
                if length >= MIN_PREFIX and first[:length] != second[:length]:
                    cut.append((length, self._pair_token(first[:length], second[:length])))
        return cut

    def _pair_token(self, first: str, second: str) -> str:
        """Two cut words in either order; a space never occurs in a word's own prefix."""
        return self._token(" ".join(sorted((first, second))))

    def _token(self, prefix: str) -> str:
        digest = hmac.new(self.index_key, f"name:{prefix}".encode(), hashlib.sha256)
        return "t" + digest.hexdigest()[:15]


def new_master_key() -> bytes:
    return secrets.token_bytes(32)


def new_recovery_code() -> str:
    """20 letters and digits in groups of four, to write on paper and keep in a safe."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    raw = "".join(secrets.choice(alphabet) for _ in range(20))
    return "-".join(raw[i : i + 4] for i in range(0, 20, 4))


def normalise_recovery_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def kek_from_secret(secret: str, salt: bytes, *, n: int = KDF_N) -> bytes:
    """A key-encryption key from a passphrase: scrypt makes guessing it slow."""
    return hashlib.scrypt(
        secret.encode("utf-8"), salt=salt, n=n, r=KDF_R, p=KDF_P, dklen=32, maxmem=2**26
    )


def wrap(key: bytes, kek: bytes, *, label: str) -> dict:
    nonce = os.urandom(12)
    return {"nonce": _b64(nonce), "sealed": _b64(AESGCM(kek).encrypt(nonce, key, label.encode()))}


def unwrap(wrapped: dict, kek: bytes, *, label: str) -> bytes:
    try:
        return AESGCM(kek).decrypt(
            _unb64(wrapped["nonce"]), _unb64(wrapped["sealed"]), label.encode()
        )
    except (InvalidTag, KeyError, ValueError):
        raise DomainError("crypto.wrong_key") from None

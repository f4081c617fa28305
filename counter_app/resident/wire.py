"""Where a station's resident service listens, the secret that admits a client, and the
handshake both ends run before a byte of a request is read.

On Linux and macOS: a Unix socket in the station folder (`station.sock`), mode 0600, so
only the folder's owner can even connect; nothing on the LAN can reach it. On Windows: a
named pipe whose name comes from the folder, opened through `multiprocessing.connection`
(only there: its import costs a served command 35 ms of tempfile and friends). Python does
not create the pipe with PIPE_REJECT_REMOTE_CLIENTS, so a remote client could open it: the
secret is what keeps it out there (and the default pipe ACL, which gives write access only
to the owner, SYSTEM and administrators).

The handshake (`client_proves` / `service_checks`), over frames of a 4-byte length and
their bytes, each read under a size limit and a time bound:

1. the client sends a random nonce;
2. the service answers with its own random nonce and HMAC-SHA256(secret, "service",
   both nonces): the client trusts no service that does not know the secret, and runs
   the command itself;
3. the client sends HMAC-SHA256(secret, "client", both nonces, request) and the request:
   the service answers nothing to a client without the secret, and a recorded exchange
   replayed meets a new service nonce and is refused.

The secret is `station.key` (random, rewritten at every start of the service, readable by
the owner only); requests and answers are JSON, never pickle. This module is imported by
the `counter-app` fast path: small standard modules only.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import sys

SOCKET_NAME = "station.sock"
KEY_NAME = "station.key"
HANDSHAKE_S = 1.0  # a service that does not answer the challenge by then is not used
UNIX_PATH_MAX = 100  # sockaddr_un holds 104-108 bytes, with its NUL
NONCE = 32
TAG = 32  # HMAC-SHA256
HEADER = 4  # a frame's length, big-endian


class Refused(Exception):
    """The other end does not know the station's secret, or broke the handshake."""


class TooBig(Refused):
    """A frame longer than its limit: refused before a byte of it is read."""


def address(folder: str) -> tuple[str, str]:
    """(family, address) of the service of the station folder `folder` (absolute)."""
    if sys.platform == "win32":
        digest = hashlib.sha256(os.path.normcase(folder).encode("utf-8")).hexdigest()[:32]
        return "AF_PIPE", rf"\\.\pipe\counter-app-{digest}"
    return "AF_UNIX", os.path.join(folder, SOCKET_NAME)


def reach(sock, path: str, how: str) -> None:
    """`sock.bind(path)` or `sock.connect(path)`: a deep folder's path is too long for a
    socket address, so it is then named from inside the folder."""
    act = getattr(sock, how)
    if len(os.fsencode(path)) < UNIX_PATH_MAX:
        act(path)
        return
    here = os.getcwd()
    os.chdir(os.path.dirname(path))
    try:
        act(os.path.basename(path))
    finally:
        os.chdir(here)


class SocketFrames:
    """Length-prefixed frames over a connected Unix socket; `within(seconds)` bounds
    every later read and write (None: no bound)."""

    def __init__(self, sock) -> None:
        self.sock = sock

    def within(self, seconds: float | None) -> None:
        self.sock.settimeout(seconds)

    def send(self, data: bytes) -> None:
        self.sock.sendall(len(data).to_bytes(HEADER, "big") + data)

    def receive(self, limit: int) -> bytes:
        size = int.from_bytes(self._exactly(HEADER), "big")
        if size > limit:
            raise TooBig(f"a frame of {size} bytes, over {limit}")
        return self._exactly(size)

    def _exactly(self, size: int) -> bytes:
        data = bytearray()
        while len(data) < size:
            chunk = self.sock.recv(min(size - len(data), 1 << 16))
            if not chunk:
                raise EOFError("the other end closed")
            data += chunk
        return bytes(data)

    def close(self) -> None:
        self.sock.close()


class PipeFrames:
    """The same over a Windows pipe's multiprocessing Connection (its own framing)."""

    def __init__(self, conn) -> None:
        self.conn = conn
        self.bound: float | None = None

    def within(self, seconds: float | None) -> None:
        self.bound = seconds

    def send(self, data: bytes) -> None:
        self.conn.send_bytes(data)

    def receive(self, limit: int) -> bytes:
        if self.bound is not None and not self.conn.poll(self.bound):
            raise TimeoutError("no answer in time")
        try:
            return self.conn.recv_bytes(limit)
        except OSError as error:
            if "bad message length" in str(error):  # multiprocessing's word for over the limit
                raise TooBig(str(error)) from error
            raise

    def close(self) -> None:
        self.conn.close()


def _tag(key: bytes, *parts: bytes) -> bytes:
    return hmac.new(key, b"".join(parts), hashlib.sha256).digest()


def client_proves(frames, key: bytes) -> bytes:
    """Steps 1-2 for the client: the service's nonce once it proved the secret (Refused
    otherwise). The request then goes out with `client_request`."""
    mine = os.urandom(NONCE)
    frames.send(mine)
    answer = frames.receive(NONCE + TAG)
    theirs, proof = answer[:NONCE], answer[NONCE:]
    if len(theirs) != NONCE or not hmac.compare_digest(proof, _tag(key, b"service", mine, theirs)):
        raise Refused("the service does not know the station's secret")
    return mine + theirs


def client_request(frames, key: bytes, nonces: bytes, request: bytes) -> None:
    """Step 3: the request, bound to this exchange's nonces by the client's proof."""
    frames.send(_tag(key, b"client", nonces, request) + request)


def service_checks(frames, key: bytes, limit: int) -> bytes:
    """The service's side of the handshake: the request of a client that proved the
    secret for this exchange (Refused otherwise, TooBig for a frame over `limit`)."""
    theirs = frames.receive(NONCE)
    if len(theirs) != NONCE:
        raise Refused("not a nonce")
    mine = os.urandom(NONCE)
    frames.send(mine + _tag(key, b"service", theirs, mine))
    framed = frames.receive(TAG + limit)
    proof, request = framed[:TAG], framed[TAG:]
    if not hmac.compare_digest(proof, _tag(key, b"client", theirs + mine, request)):
        raise Refused("the client does not know the station's secret")
    return request

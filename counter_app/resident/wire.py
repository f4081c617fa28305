"""Where a station's resident service listens, and the secret that admits a client.

On Linux and macOS: a Unix socket in the station folder (`station.sock`), mode 0600, so
only the folder's owner can even connect; nothing on the LAN can reach it. The socket is
made here rather than by multiprocessing's Listener, for its mode, its long-path naming
and time bounds on reads; the connections over it are multiprocessing's Connection, with
its handshake. On Windows: a
named pipe whose name comes from the folder. Python's `multiprocessing.connection` does
not create the pipe with PIPE_REJECT_REMOTE_CLIENTS, so a remote client could open it: the
secret is what keeps it out there (and the default pipe ACL, which gives write access only
to the owner, SYSTEM and administrators).

Either way a client proves it knows the secret in `station.key` (random, rewritten at every
start of the service, readable by the owner only) by multiprocessing's HMAC challenge,
both ways, before a byte of the request is sent; requests and answers are JSON, never
pickle.

This module is imported by the `counter-app` fast path: standard modules only.
"""

from __future__ import annotations

import os
import sys

SOCKET_NAME = "station.sock"
KEY_NAME = "station.key"
HANDSHAKE_S = 1.0  # a service that does not answer the challenge by then is not used
UNIX_PATH_MAX = 100  # sockaddr_un holds 104-108 bytes, with its NUL


def address(folder: str) -> tuple[str, str]:
    """(family, address) of the service of the station folder `folder` (absolute)."""
    if sys.platform == "win32":
        import hashlib

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


def limit_reads(conn, seconds: float) -> None:
    """Reads on `conn` (a Unix-socket Connection) fail after `seconds` (0: never), so that
    neither end waits forever on a peer that stopped answering."""
    if sys.platform == "win32":
        return
    import socket
    import struct

    whole = int(seconds)
    sock = socket.socket(fileno=conn.fileno())
    try:
        timeval = struct.pack("ll", whole, int((seconds - whole) * 1e6))
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, timeval)
    finally:
        sock.detach()  # the Connection keeps the descriptor

"""The resident station service: one headless process per station folder that keeps the
store unlocked and the center link open and followed, and runs one-shot commands
(`counter-app queue ...`, `counter-app ticket take`) for `counter-app` processes of the
same OS user on this PC, over a local socket only.

A one-shot process otherwise pays, every time, the interpreter's start and the imports,
the data key's passphrase unlock (scrypt), the account's password check (scrypt), and a
new connection to the center with its catch-up: about a second. Here only the process
start and one local round trip remain (`wire.py` is the fast path's only import).

- wire.py: where the socket and its secret live, the frames and the handshake (HMAC-SHA256
  both ways over fresh nonces), and the time bounds on both ends.
- client.py: the `counter-app` side, before click is imported.
- service.py: `counter-app station serve`.
- logins.py: a right password remembered for a few minutes, in memory only.
"""

"""A hub of this version started over a center of the version before permissions.

Centers install a new version one PC at a time, the hub first. Protocol 1 (before
`center/permissions.py`) published on `center.ev.<entity>`, kept claims under `t_<hash>`,
gave every station's user every right and put the station's own user in its join code.
The new hub brings that center over without losing an event:

- the stream keeps its events: the new replicas read the old subjects (no publisher
  token: `screening.publisher_of`); the hub then announces the new protocol in the
  stream's metadata (`runner._ensure_stream`);
- claims move to the new keys (`t.<hash>`, the only ones a counter may write), lasting as
  before, so a ticket called before the upgrade is never claimed again;
- users: the server configuration is written again with each role's permissions; a
  counter station is given the counter numbers of the center (lowest free, in station
  order) so that new stations get others, and learns them, once updated, from the stream's
  metadata where the hub announces every station's numbers; an invite still open carries
  a station's own password in its code, which must not outlive it: it is withdrawn;
- a station still on the old version is refused by the permissions (it sees itself cut
  off and keeps its events); nats-server names it in its log, and the hub lists it as
  needing an update (`hub stations`), until an event from its new version arrives.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from counter_app.center.hub import center_desks, hub_settings
from counter_app.center.permissions import CLAIMS_BUCKET
from counter_app.services.station import Station
from counter_app.store import Store

log = logging.getLogger(__name__)

LEGACY_CLAIM = re.compile(r"^t_([0-9a-f]{32})$")
# nats-server's own log line for a refused subscribe or publish: the client's
# "version:lang[:name]" and its user. Stations of this version name themselves
# `counter-app/<protocol>` (link.client_name); an unnamed client is of the old version.
VIOLATION = re.compile(
    r' - "(?P<client>[^"]*)" - "\$G/user:(?P<user>[^"]+)" - (?:Subscription|Publish) Violation'
)
CLIENT_NAME = "counter-app/"
NOTE_EVERY = 60.0  # seconds between two notes of the same old station (it retries often)


def upgrade_record(store: Store, now: datetime) -> list[str]:
    """The hub's record brought to this version; returns what changed, for the console."""
    done: list[str] = []
    with store.transaction():
        hub = hub_settings(store)
        taken = {n for r in hub["stations"].values() for n in r.get("counters", [])}
        for user, record in sorted(hub["stations"].items(), key=lambda kv: kv[1]["number"]):
            if "counters" in record:
                continue
            record["counters"] = []
            if record["role"] == "counter" and not record["revoked_at"]:
                number = min(n for n in range(1, len(taken) + 2) if n not in taken)
                record["counters"] = [number]
                taken.add(number)
                done.append(f"{user}: quầy {number}")
        for invite_id, entry in list(hub["invites"].items()):
            if "password" in entry:
                continue
            hub["invites"].pop(invite_id)  # its code holds the station's own password
            record = hub["stations"].get(entry["user"])
            if record is not None and not record["joined_at"]:
                record["revoked_at"] = now.isoformat()
            done.append(f"{entry['user']}: mã tham gia cũ đã thu hồi")
        if done:
            store.settings.set("hub", hub)
    return done


def announced_counters(store: Store) -> str:
    """Each live station's counter numbers, for the stream's metadata (not secret: the
    board names them too)."""
    hub = hub_settings(store)
    numbers = {
        user: record["counters"]
        for user, record in sorted(hub["stations"].items())
        if record.get("counters") and not record["revoked_at"]
    }
    return json.dumps(numbers, separators=(",", ":"))


def learn_counters(store: Store, station: Station, user: str, metadata: dict | None) -> Station:
    """A counter station enrolled before numbers were the center's acts as every counter;
    once the hub announces its numbers it acts as those only, from then on."""
    try:
        own = json.loads((metadata or {}).get("counters", "{}")).get(user)
    except (ValueError, AttributeError):
        return station
    if not own:
        return station
    learnt = replace(station, own_counters=tuple(sorted(own)), counters=center_desks(station, own))
    with store.transaction():
        data = store.settings.get("station")
        settings = learnt.to_settings()
        data.update(own_counters=settings["own_counters"], counters=settings["counters"])
        store.settings.set("station", data)
    log.info("this station acts as counter(s) %s, as the hub gave them", own)
    return learnt


class ClaimsUnlisted(Exception):
    """The claims bucket's listing never came back whole within LISTING_WAIT: nothing is
    moved and the new protocol is not announced (the hub's start tries again)."""


# How long a listing that does not add up is read again: a node just restarted, its
# replicas catching up, answered once with no subjects for a stream holding claims.
LISTING_WAIT = 20.0
LISTING_PAUSE = 0.25


async def _whole_listing(js, read_info, wait: float) -> dict[str, int]:
    """The bucket stream's subjects with their message counts, from one reply that a leader
    gave (a clustered stream names it) and whose counts add up to the stream's own message
    count: every message of the bucket lies under `$KV.claims.>`, so a reply listing fewer
    (none, as once seen) is not the whole bucket and is read again, up to `wait` seconds.
    A bucket of more than nats-server's page (100,000 subjects) never adds up and fails
    loudly: claims last 2 days, a center makes a few thousand."""
    read_info = read_info or js.stream_info
    deadline = asyncio.get_running_loop().time() + wait
    while True:
        info = await read_info(f"KV_{CLAIMS_BUCKET}", subjects_filter=f"$KV.{CLAIMS_BUCKET}.>")
        subjects = info.state.subjects or {}
        led = info.cluster is None or (info.config.num_replicas or 1) <= 1 or info.cluster.leader
        if led and sum(subjects.values()) == info.state.messages:
            return subjects
        if asyncio.get_running_loop().time() >= deadline:
            raise ClaimsUnlisted(
                f"{len(subjects)} subjects listing {sum(subjects.values())} of "
                f"{info.state.messages} messages"
            )
        log.info("the claims bucket listed %d of its %d messages: reading it again",
                 sum(subjects.values()), info.state.messages)  # fmt: skip
        await asyncio.sleep(LISTING_PAUSE)


async def live_claims(js, *, read_info=None) -> dict[str, bytes]:
    """Every live claim by key, listed from the bucket stream's subjects (a key-value
    watcher may end before the first entry on a busy server and say there are none:
    nats.py issue #842). `read_info` stands for `js.stream_info` (a test makes it answer
    once as the restarted node did)."""
    from nats.js.errors import KeyDeletedError, KeyNotFoundError

    claims = await js.key_value(CLAIMS_BUCKET)
    prefix = f"$KV.{CLAIMS_BUCKET}."
    found = {}
    listing = await _whole_listing(js, read_info, LISTING_WAIT)
    for subject in sorted(listing):
        key = subject.removeprefix(prefix)
        try:
            found[key] = (await claims.get(key)).value
        except (KeyDeletedError, KeyNotFoundError):  # moved, or lapsed
            continue
    return found


async def move_claims(js, *, read_info=None) -> int:
    """Each claim of the old layout copied under its new key, then removed: a copy that
    exists already (a hub killed part-way) is left as it is. A listing that never adds up
    raises ClaimsUnlisted, so the caller never announces the new protocol after moving
    nothing by mistake."""
    from nats.js.errors import KeyWrongLastSequenceError

    claims = await js.key_value(CLAIMS_BUCKET)
    moved = 0
    for key, value in (await live_claims(js, read_info=read_info)).items():
        legacy = LEGACY_CLAIM.match(key)
        if legacy is None:
            continue
        with contextlib.suppress(KeyWrongLastSequenceError):  # copied before a kill
            await claims.create(f"t.{legacy.group(1)}", value)
        await claims.purge(key)
        moved += 1
    return moved


class OldStationWatch:
    """Reads nats-server's log as it grows for stations refused while speaking the old
    protocol, and records them in the hub's record (`outdated`: user -> when)."""

    def __init__(self, log_path: Path) -> None:
        self.log_path = log_path
        self.offset = log_path.stat().st_size if log_path.exists() else 0

    def new_old_stations(self) -> set[str]:
        try:
            size = self.log_path.stat().st_size
        except FileNotFoundError:
            return set()
        if size < self.offset:  # a new file
            self.offset = 0
        with self.log_path.open("rb") as f:
            f.seek(self.offset)
            data = f.read(size - self.offset)
        cut = data.rfind(b"\n") + 1  # a line half written waits for the next turn
        self.offset += cut
        found = set()
        for line in data[:cut].decode("utf-8", errors="replace").splitlines():
            match = VIOLATION.search(line)
            if match and CLIENT_NAME not in match["client"]:
                found.add(match["user"])
        return found

    def record(self, store: Store, now: datetime) -> list[str]:
        """The old stations seen since the last turn, noted at most every NOTE_EVERY
        seconds each; returns the newly noted ones."""
        users = self.new_old_stations()
        if not users:
            return []
        noted = []
        with store.transaction():
            hub = hub_settings(store)
            outdated = hub.setdefault("outdated", {})
            for user in sorted(users):
                if user not in hub["stations"]:
                    continue
                last = outdated.get(user)
                if last and (now - datetime.fromisoformat(last)).total_seconds() < NOTE_EVERY:
                    continue
                if not last:
                    noted.append(user)
                outdated[user] = now.isoformat()
            store.settings.set("hub", hub)
        return noted

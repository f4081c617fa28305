"""What each NATS user of a center may do, written into nats-server's configuration.

Least privilege by nats-server's own mechanism (per-user publish/subscribe allow lists over
the JetStream API subjects), not by checks of ours: a station holds only what its role
needs, so one station's credentials, stolen from a kiosk in the public lobby, cannot manage
streams, read the hub's record, claim tickets or speak for another station.

- every station reads the center stream (stream info, get by sequence, an ordered
  consumer) and publishes only under `center.ev.<its user>.<action>`, for its role's
  actions only;
- counters alone claim tickets (`$KV.claims.t.*`) and online dossiers (`$KV.claims.o.*`,
  so two clerks never check the same one), and read and write the paper store
  (the JetStream object store `papers`);
- a join code's user may only ask for its enrolment package, and exists only while its
  invite is open;
- the hub user (hub nodes only) manages streams, consumers and the `hub` bucket.
Replies come back on a per-user inbox prefix (`_INBOX_<user>`), so no station reads
another's answers.
"""

from __future__ import annotations

from counter_app.center.screening import subject_for

# The center's protocol: these subjects, permissions and claim keys. The hub announces it
# in the stream's metadata; a station older than its center stops publishing and says it
# needs an update (its events wait, nothing lost). 1: the version before permissions.
PROTOCOL = 2
STREAM = "CENTER"
CLAIMS_BUCKET = "claims"
PAPERS_BUCKET = "papers"

# the actions (journal actions) whose events each role publishes to the center
ROLE_ACTIONS: dict[str, tuple[str, ...]] = {
    "kiosk": ("ticket.waiting", "rating.add"),
    "display": (),  # the board only reads
    "counter": ("ticket.>", "dossier.>", "paper.>", "rating.add", "counter.>"),
}


def client_name() -> str:
    """How this version names its NATS connections: nats-server shows the name in its log
    and monitoring, so the hub tells a station of an older version (no name) apart."""
    return f"counter-app/{PROTOCOL}"


def inbox_prefix(user: str) -> str:
    return f"_INBOX_{user}"


def may_publish(role: str, action: str) -> bool:
    """The same rule as nats-server applies to the subject: the hub publishes anything."""
    if role == "hub":
        return True
    for allowed in ROLE_ACTIONS.get(role, ()):
        if allowed.endswith(".>"):
            if action.startswith(allowed[:-1]):
                return True
        elif action == allowed:
            return True
    return False


def _reader(stream: str) -> list[str]:
    """Read a stream: its info, a message by sequence, an ordered consumer's life."""
    api = "$JS.API"
    return [
        f"{api}.STREAM.INFO.{stream}",
        f"{api}.STREAM.MSG.GET.{stream}",
        f"{api}.DIRECT.GET.{stream}",
        f"{api}.DIRECT.GET.{stream}.>",
        f"{api}.CONSUMER.CREATE.{stream}",
        f"{api}.CONSUMER.CREATE.{stream}.>",
        f"{api}.CONSUMER.INFO.{stream}.>",
        f"{api}.CONSUMER.DELETE.{stream}.>",
        f"$JS.FC.{stream}.>",
    ]


def station_permissions(user: str, role: str) -> dict[str, list[str]]:
    publish = [subject_for(user, action) for action in ROLE_ACTIONS.get(role, ())]
    publish += _reader(STREAM)
    if role == "counter":
        publish += [
            "$JS.API.STREAM.NAMES",  # the object store's reader looks its stream up
            f"$JS.API.STREAM.INFO.KV_{CLAIMS_BUCKET}",
            f"$JS.API.DIRECT.GET.KV_{CLAIMS_BUCKET}.$KV.{CLAIMS_BUCKET}.t.*",
            f"$JS.API.DIRECT.GET.KV_{CLAIMS_BUCKET}.$KV.{CLAIMS_BUCKET}.o.*",
            f"$JS.API.STREAM.MSG.GET.KV_{CLAIMS_BUCKET}",
            f"$KV.{CLAIMS_BUCKET}.t.*",  # ticket claims
            f"$KV.{CLAIMS_BUCKET}.o.*",  # online dossiers' claims (center/claims.py)
            *_reader(f"OBJ_{PAPERS_BUCKET}"),
            f"$JS.API.STREAM.PURGE.OBJ_{PAPERS_BUCKET}",  # an object replaced or deleted
            f"$O.{PAPERS_BUCKET}.C.>",
            f"$O.{PAPERS_BUCKET}.M.>",
        ]
    return {"publish": publish, "subscribe": [f"{inbox_prefix(user)}.>"]}


def enrol_permissions(user: str, invite_id: str) -> dict[str, list[str]]:
    return {
        "publish": [f"center.enrol.{invite_id}"],
        "subscribe": [f"{inbox_prefix(user)}.>"],
    }


def config_user(user: str, password: str, permissions: dict[str, list[str]] | None) -> str:
    """One entry of nats-server's `users` list (None: every right, for the hub user)."""
    entry = f'{{ user: "{user}", password: "{password}"'
    if permissions is None:
        return entry + " }"
    publish = ", ".join(f'"{s}"' for s in permissions["publish"])
    subscribe = ", ".join(f'"{s}"' for s in permissions["subscribe"])
    return (
        entry + f", permissions: {{ publish: {{ allow: [{publish}] }}, "
        f"subscribe: {{ allow: [{subscribe}] }} }} }}"
    )

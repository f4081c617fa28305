"""What the portal may answer, checked before anything acts on it.

Every answer is untrusted input: a broken or hostile upstream must end in a clear message,
never in a traceback deep in the engine, a loop, or memory growing without end. The shapes
below follow sync/api.yaml and are written as data, so they read like the spec; a few rules
that span fields (a run cannot acknowledge more items than were sent, a page that says
`more` must move the cursor) are plain code after them. Fields the client does not read
are let through, so the portal may add some.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from counter_app.core.messages import register
from sync import protocol as p
from sync.errors import UpstreamFault

register(
    {
        "sync.answer.missing": {"vi": "thiếu trường bắt buộc", "en": "a required field is missing"},
        "sync.answer.not_object": {"vi": "phải là một đối tượng", "en": "must be an object"},
        "sync.answer.not_list": {"vi": "phải là một danh sách", "en": "must be a list"},
        "sync.answer.not_text": {"vi": "phải là chuỗi ký tự", "en": "must be a string"},
        "sync.answer.not_integer": {"vi": "phải là số nguyên", "en": "must be an integer"},
        "sync.answer.not_number": {"vi": "phải là số hữu hạn", "en": "must be a finite number"},
        "sync.answer.not_boolean": {"vi": "phải là true hoặc false", "en": "must be true or false"},
        "sync.answer.out_of_range": {"vi": "nằm ngoài khoảng cho phép", "en": "is out of range"},
        "sync.answer.too_long": {"vi": "dài quá mức cho phép", "en": "is too long"},
        "sync.answer.too_many": {"vi": "có quá nhiều phần tử", "en": "has too many elements"},
        "sync.answer.not_allowed": {
            "vi": "không phải giá trị được phép",
            "en": "is not an allowed value",
        },
        "sync.answer.more_than_sent": {
            "vi": "xác nhận nhiều mục hơn số mục đã gửi",
            "en": "acknowledges more items than were sent",
        },
        "sync.answer.no_portal_id": {
            "vi": "mục được nhận nhưng thiếu mã trên Cổng",
            "en": "an accepted item has no portal id",
        },
        "sync.answer.cursor_stuck": {
            "vi": "báo còn dữ liệu nhưng trang không đưa con trỏ đi tiếp",
            "en": "says there is more but the page does not move the cursor on",
        },
    }
)


@dataclass(frozen=True)
class Limits:
    """How much a portal may cost one station. Beyond them the answer or the round is cut
    off with a message; the defaults leave room for a 20,000-item push and a catalogue."""

    answer_bytes: int = 32_000_000  # one answer, after gzip is undone
    answer_seconds: float = 60.0  # one request, upload and answer together
    # one whole round of pushes and pulls, whatever the upstream does: a portal that drips a
    # byte at a time held a round 124 s before (issue 20). Batches are sized to about a
    # second of the link, so a round cut here leaves the rest to the next one, which starts
    # at once when work is due
    round_seconds: float = 90.0
    # pulled pages in one round: 100,000 changes at 500 a page, a month away and more; a
    # portal that says `more` for ever costs a round 200 requests, not all of them
    pages_per_round: int = 200
    # answers that timed out or ran past their deadline before the portal is not asked again
    # this round: one silent minute says enough, and the next round comes soon
    timeouts_per_round: int = 1


# ---- shapes ----
@dataclass(frozen=True)
class Text:
    max_len: int = 200
    min_len: int = 0


@dataclass(frozen=True)
class Integer:
    lo: int = 0
    hi: int = 2**63 - 1  # what SQLite stores


@dataclass(frozen=True)
class Number:
    lo: float = 0.0
    hi: float = 1e12


@dataclass(frozen=True)
class Boolean:
    pass


@dataclass(frozen=True)
class OneOf:
    values: tuple[str, ...]


@dataclass(frozen=True)
class Nullable:
    shape: Any


@dataclass(frozen=True)
class Anything:
    """Checked further by whoever reads it (a catalogue goes through parse_catalogue)."""


@dataclass(frozen=True)
class ListOf:
    """As long as the answer's byte cap allows; counts that matter are checked against what
    was asked (push_results, changes_page)."""

    item: Any


@dataclass(frozen=True)
class Tuple:
    items: tuple[Any, ...]


@dataclass(frozen=True)
class Obj:
    required: dict[str, Any]
    optional: dict[str, Any]


def check(value: Any, shape: Any, where: str) -> Any:
    """The value itself when it has the shape; else an UpstreamFault naming the place."""
    if isinstance(shape, Nullable):
        return None if value is None else check(value, shape.shape, where)
    if isinstance(shape, Anything):
        return value
    if isinstance(shape, Text | OneOf):
        if not isinstance(value, str):
            raise _fault(where, "not_text")
        if isinstance(shape, OneOf) and value not in shape.values:
            raise _fault(where, "not_allowed")
        if isinstance(shape, Text) and len(value) > shape.max_len:
            raise _fault(where, "too_long")
        if isinstance(shape, Text) and len(value) < shape.min_len:
            raise _fault(where, "missing")
        return value
    if isinstance(shape, Integer):
        if isinstance(value, bool) or not isinstance(value, int):
            raise _fault(where, "not_integer")
        if not shape.lo <= value <= shape.hi:
            raise _fault(where, "out_of_range")
        return value
    if isinstance(shape, Number):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _fault(where, "not_number")
        if not shape.lo <= value <= shape.hi:  # false for NaN and the infinities too
            raise _fault(where, "out_of_range")
        return value
    if isinstance(shape, Boolean):
        if not isinstance(value, bool):
            raise _fault(where, "not_boolean")
        return value
    if isinstance(shape, ListOf | Tuple):
        if not isinstance(value, list):
            raise _fault(where, "not_list")
        shapes = shape.items if isinstance(shape, Tuple) else (shape.item,) * len(value)
        if len(value) > len(shapes):
            raise _fault(where, "too_many")
        if len(value) < len(shapes):
            raise _fault(where, "missing")
        for i, (element, inner) in enumerate(zip(value, shapes, strict=False)):
            check(element, inner, f"{where}[{i}]")
        return value
    if isinstance(shape, Obj):
        if not isinstance(value, dict):
            raise _fault(where, "not_object")
        for name, inner in shape.required.items():
            if name not in value:
                raise _fault(f"{where}.{name}", "missing")
            check(value[name], inner, f"{where}.{name}")
        for name, inner in shape.optional.items():
            if name in value:
                check(value[name], inner, f"{where}.{name}")
        return value
    raise TypeError(f"not a shape: {shape!r}")


def _fault(where: str, problem: str) -> UpstreamFault:
    return UpstreamFault("sync.answer.malformed", where=where, problem=f"sync.answer.{problem}")


# ---- the answers (sync/api.yaml) ----
TOKEN = Text(4096, 1)
EXPIRES = Number(1.0, 1e7)
PORTAL_TIME = Nullable(Number(0.0, 1e11))

REGISTERED = Obj(
    {"client_secret": TOKEN},
    {
        "client_id": Text(200),
        "access_token": Nullable(TOKEN),
        "token_type": Text(50),
        "expires_in": EXPIRES,
        "portal_time": PORTAL_TIME,
    },
)
GRANTED = Obj(
    {"access_token": TOKEN},
    {"token_type": Text(50), "expires_in": EXPIRES, "portal_time": PORTAL_TIME},
)
REFUSAL = Obj(
    {"error": Text(100)},
    {"detail": Nullable(Text(1000)), "portal_time": PORTAL_TIME},
)
RESULT = Obj(
    {"key": Text(300, 1), "status": OneOf(("accepted", "rejected"))},
    {
        "portal_id": Nullable(Text(200)),
        "duplicate": Boolean(),
        "reason": Nullable(Text(1000)),
        "retryable": Boolean(),
        "portal_status": Nullable(Integer(0, 99)),  # with status_mismatch: where it is
    },
)
RUNS = Obj(
    {},
    {
        "accepted": ListOf(Tuple((Integer(1), Integer(1), Text(200, 1)))),
        "duplicates": ListOf(Integer(1)),
        "other": ListOf(RESULT),
    },
)
PUSHED = Obj(
    {"results": Anything()},  # a list of RESULT, or RUNS with ack_format "runs": see below
    {
        "ack_format": OneOf((p.ACK_RUNS,)),
        "portal_time": PORTAL_TIME,
        "change_seq": Nullable(Integer(0)),
    },
)
# what the engine reads from each kind of change; other kinds are kept for a clerk as they are
CHANGE_DATA = {
    "dossier.status": Obj(
        {"TrangThai": Integer(0, 99)},
        {
            "MaHoSo": Text(100),
            "TrangThaiTruoc": Nullable(Integer(0, 99)),
            "NoiDungXuLy": Nullable(Text(2000)),
        },
    ),
    "holiday": Obj({"day": Text(40)}, {"kind": Text(20), "note": Nullable(Text(500))}),
}
CHANGE = Obj(
    {"seq": Integer(0), "kind": Text(100, 1), "data": Obj({}, {})},
    {"entity_id": Nullable(Text(200))},
)
PAGE = Obj(
    {"changes": ListOf(CHANGE), "next_cursor": Text(200), "more": Boolean()},
    {"portal_time": PORTAL_TIME},
)


def registration(data: Any) -> dict:
    return check(data, REGISTERED, "register")


def grant(data: Any) -> dict:
    return check(data, GRANTED, "token")


def refusal(data: Any) -> dict:
    return check(data, REFUSAL, "error")


def push_results(data: Any, station_id: str, sent: int) -> list[dict[str, Any]]:
    """Per-item results of a push of `sent` items, compact runs expanded only after their
    counts are known to fit the batch (a run of 10^9 must not be expanded first)."""
    check(data, PUSHED, "push")
    results = data["results"]
    if data.get("ack_format") == p.ACK_RUNS:
        check(results, RUNS, "push.results")
        runs = results.get("accepted") or []
        other = results.get("other") or []
        if sum(run[1] for run in runs) + len(other) > sent:
            raise _fault("push.results", "more_than_sent")
        try:
            expanded = p.decode_ack_runs(station_id, results)
        except (TypeError, ValueError):
            raise _fault("push.results.accepted", "not_allowed") from None
    else:
        expanded = check(results, ListOf(RESULT), "push.results")
        if len(expanded) > sent:
            raise _fault("push.results", "more_than_sent")
    for i, result in enumerate(expanded):
        if result["status"] == "accepted" and not result.get("portal_id"):
            raise _fault(f"push.results[{i}].portal_id", "no_portal_id")
    return expanded


def change_seq(data: dict) -> int | None:
    """Where the portal's change feed stood when it took a push (checked by push_results)."""
    return data.get("change_seq")


def changes_page(data: Any, cursor: str, limit: int) -> dict:
    """A page the engine can apply without surprises: at most `limit` changes, each with the
    fields its kind needs, and a page that says `more` moves the cursor on (else a portal
    could keep the client asking forever)."""
    page = check(data, PAGE, "changes")
    if len(page["changes"]) > limit:
        raise _fault("changes.changes", "too_many")
    for i, change in enumerate(page["changes"]):
        shape = CHANGE_DATA.get(change["kind"])
        if shape is not None:
            check(change["data"], shape, f"changes.changes[{i}].data")
    if page["more"] and (not page["changes"] or page["next_cursor"] == cursor):
        raise _fault("changes.next_cursor", "cursor_stuck")
    return page

"""Counter numbers are the center's: the hub gives each counter station its numbers at
invite, a station refuses to act as a counter that is not its own, so two PCs never act
as the same counter. Real nats-server under `hub start`, real station processes."""

from __future__ import annotations

from counter_app.center.lab import Center, cli, cli_json


def _invite(center: Center, *more: str):
    return cli(center.hub_dir, "hub", "invite", "--role", "counter", *more, check=False)


def test_each_counter_number_belongs_to_one_station(center):
    kiosk = center.join("kiosk", "kiosk")
    first = cli_json(center.hub_dir, "hub", "invite", "--role", "counter")
    assert first["counters"] == [1]
    cli(center.root / "c1", "center", "join", first["code"])
    second = cli_json(center.hub_dir, "hub", "invite", "--role", "counter")
    assert second["counters"] == [2]
    cli(center.root / "c2", "center", "join", second["code"])
    c1, c2 = center.root / "c1", center.root / "c2"

    taken = _invite(center, "--counter", "1")
    assert taken.returncode == 1 and "đã được giao cho trạm st3" in taken.stdout + taken.stderr
    kiosk_counter = cli(
        center.hub_dir, "hub", "invite", "--role", "kiosk", "--counter", "5", check=False
    )
    assert kiosk_counter.returncode != 0
    both = cli_json(center.hub_dir, "hub", "invite", "--role", "counter", "--counter", "4",
                    "--counter", "3")  # fmt: skip
    assert both["counters"] == [3, 4]
    assert "quầy số 5" in _invite(center).stdout  # the invite names its counter

    for _ in range(2):
        cli(kiosk, "ticket", "take", "--group", "A")
    # the second station may not act as the first one's counter, whatever it presses
    for args in (("call-next",), ("call", "--ticket", "A001", "--reason", "supplement")):
        refused = cli(c2, "queue", *args, "--counter", "1", check=False)
        assert refused.returncode != 0
        assert "Quầy số 1 không thuộc máy này" in refused.stdout + refused.stderr
        assert "quầy số 2" in refused.stdout + refused.stderr
    assert cli_json(c1, "queue", "call-next", "--counter", "1")["label"] == "A001"
    assert cli_json(c2, "queue", "call-next", "--counter", "2")["label"] == "A002"
    finished = cli(c2, "queue", "call-next", "--counter", "1", "--current", "served", check=False)
    assert finished.returncode != 0  # cannot finish the first station's citizen
    cli(c1, "center", "sync")
    active = {t["label"]: t["counter"] for t in cli_json(c1, "queue", "list")["active"]}
    assert active == {"A001": 1, "A002": 2}
    # a transfer to another station's counter is still possible: counters are center-wide
    cli(c1, "queue", "transfer", "--counter", "1", "--to-counter", "2")

    listed = {s["station"]: s["counters"] for s in cli_json(center.hub_dir, "hub", "stations")}
    assert listed["st3"] == [1] and listed["st4"] == [2] and listed["st5"] == [3, 4]
    # a revoked station's counter is free again
    cli(center.hub_dir, "hub", "revoke", "st3")
    assert cli_json(center.hub_dir, "hub", "invite", "--role", "counter", "--counter", "1")[
        "counters"
    ] == [1]

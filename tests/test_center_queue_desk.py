"""What one station records about its counter reaches the others: the call policy set at
the hub, a pause, a call out of turn with its reason, a transfer to a named counter. Real
processes and a real nats-server, as in test_center.py."""

from __future__ import annotations

from counter_app.center.lab import cli, cli_json


def test_policy_pause_reason_and_named_transfer_cross_the_center(center):
    kiosk = center.join("kiosk", "kiosk")
    first, second = center.join("c1", "counter"), center.join("c2", "counter")
    cli(center.hub_dir, "queue", "policy", "max_wait", "--max-wait", "20")
    cli(center.hub_dir, "center", "sync")
    assert cli_json(first, "queue", "policy")["kind"] == "max_wait"
    for _ in range(3):
        cli(kiosk, "ticket", "take", "--group", "A")

    cli(first, "queue", "call", "--counter", "1", "--ticket", "A003", "--reason", "supplement")
    active = cli_json(second, "queue", "list")["active"]
    assert [(t["label"], t["counter"], t["call_reason"]) for t in active] == [
        ("A003", 1, "supplement")
    ]

    cli(first, "queue", "transfer", "--counter", "1", "--to-counter", "2")
    cli(first, "queue", "pause", "--counter", "1", "--reason", "meeting")
    states = {s["counter"]: s for s in cli_json(second, "queue", "states")}
    assert states[1]["pause"]["reason"] == "meeting" and states[1]["ticket"] is None
    # the ticket sent to counter 2 is called there first, before A001 and A002
    assert cli_json(second, "queue", "call-next", "--counter", "2")["label"] == "A003"
    cli(first, "queue", "resume", "--counter", "1")
    states = {s["counter"]: s for s in cli_json(second, "queue", "states")}
    assert states[1]["pause"] is None and states[2]["ticket"]["label"] == "A003"

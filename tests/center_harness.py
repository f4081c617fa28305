"""A center made of real processes for the tests: a hub (nats-server under `hub start`) and
stations, each its own data folder, driven through the command line as separate processes."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ADMIN = {"COUNTER_APP_USER": "admin", "COUNTER_APP_PASSWORD": "mat-khau-quan-tri-2026"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cli(data_dir: Path, *args: str, check: bool = True, timeout: float = 60):
    env = {**os.environ, **ADMIN}
    done = subprocess.run(
        [sys.executable, "-m", "counter_app", "--data-dir", str(data_dir), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
    )
    if check and done.returncode != 0:
        raise AssertionError(f"{args} exited {done.returncode}: {done.stdout}{done.stderr}")
    return done


def cli_json(data_dir: Path, *args: str):
    return json.loads(cli(data_dir, *args, "--json").stdout)


class Center:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.port = free_port()
        self.hub_dir = root / "hub"
        self.hub: subprocess.Popen | None = None
        cli(
            self.hub_dir,
            "hub",
            "init",
            "--agency-code",
            "000.00.01.H22",
            "--center-name",
            "Trung tâm phục vụ hành chính công xã Tân Lập",
            "--listen",
            f"127.0.0.1:{self.port}",
        )

    def start_hub(self) -> None:
        env = {**os.environ, **ADMIN}
        self.hub = subprocess.Popen(
            [sys.executable, "-m", "counter_app", "--data-dir", str(self.hub_dir), "hub", "start"],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,  # its nats-server dies with it in kill_hub
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", self.port)) == 0:
                    time.sleep(1.0)  # the stream and the claims bucket are made next
                    return
            time.sleep(0.1)
        raise AssertionError("hub did not start")

    def kill_hub(self) -> None:
        """kill -9 of the hub and its nats-server, as a power cut would."""
        os.killpg(self.hub.pid, signal.SIGKILL)
        self.hub.wait(10)
        self.hub = None

    def join(self, name: str, role: str) -> Path:
        code = cli_json(self.hub_dir, "hub", "invite", "--role", role)["code"]
        cli(self.root / name, "center", "join", code)
        return self.root / name

    def close(self) -> None:
        if self.hub is not None:
            self.kill_hub()

"""Smoke test of the frozen program: `python packaging/smoke.py [dist/counter-app]`.

Runs the built folder the way a center's PC would: no Python, no virtual environment, no
PYTHONPATH, a fresh home folder, the offscreen platform. Checks the version, `init` into the
platform's user data folder (no data folder given), a dossier received, its receipt printed to
a file printer and decoded, the demo's text scene, every window drawn to PNG (the counter
among them), the one-instance guard, the bundled nats-server, and a frozen hub that a frozen
station joins and takes a ticket through. The decoding uses this
checkout's printers/ package (the test's eyes, not the program under test).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "packaging"))
import contents  # noqa: E402

PASSWORD = "mat-khau-thu-nghiem"
INIT = ("init", "--agency-code", "000.00.01.H22",
        "--center-name", "Trung tâm phục vụ hành chính công xã Tân Lập")  # fmt: skip
SOURCE_MAIN = "import sys; from counter_app.cli import main; sys.exit(main())"


def clean_env(home: Path, **extra: str) -> dict[str, str]:
    """What a fresh desktop session gives the program: nothing of this machine's Python."""
    env = {
        "PATH": "/usr/bin:/bin" if os.name != "nt" else os.environ.get("PATH", ""),
        "HOME": str(home),
        "USERPROFILE": str(home),
        "LOCALAPPDATA": str(home / "AppData" / "Local"),
        "APPDATA": str(home / "AppData" / "Roaming"),
        "SYSTEMROOT": os.environ.get("SYSTEMROOT", ""),
        "TMPDIR": str(home / "tmp"),
        "TEMP": str(home / "tmp"),  # Windows' names for it
        "TMP": str(home / "tmp"),
        "QT_QPA_PLATFORM": "offscreen",
        "QT_LOGGING_RULES": "qt.qpa.*=false",
        "COUNTER_APP_KEYRING": "off",
        "COUNTER_APP_PASSPHRASE": "cum-mat-khau-thu-nghiem",
        "COUNTER_APP_USER": "admin",
        "COUNTER_APP_PASSWORD": PASSWORD,
        "LANG": "C.UTF-8",
    }
    (home / "tmp").mkdir(parents=True, exist_ok=True)
    env.update(extra)
    return env


class Smoke:
    def __init__(self, bundle: Path, work: Path) -> None:
        self.exe = contents.executable(bundle)
        self.bundle, self.work = bundle, work
        self.home = work / "home"
        self.env = clean_env(self.home)
        self.times: dict[str, float] = {}

    def run(self, step: str, *args: str, timeout: float = 180, code: int = 0) -> str:
        started = time.perf_counter()
        done = subprocess.run(
            [str(self.exe), *args], env=self.env, cwd=self.work, capture_output=True,
            text=True, encoding="utf-8", timeout=timeout,
        )  # fmt: skip
        self.times[step] = round(time.perf_counter() - started, 2)
        if done.returncode != code:
            raise AssertionError(f"{step}: exit {done.returncode}\n{done.stdout}\n{done.stderr}")
        return done.stdout + done.stderr

    def version(self) -> None:
        out = self.run("version", "--version")
        assert out.strip() == f"counter-app {_project_version()}", out

    def init_in_user_data_folder(self) -> Path:
        out = self.run("init", *INIT, "--json")
        data = Path(json.loads(out)["data_dir"])
        expected = (
            self.home / ".local" / "share" / "counter-app"
            if sys.platform.startswith("linux")
            else None
        )
        assert expected is None or data == expected, data
        assert any(data.glob("*.db")), list(data.iterdir())
        self.data = data
        return data

    def receive_and_print(self) -> None:
        out = self.run("receive", "dossier", "receive", "--documents", "all", "--procedure",
                       "1.001193", "--name", "Nguyễn Thị Đường", "--citizen-id", "001190012345",
                       "--phone", "0912345678", "--address", "Thôn 3, xã Tân Lập",
                       "--json")  # fmt: skip
        code = json.loads(out)["code"]
        slip = self.work / "slip.bin"
        out = self.run("receipt", "print", "receipt", code, "--printer", f"file://{slip}?width=58")
        assert "Đã in Giấy tiếp nhận hồ sơ" in out, out
        from printers.escpos_decode import decode_escpos

        decoded = decode_escpos(slip.read_bytes())
        picture = decoded.picture()
        assert decoded.cuts == 1 and picture is not None and picture.width == 384
        inked = picture.histogram()[0]  # mode "1": black pixels are ink
        assert inked > 2000, inked
        # python-escpos' import-time pickle went to the program's cache, not a new %TEMP% folder
        assert not list((self.home / "tmp").iterdir()), list((self.home / "tmp").iterdir())
        assert list(self.home.rglob("*.capabilities.pickle")), "escpos pickle not cached"
        self.same_font_as_source()

    def same_font_as_source(self, tries: int = 2) -> None:
        """The frozen program's test page is the installed program's, dot for dot: the same
        receipt font (bundled font-source-sans-pro) and the same raster. The page shows the
        printer's address and the minute: both runs print to one file, and a minute that
        turned between them is retried once, on a new file."""
        from printers.escpos_decode import decode_escpos

        env = dict(os.environ, **{k: v for k, v in self.env.items() if k.startswith("COUNTER")})
        # The source prints from a store of its own, set up alike: one shared spool would
        # refuse the second, identical page as already printed.
        source_store = self.work / "source-store"
        subprocess.run(
            [sys.executable, "-c", SOURCE_MAIN, "--data-dir", str(source_store), *INIT],
            env=env, check=True, capture_output=True, timeout=120,
        )  # fmt: skip
        for attempt in range(tries):
            page = self.work / f"test-page-{attempt}.bin"
            url = f"file://{page}?width=80"
            self.run("print test", "print", "test", "--printer", url)
            frozen = page.read_bytes()
            page.unlink()
            source = subprocess.run(
                [sys.executable, "-c", SOURCE_MAIN,
                 "--data-dir", str(source_store), "print", "test", "--printer", url],
                env=env, check=True, capture_output=True, text=True, timeout=120,
            )  # fmt: skip
            assert page.is_file(), source.stdout + source.stderr
            a, b = decode_escpos(frozen), decode_escpos(page.read_bytes())
            if a.picture().tobytes() == b.picture().tobytes():
                return
        raise AssertionError("the frozen program's raster differs from the source's")

    def demo_and_windows(self) -> None:
        demo = self.work / "demo"
        out = self.run("demo --no-gui", "--data-dir", str(demo), "demo", "--no-gui", timeout=300)
        assert "Quầy 1" in out, out
        shots = self.work / "shots"
        out = self.run("screenshots", "--data-dir", str(demo), "screenshots", "--out", str(shots))
        from PIL import Image

        for name in ("counter", "kiosk", "display", "intake"):
            with Image.open(shots / f"{name}.png") as image:
                colours = image.convert("RGB").getcolors(maxcolors=1 << 16)
                assert image.width >= 1366 and (colours is None or len(colours) > 20), name

    def one_instance(self) -> None:
        data = self.work / "station"
        first = subprocess.Popen([str(self.exe), "--data-dir", str(data)], env=self.env,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip
        try:
            deadline = time.monotonic() + 60
            while not (data / "counter-app.window.lock").exists():
                assert first.poll() is None and time.monotonic() < deadline, "no window"
                time.sleep(0.1)
            out = self.run("second start", "--data-dir", str(data))
            assert "đưa lên trước" in out, out
            assert first.poll() is None
        finally:
            first.kill()
            first.communicate(timeout=30)

    def nats_server(self) -> None:
        found = list(self.bundle.rglob("nats-server*"))
        assert found, "nats-server missing"
        done = subprocess.run([str(found[0]), "--version"], capture_output=True, text=True,
                              timeout=30)  # fmt: skip
        assert done.returncode == 0 and "nats-server" in done.stdout, done

    def hub_and_station(self) -> None:
        """The frozen hub runs its bundled nats-server and a frozen station joins it."""
        import socket

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        hub, station = self.work / "hub", self.work / "station"
        listen = f"127.0.0.1:{port}"
        self.run("hub init", "--data-dir", str(hub), "hub", "init", *INIT[1:], "--listen", listen)
        server = subprocess.Popen(
            [str(self.exe), "--data-dir", str(hub), "hub", "start"], env=self.env,
            cwd=self.work, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 60
            while socket.socket().connect_ex(("127.0.0.1", port)) != 0:
                assert time.monotonic() < deadline and server.poll() is None, "hub did not start"
                time.sleep(0.2)
            time.sleep(1.5)  # the stream and the claims bucket come next
            invite = json.loads(self.run("hub invite", "--data-dir", str(hub), "hub", "invite",
                                         "--role", "kiosk", "--json"))  # fmt: skip
            self.run("center join", "--data-dir", str(station), "center", "join", invite["code"])
            out = self.run("center ticket", "--data-dir", str(station), "ticket", "take",
                           "--group", "A")  # fmt: skip
            assert "A001" in out and "trung tâm" not in out, out  # no cut-off warning
        finally:
            server.terminate()
            server.communicate(timeout=30)


def _project_version() -> str:
    import tomllib

    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]


def smoke(bundle: Path) -> dict:
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="counter-app-smoke-") as folder:
        s = Smoke(bundle, Path(folder))
        s.version()
        s.init_in_user_data_folder()
        s.receive_and_print()
        s.demo_and_windows()
        s.one_instance()
        s.nats_server()
        s.hub_and_station()
    return {"smoke_s": round(time.perf_counter() - started, 1), "steps_s": s.times,
            "size_mb": round(contents.folder_size_mb(bundle), 1)}  # fmt: skip


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else contents.bundle_dir(ROOT)
    print(json.dumps(smoke(target), ensure_ascii=False))

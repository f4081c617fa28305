"""The frozen program (dist/counter-app, from packaging/build.py) against the source install.

    python -m bench.frozen_startup [--quick]

Cold start measured as bench/ui_startup.py does, in the same run, on the same demo store: a
bare PySide6 window, plain `counter-app` from the source install, and the frozen binary. The
first painted window and the counter page painted after a sign-in (the clerk typing for
TYPING_S from the first paint, that typing taken out: bench/ui_startup.py's target figure), as
ratios to the bare window and frozen/source; and the bundle's size against its budget.
Without a bundle it says so and measures nothing.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from bench.ui_startup import SOURCE_PROGRAM, TYPING_S, _app_start, _bare_start

ROOT = Path(__file__).resolve().parent.parent


def _packaging():
    """packaging/contents.py, loaded by path: packaging/ is a folder of scripts."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "_packaging_contents", ROOT / "packaging" / "contents.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run(quick: bool) -> dict:
    contents = _packaging()
    bundle = contents.bundle_dir(ROOT)
    exe = contents.executable(bundle)
    if not exe.is_file():
        return {"skipped": "no bundle: run python packaging/build.py first"}
    from counter_app.core.clock import system_now
    from counter_app.services.demo import ensure_demo_store

    rounds = 3 if quick else 5
    with tempfile.TemporaryDirectory(prefix="frozen-start-") as folder:
        data = Path(folder) / "demo"
        store, _ = ensure_demo_store(data, now=system_now(), days=3 if quick else 30)
        store.close()
        programs = {"source": SOURCE_PROGRAM, "frozen": (str(exe),)}
        _bare_start()
        for name, program in programs.items():  # caches, bytecode, the escpos pickle
            _app_start(data, Path(folder) / f"warm-{name}.json", program)
        # Rounds interleave the three programs, so a load that comes and goes (other builds
        # on a shared machine) weighs on all of them alike; the best round of each counts.
        bares, runs = [], {name: [] for name in programs}
        for i in range(rounds):
            bares.append(_bare_start())
            for name, program in programs.items():
                runs[name].append(
                    _app_start(data, Path(folder) / f"{name}{i}.json", program, typing_s=TYPING_S)
                )
        bare = min(bares)
        best = {
            name: {key: min(r[key] for r in done) for key in ("window_s", "counter_s")}
            for name, done in runs.items()
        }
    src, frz = best["source"], best["frozen"]
    return {
        "bare_window_s": round(bare, 3),
        "source_first_window_s": round(src["window_s"], 3),
        "frozen_first_window_s": round(frz["window_s"], 3),
        "ratio_frozen_first_window_vs_bare": round(frz["window_s"] / bare, 2),
        "ratio_source_first_window_vs_bare": round(src["window_s"] / bare, 2),
        "ratio_frozen_vs_source_first_window": round(frz["window_s"] / src["window_s"], 2),
        "source_counter_painted_s": round(src["counter_s"], 3),
        "frozen_counter_painted_s": round(frz["counter_s"], 3),
        "ratio_frozen_vs_source_counter": round(frz["counter_s"] / src["counter_s"], 2),
        "bundle_mb": round(contents.folder_size_mb(bundle), 1),
        "budget_mb": contents.BUDGET_MB,
        "rounds": rounds,
    }


if __name__ == "__main__":
    print(json.dumps(run(quick="--quick" in sys.argv), indent=2))

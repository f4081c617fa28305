"""Render and encode a Form 01 receipt for an 80 mm printer: time per receipt and bytes sent.

Target (issue 4): under 30 ms per receipt. Each round uses a fresh dossier code, so the QR
code and the text are really drawn again (only fonts stay loaded, as in the program).
"""

from __future__ import annotations

import statistics
import time
from dataclasses import replace


def run(quick: bool = False) -> dict:
    from printers.documents import form01_document
    from printers.escpos_render import PrinterProfile, encode_document
    from printers.samples import SAMPLE_HEADER, sample_dossier

    base = sample_dossier()
    profile = PrinterProfile(width_mm=80)
    rounds = 10 if quick else 60
    encode_document(form01_document(base, header=SAMPLE_HEADER), profile)  # load fonts once
    times, sizes = [], []
    for i in range(rounds):
        dossier = replace(base, code=f"000.00.01.H22-260429-{i:04d}")
        start = time.perf_counter()
        data = encode_document(
            form01_document(dossier, header=SAMPLE_HEADER, copy=2, processing="3 ngày làm việc"),
            profile,
        )
        times.append((time.perf_counter() - start) * 1000)
        sizes.append(len(data))
    text = encode_document(
        form01_document(base, header=SAMPLE_HEADER, copy=2),
        PrinterProfile(width_mm=80, mode="text"),
    )
    return {
        "name": "print_receipt",
        "rounds": rounds,
        "median_ms": round(statistics.median(times), 2),
        "p95_ms": round(sorted(times)[int(0.95 * (len(times) - 1))], 2),
        "target_ms": 30,
        "bytes_per_receipt_raster": int(statistics.median(sizes)),
        "bytes_per_receipt_text_cp1258": len(text),
    }


if __name__ == "__main__":
    import json

    print(json.dumps(run(quick=False), indent=2))

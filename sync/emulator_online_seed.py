"""What the motcua emulator's online inbox is made of: citizens with Vietnamese names, a
procedure from our own catalogue, and one real small PDF per row of its paper checklist.

Everything is drawn from a `random.Random` seeded by the dossier's place in the inbox, so a
trial that seeds the same count twice plays the same morning. The papers are valid PDFs
(pdftotext reads them): one page naming the paper and the dossier's code, in ASCII because
the standard Helvetica of a bare PDF has no Vietnamese marks; a trial that needs a large
file asks for padding, an unreferenced stream that keeps the PDF valid.
"""

from __future__ import annotations

import json
import random
from datetime import date
from functools import cache
from importlib import resources

from counter_app.core.text import fold, strip_diacritics
from counter_app.services.demo_people import person

MAX_PAPER_BYTES = 20 * 1024 * 1024  # a trial's hostile file: twice the upload cap


@cache
def procedures() -> tuple[dict, ...]:
    """The shipped catalogue's procedures that have a paper checklist."""
    source = resources.files("resources") / "catalogue" / "procedures.json"
    shipped = json.loads(source.read_text(encoding="utf-8-sig"))["procedures"]
    return tuple(p for p in shipped if p.get("documents"))


def procedure(code: str | None, rng: random.Random) -> dict | None:
    """The catalogue's procedure `code`, or one drawn at random when none is asked for."""
    if not code:
        return rng.choice(procedures())
    return next((p for p in procedures() if p["code"] == code), None)


def applicant(rng: random.Random, today: date) -> dict:
    """`ThongTinNguoiNop` and `NhanThongBao` of one citizen: a phone always (SMS for most),
    an e-mail for about half, who then mostly wants the notice by e-mail."""
    someone = person(rng, today)
    email = someone.email
    if not email and rng.random() < 0.5:
        email = f"{fold(someone.full_name).replace(' ', '.')}{rng.randrange(100)}@gmail.com"
    phone = someone.phone or f"09{rng.randrange(10**8):08d}"
    by_email = bool(email) and rng.random() < 0.8
    return {
        "ThongTinNguoiNop": {
            "LoaiDoiTuong": 1,
            "ThongTinChiTiet": {
                "TenNguoiNop": someone.full_name,
                "SoDinhDanh": someone.citizen_id,
                "SoDienThoai": phone,
                "Email": email,
                "DiaChiChiTiet": someone.address,
            },
        },
        "NhanThongBao": {"Email": by_email, "SMS": not by_email or rng.random() < 0.5},
    }


def small_pdf(lines: list[str], *, pad: int = 0) -> bytes:
    """A one-page A4 PDF showing `lines` (folded to ASCII), `pad` bytes of filler after."""
    shown = "".join(f"({_escape(line)}) Tj T* " for line in lines)
    content = f"BT /F1 12 Tf 16 TL 56 780 Td {shown}ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        _stream(content),
    ]
    if pad > 0:
        objects.append(_stream(b"0" * pad))
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _stream(data: bytes) -> bytes:
    return b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def _escape(text: str) -> str:
    plain = strip_diacritics(text).encode("ascii", "replace").decode("ascii")
    return plain.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

"""Our events in a provincial one-door system's layout (dialect `motcua`, iGate-like).

Unlike `dvcqg`, this wire types numbers as numbers (`LoaiDoiTuong`, `TrangThai`, `SoLuong`)
and writes times as `yyyy-MM-dd HH:mm:ss` (dossiers) or ISO `yyyy-MM-ddTHH:mm:ss` (progress),
in Vietnam time. Sources and what is unconfirmed: docs/dialects.md.
"""

from __future__ import annotations

from datetime import datetime

from counter_app.core.catalogue import DocumentForm
from counter_app.core.clock import vn_time
from counter_app.core.dossier import Dossier
from sync.dialects.dvcqg_fields import bounded

# LoaiBan: 1 original, 2 copy, 3 certified copy (unconfirmed codes)
PAPER_KIND = {
    DocumentForm.ORIGINAL: 1,
    DocumentForm.COPY: 2,
    DocumentForm.CERTIFIED_COPY: 3,
    DocumentForm.ORIGINAL_OR_COPY: 2,
    DocumentForm.PRESENT: 1,
}


def day_time(value: datetime | None) -> str:
    return vn_time(value).strftime("%Y-%m-%d %H:%M:%S") if value else ""


def iso_time(value: datetime | None) -> str:
    return vn_time(value).strftime("%Y-%m-%dT%H:%M:%S") if value else ""


def file_ref(title: str, file_id: str, sha256: str) -> dict:
    """A file uploaded first (`UploadFile`), as a record names it."""
    return {"IdTepTin": file_id, "TenTep": title[:255], "HashTepTin": sha256}


def dossier_record(
    d: Dossier, *, agency_code: str, files: dict[int, list[dict]] | None = None
) -> dict:
    """The CreateDossier body for a dossier as received. `files`: the uploaded files of
    each checklist row (1-based), named in that row's `GiayToDinhKem`."""
    person = d.applicant
    files = files or {}
    return {
        "MaHoSo": d.code,
        "MaTTHC": d.procedure_code,
        "MaDichVuCong": d.procedure_code,
        "ChuHoSo": bounded(person.full_name),
        "LoaiDoiTuong": 1,
        "MaDonViTiepNhan": agency_code,
        "NgayNop": day_time(d.received_at),
        "NgayTiepNhan": day_time(d.received_at),
        "NgayHenTra": day_time(d.due_at),
        "ThanhPhanHoSo": [
            {
                "TenThanhPhanHoSo": bounded(doc.name),
                "SoLuong": int(doc.count),
                "LoaiBan": PAPER_KIND.get(doc.form, 1),
                "GiayToDinhKem": files.get(row, []),
            }
            for row, doc in enumerate(d.documents, 1)
            if doc.received or files.get(row)
        ],
        "ThongTinNguoiNop": {
            "LoaiDoiTuong": 1,
            "ThongTinChiTiet": {
                "TenNguoiNop": bounded(person.full_name),
                "SoDinhDanh": person.citizen_id,
                "SoDienThoai": person.phone,
                "Email": person.email,
                "DiaChiChiTiet": bounded(person.address),
            },
        },
    }


def progress_record(
    d: Dossier, *, previous: int, actor: str, at: datetime, note: str, unit: str
) -> dict:
    """One CapNhatTienTrinh element: the step that moved the dossier, from `previous` (a
    system whose dossier has moved on refuses it)."""
    return {
        "MaHoSo": d.code,
        "NguoiXuLy": bounded(actor),
        "ThoiDiemXuLy": iso_time(at),
        "PhongBanXuLy": bounded(unit),
        "NoiDungXuLy": bounded(note),
        "TrangThaiTruoc": previous,
        "TrangThai": int(d.status),
        "NgayBatDau": iso_time(d.received_at),
        "NgayKetThucTheoQuyDinh": iso_time(d.due_at),
    }


def status_record(
    d: Dossier,
    *,
    previous: int,
    results: list[dict] | None = None,
    handed: list[dict] | None = None,
) -> dict:
    """One CapNhatTrangThai element: the status now, from `previous`, with the fees
    collected, the result papers' files (`GiayToKetQua`) and the intake papers' files
    (`GiayToDinhKem`, for papers digitised after the dossier was created), each uploaded
    first."""
    return {
        "MaHoSo": d.code,
        "TrangThaiTruoc": previous,
        "TrangThai": int(d.status),
        "LePhi": [{"TenPhiLePhi": "Lệ phí", "SoTien": int(d.fee_vnd)}] if d.fee_vnd else [],
        "GiayToKetQua": list(results or []),
        "GiayToDinhKem": list(handed or []),
    }

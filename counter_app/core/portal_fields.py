"""Our records in the portal's field names (DOMAIN.md), as sync pushes them.

Dates are `yyyyMMddHHmmss` in Vietnam time, as the portal integrations expect.
"""

from __future__ import annotations

from datetime import datetime

from counter_app.core.clock import vn_time
from counter_app.core.dossier import Dossier, DossierStatus


def portal_time(value: datetime | None) -> str | None:
    return vn_time(value).strftime("%Y%m%d%H%M%S") if value else None


def dossier_record(d: Dossier, *, sector: str) -> dict:
    return {
        "MaHoSo": d.code,
        "MaTTHC": d.procedure_code,
        "TenTTHC": d.procedure_name,
        "TenLinhVuc": sector,
        "ChuHoSo": d.applicant.full_name,
        "LoaiDoiTuong": 1,  # công dân
        "MaDoiTuong": d.applicant.citizen_id,
        "SoDienThoai": d.applicant.phone,
        "Email": d.applicant.email,
        "DiaChi": d.applicant.address,
        "TrichYeuHoSo": d.procedure_name,
        "NgayTiepNhan": portal_time(d.received_at),
        "NgayHenTra": portal_time(d.due_at),
        "TrangThaiHoSo": int(d.status),
        "HinhThuc": d.return_method.value,
        "DanhSachLePhi": [{"SoTien": d.fee_vnd}] if d.fee_vnd else [],
        "TaiLieuNop": [
            {"TenGiayTo": doc.name, "LoaiGiayTo": doc.form.value, "SoLuong": doc.count}
            for doc in d.documents
            if doc.received
        ],
        "GhiChu": d.note,
    }


def progress_record(
    d: Dossier, *, previous: DossierStatus, actor: str, at: datetime, note: str
) -> dict:
    return {
        "MaHoSo": d.code,
        "TrangThaiTruoc": int(previous),
        "TrangThai": int(d.status),
        "NguoiXuLy": actor,
        "ThoiDiemXuLy": portal_time(at),
        "NoiDungXuLy": note,
        "NgayTra": portal_time(d.returned_at),
        "NgayKetThucXuLy": portal_time(d.result_at),
    }

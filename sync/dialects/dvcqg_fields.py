"""Our events in the national portal's DongBoHoSoMC family layout (dialect `dvcqg`).

Field names and value shapes follow the public integrations listed in docs/dialects.md:
codes are strings, dates `yyyyMMddHHmmss` in Asia/Ho_Chi_Minh with "" when unknown, and free
text is cut to `TEXT_LIMIT` characters because upstream systems were seen to break on longer
notes. Pure functions: the dialect (sync/dialects/dvcqg.py) and the tests share them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from counter_app.core.catalogue import ReturnMethod
from counter_app.core.clock import vn_time
from counter_app.core.dossier import Dossier, DossierStatus

TEXT_LIMIT = 2000
RATING_LEVELS = ("Rất hài lòng", "Hài lòng", "Chưa hài lòng")
# Every field name we send: a refusal naming one of them is reported by that name.
FIELD_NAMES = frozenset(
    [
        "MaHoSo",
        "MaTTHC",
        "TenTTHC",
        "MaLinhVuc",
        "TenLinhVuc",
        "SoBienNhan",
        "ChuHoSo",
        "LoaiDoiTuong",
        "MaDoiTuong",
        "Email",
        "SoDienThoai",
        "TrichYeuHoSo",
        "NgayTiepNhan",
        "NgayHenTra",
        "TrangThaiHoSo",
        "NgayTra",
        "HinhThuc",
        "NgayKetThucXuLy",
        "DonViXuLy",
        "GhiChu",
        "DanhSachLePhi",
        "TenPhiLePhi",
        "MaPhiLePhi",
        "HinhThucThu",
        "Gia",
        "LoaiPhiLePhi",
        "DanhSachTepDinhKemKhac",
        "TenGiayTo",
        "SoLuong",
        "LoaiGiayTo",
        "DanhSachHoSoBoSung",
        "DanhSachGiayToKetQua",
        "TaiLieuNop",
        "TenTepDinhKem",
        "MaThanhPhanHoSo",
        "TepDinhKemId",
        "DuongDanTaiTepTin",
        "IsDeleted",
        "GiayToId",
        "DuongDanTepTinKetQua",
        "NguoiXuLy",
        "ChucDanh",
        "ThoiDiemXuLy",
        "PhongBanXuLy",
        "NoiDungXuLy",
        "TrangThai",
        "NgayBatDau",
        "NgayKetThucTheoQuyDinh",
        "NgayTongHop",
        "TongSoNguoiDanhGia",
        "RatHaiLong",
        "HaiLong",
        "ChuaHaiLong",
        "isUpdating",
        "data",
    ]
)


def wire_time(value: datetime | None) -> str:
    return vn_time(value).strftime("%Y%m%d%H%M%S") if value else ""


def bounded(text: str | None) -> str:
    """Free text cut to the limit (an ellipsis marks the cut), never None."""
    text = text or ""
    return text if len(text) <= TEXT_LIMIT else text[: TEXT_LIMIT - 1] + "…"


def dossier_item(
    d: Dossier,
    *,
    sector: str,
    agency_name: str,
    procedure: dict | None = None,
    handed: list[dict] | None = None,
    results: list[dict] | None = None,
) -> dict:
    """One DongBoHoSoMC `data` element for a dossier as it stands now.

    `procedure`: the portal's own `TENTTHC` and `MALINHVUC` for the procedure, from the
    catalogue pull (`LayThuTuc`), as the public integration fills them; our catalogue's name
    when the pull never saw the code. `handed` and `results`: the `TaiLieuNop` and
    `DanhSachGiayToKetQua` items of the files uploaded for it (`handed_file`,
    `result_file`). Fees and the paper checklist go as empty lists, as the public
    integration sends them, until a province confirms their codes (docs/dialects.md)."""
    procedure = procedure or {}
    return {
        "MaHoSo": d.code,
        "MaTTHC": d.procedure_code,
        "TenTTHC": bounded(procedure.get("TENTTHC") or d.procedure_name),
        "MaLinhVuc": str(procedure.get("MALINHVUC") or "")[:50],
        "TenLinhVuc": bounded(sector),
        "SoBienNhan": d.code,
        "ChuHoSo": bounded(d.applicant.full_name),
        "LoaiDoiTuong": "1",  # công dân; businesses are not received at a commune counter yet
        "MaDoiTuong": "",  # the portal's own account id of the applicant: none at a counter
        "Email": d.applicant.email,
        "SoDienThoai": d.applicant.phone,
        "TrichYeuHoSo": bounded(d.procedure_name),
        "NgayTiepNhan": wire_time(d.received_at),
        "NgayHenTra": wire_time(d.due_at),
        "TrangThaiHoSo": str(int(d.status)),
        "NgayTra": wire_time(d.returned_at),
        "HinhThuc": "1" if d.return_method is ReturnMethod.POST else "0",
        "NgayKetThucXuLy": wire_time(d.result_at),
        "DonViXuLy": bounded(agency_name),
        "GhiChu": bounded(d.note),
        "DanhSachLePhi": [],
        "DanhSachTepDinhKemKhac": [],
        "DanhSachHoSoBoSung": [],
        "DanhSachGiayToKetQua": list(results or []),
        "TaiLieuNop": list(handed or []),
    }


def handed_file(title: str, file_id: str, link: str) -> dict:
    """One `TaiLieuNop` item: a paper handed in, linked at the province system's copy.
    `MaThanhPhanHoSo` is "" as the public integration sends it (our catalogue has no paper
    codes)."""
    return {"TenTepDinhKem": title[:255], "MaThanhPhanHoSo": "", "TepDinhKemId": file_id,
            "DuongDanTaiTepTin": link, "IsDeleted": "False"}  # fmt: skip


def result_file(title: str, file_id: str, link: str) -> dict:
    """One `DanhSachGiayToKetQua` item: a result paper returned, linked the same way."""
    return {"TenGiayTo": title[:255], "MaThanhPhanHoSo": "", "GiayToId": file_id,
            "DuongDanTepTinKetQua": link}  # fmt: skip


def progress_item(
    d: Dossier, *, previous: DossierStatus | None, actor: str, at: datetime, note: str, unit: str
) -> dict:
    """One CapNhatTienDoHoSoMC `data` element: the step that moved the dossier."""
    return {
        "MaHoSo": d.code,
        "NguoiXuLy": bounded(actor),
        "ChucDanh": "",
        "ThoiDiemXuLy": wire_time(at),
        "PhongBanXuLy": bounded(unit),
        "NoiDungXuLy": bounded(note),
        # the status the step moves from: a portal that has moved on refuses it
        "TrangThaiTruoc": str(int(d.status if previous is None else previous)),
        "TrangThai": str(int(d.status)),
        "NgayBatDau": wire_time(d.received_at),
        "NgayKetThucTheoQuyDinh": wire_time(d.due_at),
    }


def same_step(sent: dict, found: dict) -> bool:
    """Whether a progress entry the portal lists is the one we are about to send."""
    return all(str(found.get(name, "")) == sent[name] for name in ("ThoiDiemXuLy", "TrangThai"))


def rating_level(score: int, top: int, satisfied_from: int) -> str:
    """Our scale onto the portal's three levels: the scale's best level is "Rất hài lòng",
    the other satisfied levels "Hài lòng", everything below "Chưa hài lòng"."""
    if score >= top:
        return RATING_LEVELS[0]
    if score >= satisfied_from:
        return RATING_LEVELS[1]
    return RATING_LEVELS[2]


def percentages(counts: list[int]) -> list[str]:
    """Whole percentages summing to exactly 100 (largest remainder), as "NN%"."""
    total = sum(counts)
    if not total:
        return ["0%" for _ in counts]
    raw = [c * 100 / total for c in counts]
    whole = [int(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: raw[i] - whole[i], reverse=True)
    for i in order[: 100 - sum(whole)]:
        whole[i] += 1
    return [f"{w}%" for w in whole]


def satisfaction_summary(
    month: date, scores: Iterable[int], *, top: int, satisfied_from: int
) -> dict:
    """The DongBoDanhGia record of one month's ratings."""
    counts = dict.fromkeys(RATING_LEVELS, 0)
    n = 0
    for score in scores:
        counts[rating_level(score, top, satisfied_from)] += 1
        n += 1
    shares = percentages([counts[level] for level in RATING_LEVELS])
    return {
        "NgayTongHop": f"{month.month}-{month.year}",
        "TongSoNguoiDanhGia": str(n),
        "RatHaiLong": shares[0],
        "HaiLong": shares[1],
        "ChuaHaiLong": shares[2],
    }

"""What the `dvcqg` emulator accepts: every field's type and format, checked the way a
strict upstream would (sync/dvcqg.yaml documents the same). A record with one wrong field is
refused whole, with the field named in the message, and nothing of the call is stored.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

TEXT_LIMIT = 2000
_DATE = re.compile(r"^\d{14}$")
_DIGITS = re.compile(r"^\d{1,15}$")


class FieldError(Exception):
    def __init__(self, name: str, problem: str) -> None:
        super().__init__(f"Trường {name} {problem}")
        self.name = name


def _text(limit: int = TEXT_LIMIT, *, required: bool = False):
    def check(name: str, value: Any) -> None:
        if not isinstance(value, str):
            raise FieldError(name, "phải là chuỗi")
        if required and not value:
            raise FieldError(name, "không được để trống")
        if len(value) > limit:
            raise FieldError(name, f"dài quá {limit} ký tự")

    check.required = required  # type: ignore[attr-defined]
    return check


def _date(*, required: bool = False):
    def check(name: str, value: Any) -> None:
        if not isinstance(value, str):
            raise FieldError(name, "phải là chuỗi yyyyMMddHHmmss")
        if value == "" and not required:
            return
        if not _DATE.match(value):
            raise FieldError(name, "sai định dạng yyyyMMddHHmmss")
        try:
            datetime.strptime(value, "%Y%m%d%H%M%S")
        except ValueError:
            raise FieldError(name, "không phải ngày giờ có thật") from None

    return check


def _one_of(*allowed: str):
    def check(name: str, value: Any) -> None:
        if not isinstance(value, str) or value not in allowed:
            raise FieldError(name, f"phải là một trong {', '.join(allowed)} (chuỗi)")

    return check


_EMAIL = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")


def _email(name: str, value: Any) -> None:
    """ASCII addresses only, as older upstream systems check them."""
    if not isinstance(value, str):
        raise FieldError(name, "phải là chuỗi")
    if value and (len(value) > 254 or not _EMAIL.match(value)):
        raise FieldError(name, "sai định dạng thư điện tử")


def _digits(name: str, value: Any) -> None:
    if not isinstance(value, str) or not _DIGITS.match(value):
        raise FieldError(name, "phải là chuỗi chữ số")


def _list(fields: dict):
    required = tuple(n for n, check in fields.items() if getattr(check, "required", False))

    def check(name: str, value: Any) -> None:
        if not isinstance(value, list):
            raise FieldError(name, "phải là danh sách")
        for entry in value:
            if not isinstance(entry, dict):
                raise FieldError(name, "phải chứa các đối tượng")
            check_record(entry, fields, required=required)

    return check


STATUS = _one_of(*(str(n) for n in range(1, 11)))
FEE = {
    "TenPhiLePhi": _text(),
    "MaPhiLePhi": _text(50),
    "HinhThucThu": _one_of("1", "2", "3"),
    "Gia": _digits,
    "LoaiPhiLePhi": _one_of("1", "2"),
}
PAPER = {
    "TenGiayTo": _text(required=True),
    "SoLuong": _digits,
    "LoaiGiayTo": _one_of("1", "2", "3"),
}
# A paper's file: the portal gets a link to the province system's copy (uploaded first).
HANDED_FILE = {
    "TenTepDinhKem": _text(255, required=True),
    "MaThanhPhanHoSo": _text(50),
    "TepDinhKemId": _text(100, required=True),
    "DuongDanTaiTepTin": _text(required=True),
    "IsDeleted": _one_of("True", "False"),
}
RESULT_FILE = {
    "TenGiayTo": _text(255, required=True),
    "MaThanhPhanHoSo": _text(50),
    "GiayToId": _text(100, required=True),
    "DuongDanTepTinKetQua": _text(required=True),
}
DOSSIER = {
    "MaHoSo": _text(100, required=True),
    "MaTTHC": _text(50, required=True),
    "TenTTHC": _text(),
    "MaLinhVuc": _text(50),
    "TenLinhVuc": _text(),
    "SoBienNhan": _text(100),
    "ChuHoSo": _text(),
    "LoaiDoiTuong": _one_of("1", "2"),
    "MaDoiTuong": _text(50),
    "Email": _email,
    "SoDienThoai": _text(20),
    "TrichYeuHoSo": _text(),
    "NgayTiepNhan": _date(required=True),
    "NgayHenTra": _date(),
    "TrangThaiHoSo": STATUS,
    "NgayTra": _date(),
    "HinhThuc": _one_of("0", "1"),
    "NgayKetThucXuLy": _date(),
    "DonViXuLy": _text(),
    "GhiChu": _text(),
    "DanhSachLePhi": _list(FEE),
    "DanhSachTepDinhKemKhac": _list(PAPER),
    "DanhSachHoSoBoSung": _list({}),
    "DanhSachGiayToKetQua": _list(RESULT_FILE),
    "TaiLieuNop": _list(HANDED_FILE),
}
DOSSIER_REQUIRED = ("MaHoSo", "MaTTHC", "NgayTiepNhan", "TrangThaiHoSo", "LoaiDoiTuong",
                    "TaiLieuNop")  # fmt: skip
PROGRESS = {
    "MaHoSo": _text(100, required=True),
    "NguoiXuLy": _text(),
    "ChucDanh": _text(),
    "ThoiDiemXuLy": _date(required=True),
    "PhongBanXuLy": _text(),
    "NoiDungXuLy": _text(),
    "TrangThaiTruoc": STATUS,  # where the step moves from (our emulator's rule)
    "TrangThai": STATUS,
    "NgayBatDau": _date(),
    "NgayKetThucTheoQuyDinh": _date(),
}
PROGRESS_REQUIRED = ("MaHoSo", "ThoiDiemXuLy", "TrangThaiTruoc", "TrangThai")
_PERCENT = re.compile(r"^(100|[1-9]?\d)(\.\d{1,2})?%$")


def _percent(name: str, value: Any) -> None:
    if not isinstance(value, str) or not _PERCENT.match(value):
        raise FieldError(name, 'phải là chuỗi phần trăm, ví dụ "85%"')


def _month(name: str, value: Any) -> None:
    if not isinstance(value, str) or not re.match(r"^(1[0-2]|[1-9])-\d{4}$", value):
        raise FieldError(name, "phải có dạng M-YYYY")


SUMMARY = {
    "NgayTongHop": _month,
    "TongSoNguoiDanhGia": _digits,
    "RatHaiLong": _percent,
    "HaiLong": _percent,
    "ChuaHaiLong": _percent,
}
SUMMARY_REQUIRED = tuple(SUMMARY)


def check_record(record: dict, fields: dict, *, required: tuple[str, ...]) -> None:
    for name in required:
        if name not in record:
            raise FieldError(name, "bắt buộc")
    for name, value in record.items():
        check = fields.get(name)
        if check is None:
            raise FieldError(name, "không có trong đặc tả")
        check(name, value)


def check_data(body: dict, fields: dict, required: tuple[str, ...]) -> list[dict]:
    data = body.get("data")
    if not isinstance(data, list) or not data:
        raise FieldError("data", "phải là danh sách không rỗng")
    for record in data:
        if not isinstance(record, dict):
            raise FieldError("data", "phải chứa các đối tượng")
        check_record(record, fields, required=required)
    return data


def check_summary_total(record: dict) -> None:
    """The three shares of a month that had ratings add up to 100%."""
    total = sum(float(record[n].rstrip("%")) for n in ("RatHaiLong", "HaiLong", "ChuaHaiLong"))
    if record["TongSoNguoiDanhGia"] != "0" and abs(total - 100) > 0.05:
        raise FieldError("RatHaiLong", "cộng các tỷ lệ phải bằng 100%")

"""The `dvcqg` emulator's procedure catalogue: what `LayDanhSachTTHC` lists and `LayThuTuc`
describes, in the national procedure database's upper-case layout (docs/dialects.md gives
each field's source). A small seed: two procedures our shipped catalogue also has (one
changed), one it lacks, and one that fails our checks (a sector no service group serves and
a processing time in months), so a pull shows every outcome. The two "giả lập" procedures
and their codes are the emulator's own, not real ones.
"""

from __future__ import annotations

import copy


def _time(amount: float, unit: str, fees: list[dict], note: str = "") -> dict:
    return {"THOIGIANGIAIQUYET": amount, "DONVITINH": unit, "MOTA": note, "PHILEPHI": fees}


def _fee(code: str, amount: float, note: str) -> dict:
    return {"MAPHILEPHI": code, "SOTIEN": amount, "DONVI": "Đồng", "MOTA": note}


def _paper(name: str, originals: int, copies: int) -> dict:
    return {"MAGIAYTO": "", "TENGIAYTO": name, "SOBANCHINH": originals, "SOBANSAO": copies,
            "TENMAUDON": "", "URL": ""}  # fmt: skip


def _procedure(code, name, sector_code, sector, channels, papers, laws) -> dict:
    return {
        "MATTHC": code,
        "TENTTHC": name,
        "LINHVUCTHUCHIEN": [{"MALINHVUC": sector_code, "TENLINHVUC": sector}],
        "CACHTHUCTHUCHIEN": channels,
        "THANHPHANHOSO": [{"TRUONGHOP": "", "GIAYTO": papers}],
        "CANCUPHAPLY": [{"SOVANBAN": number, "TENVANBAN": title} for number, title in laws],
        "TRANGTHAI": 1,
    }


SEED: list[dict] = [
    _procedure(
        "1.001193",
        "Thủ tục đăng ký khai sinh",
        "G09-TP05",
        "Hộ tịch",
        [
            {
                "KENH": 1,
                "THOIGIAN": [
                    _time(
                        0,
                        "Ngày làm việc",
                        [
                            _fee("2", 0, "Miễn lệ phí khi đăng ký khai sinh đúng hạn"),
                            _fee("2", 8000, "Đăng ký khai sinh quá hạn"),
                        ],
                    )
                ],
            },
            {"KENH": 2, "THOIGIAN": [_time(0, "Ngày làm việc", [])]},
        ],  # fmt: skip
        [
            _paper("Tờ khai đăng ký khai sinh theo mẫu", 1, 0),
            _paper("Giấy chứng sinh hoặc giấy tờ thay thế Giấy chứng sinh", 1, 0),
            _paper("Văn bản ủy quyền (nếu nộp thay)", 0, 1),
        ],
        [("60/2014/QH13", "Luật Hộ tịch"), ("123/2015/NĐ-CP", "Nghị định quy định chi tiết")],
    ),
    _procedure(
        "2.000884",
        "Thủ tục chứng thực chữ ký trong các giấy tờ, văn bản",
        "G09-TP07",
        "Chứng thực",
        [
            {
                "KENH": 1,
                "THOIGIAN": [
                    _time(0, "Ngày làm việc", [_fee("2", 10000, "Lệ phí chứng thực chữ ký")])
                ],
            }
        ],  # fmt: skip
        [_paper("Giấy tờ, văn bản cần chứng thực chữ ký", 1, 0)],
        [("23/2015/NĐ-CP", "Nghị định về cấp bản sao, chứng thực")],
    ),
    _procedure(
        "3.000111",
        "Thủ tục giả lập: xác nhận thông tin cư trú",
        "G09-CA01",
        "Cư trú",
        [
            {
                "KENH": 1,
                "THOIGIAN": [_time(2, "Ngày làm việc", [_fee("1", 0, "Không thu phí, lệ phí")])],
            }
        ],  # fmt: skip
        [_paper("Tờ khai thay đổi thông tin cư trú", 1, 0)],
        [],
    ),
    _procedure(
        "3.000222",
        "Thủ tục giả lập: thẩm định dự án xây dựng",
        "G09-XD01",
        "Xây dựng",
        [{"KENH": 1, "THOIGIAN": [_time(1, "Tháng", [])]}],
        [_paper("Tờ trình thẩm định", 1, 0)],
        [],
    ),
]


def seed() -> list[dict]:
    """A fresh copy: each emulator holds its own catalogue (tests replace it)."""
    return copy.deepcopy(SEED)

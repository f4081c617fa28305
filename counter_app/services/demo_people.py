"""Made-up but realistic Vietnamese citizens for the demo store and the benchmarks."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng",
          "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Lò", "Hà", "Triệu"]  # fmt: skip
MIDDLE_M = ["Văn", "Hữu", "Đức", "Minh", "Quang", "Công", "Xuân", "Thành"]
MIDDLE_F = ["Thị", "Ngọc", "Thu", "Thanh", "Mai", "Kim", "Hồng", "Diệu"]
GIVEN_M = ["Anh", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hùng", "Khánh", "Long", "Nam",
           "Phúc", "Quân", "Sơn", "Thắng", "Tuấn", "Việt", "Đông", "Lộc"]  # fmt: skip
GIVEN_F = ["Đường", "Hương", "Lan", "Linh", "Loan", "Nga", "Ngân", "Nhung", "Phương",
           "Quyên", "Thảo", "Trang", "Uyên", "Yến", "Huyền", "Thúy", "Hà", "Ánh"]  # fmt: skip
VILLAGES = ["Thôn Nà Pồng", "Thôn Bản Chang", "Thôn Khuổi Hao", "Thôn Đồng Tâm", "Thôn Tân Lập",
            "Tổ dân phố 3", "Bản Pá Khoang", "Thôn Phiêng Lằn"]  # fmt: skip
PROVINCES = ["001", "002", "004", "006", "008", "010", "011", "012", "014", "015", "019", "020"]
MOBILE_PREFIXES = ["032", "033", "034", "035", "036", "037", "038", "039", "056", "058", "070",
                   "077", "078", "081", "083", "084", "085", "086", "088", "091", "094", "096",
                   "097", "098", "090", "093"]  # fmt: skip


@dataclass(frozen=True)
class DemoPerson:
    full_name: str
    citizen_id: str
    phone: str
    address: str
    birth_date: date
    sex: str


def citizen_id_for(rng: random.Random, birth: date, sex: str) -> str:
    century = (birth.year - 1900) // 100
    digit = century * 2 + (1 if sex == "female" else 0)
    tail = "".join(rng.choice("0123456789") for _ in range(6))
    return f"{rng.choice(PROVINCES)}{digit}{birth.year % 100:02d}{tail}"


def make_person(rng: random.Random, commune: str = "xã Tân Lập") -> DemoPerson:
    sex = rng.choice(["male", "female"])
    middle, given = (MIDDLE_F, GIVEN_F) if sex == "female" else (MIDDLE_M, GIVEN_M)
    name = f"{rng.choice(FAMILY)} {rng.choice(middle)} {rng.choice(given)}"
    birth = date(1945, 1, 1) + timedelta(days=rng.randrange(0, 365 * 62))
    return DemoPerson(
        full_name=name,
        citizen_id=citizen_id_for(rng, birth, sex),
        phone=rng.choice(MOBILE_PREFIXES) + "".join(rng.choice("0123456789") for _ in range(7)),
        address=f"{rng.choice(VILLAGES)}, {commune}",
        birth_date=birth,
        sex=sex,
    )

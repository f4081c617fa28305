"""Plausible Vietnamese applicants for the demo store and the benchmarks: names weighted as
in a real commune, căn cước numbers, phones and addresses that pass the same validation
(`validate_applicant`) as a clerk's input.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass
from datetime import date, timedelta

from counter_app.core.citizen import PROVINCE_CODES
from counter_app.core.dossier import Applicant
from counter_app.core.text import fold, nfc
from counter_app.services.dossiers import ApplicantInput


def _words(text: str) -> tuple[str, ...]:
    return tuple(nfc(text).split())


# name:relative frequency; the big families dominate, as they do in any commune.
FAMILY = tuple(
    (name, int(weight))
    for name, weight in (
        pair.split(":")
        for pair in _words(
            "Nguyễn:380 Trần:110 Lê:95 Phạm:70 Hoàng:51 Huỳnh:30 Phan:45 Vũ:39 Võ:30 Đặng:21 "
            "Bùi:20 Đỗ:14 Hồ:13 Ngô:13 Dương:10 Lý:5 Đinh:9 Trương:8 Lâm:4 Mai:4 Đoàn:5 "
            "Trịnh:4 Lương:3 Hà:4 Cao:3 Tạ:2"
        )
    )
)
MIDDLE_MALE = _words("Văn Hữu Đức Minh Quốc Thanh Công Xuân Đình Ngọc Quang Thế Trọng Anh Gia")
MIDDLE_FEMALE = _words("Thị Thị Thị Ngọc Thu Thanh Minh Thùy Kim Bích Mỹ Hồng Phương Diệu")
GIVEN_MALE = _words(
    "Anh Bình Cường Dũng Đường Hùng Hải Hiếu Hoàng Huy Khoa Long Minh Nam Phong Phúc Quân "
    "Sơn Tài Thắng Thành Trung Tuấn Tùng Việt Vinh Đạt Đức Khánh Lộc Nghĩa Toàn Hưng Kiên "
    "Tâm Thịnh Bảo Duy"
)
GIVEN_FEMALE = _words(
    "Anh Bình Chi Dung Đường Giang Hà Hạnh Hằng Hương Hoa Huyền Lan Linh Loan Mai My Nga "
    "Ngân Nhung Oanh Phương Quỳnh Thảo Thủy Trang Tuyết Uyên Vân Yến Xuân Thư Ánh Ngọc "
    "Diệp Hiền"
)
# Viettel, Vinaphone, MobiFone, Vietnamobile and Gmobile prefixes.
MOBILE_PREFIXES = _words(
    "032 033 034 035 036 037 038 039 056 058 059 070 076 077 078 079 081 082 083 084 085 "
    "086 088 089 090 091 093 094 096 097 098 099"
)
HAMLETS = (
    "Thôn Đông",
    "Thôn Đoài",
    "Thôn Trung",
    "Thôn Nam",
    "Thôn Bắc",
    "Xóm Mới",
    "Xóm Chùa",
    "Tổ dân phố 1",
    "Tổ dân phố 2",
    "Tổ dân phố 3",
    "Ấp Tân Thành",
    "Ấp Phú Hòa",
)
HOME_PROVINCE = "036"  # most applicants were born in the commune's own province
COMMUNE = "xã Tân Lập"

_FAMILY_NAMES = tuple(n for n, _ in FAMILY)
_FAMILY_CUM_WEIGHTS = tuple(itertools.accumulate(w for _, w in FAMILY))
_PROVINCES = tuple(PROVINCE_CODES)


@dataclass(frozen=True)
class Person:
    full_name: str
    citizen_id: str
    phone: str
    address: str
    email: str
    birth_date: date
    sex: str  # "male" / "female", as Sex values

    def _fields(self) -> tuple:
        return (self.full_name, self.citizen_id, self.phone, self.address, self.email,
                self.birth_date, self.sex)  # fmt: skip

    @property
    def applicant(self) -> Applicant:
        return Applicant(*self._fields())

    @property
    def typed(self) -> ApplicantInput:
        """The same person as a clerk's input to `receive_dossier`."""
        return ApplicantInput(*self._fields())


def citizen_id(rng: random.Random, birth: date, sex: str) -> str:
    """12 digits: province of birth, century+sex digit, year of birth, 6 random digits."""
    province = HOME_PROVINCE if rng.random() < 0.6 else rng.choice(_PROVINCES)
    century = 2 * ((birth.year - 1900) // 100) + (1 if sex == "female" else 0)
    return f"{province}{century}{birth.year % 100:02d}{rng.randrange(1_000_000):06d}"


def mobile(rng: random.Random) -> str:
    return f"{rng.choice(MOBILE_PREFIXES)}{rng.randrange(10_000_000):07d}"


def person(rng: random.Random, today: date) -> Person:
    sex = "female" if rng.random() < 0.52 else "male"
    middle = MIDDLE_FEMALE if sex == "female" else MIDDLE_MALE
    given = GIVEN_FEMALE if sex == "female" else GIVEN_MALE
    family = rng.choices(_FAMILY_NAMES, cum_weights=_FAMILY_CUM_WEIGHTS)[0]
    words = [family, rng.choice(middle), rng.choice(given)]
    if rng.random() < 0.12:  # a second middle name: "Nguyễn Thị Thu Hương"
        words.insert(2, rng.choice(middle[1:]))
    name = nfc(" ".join(words))
    birth = today - timedelta(days=rng.randrange(18 * 365, 85 * 365))
    email = ""
    if rng.random() < 0.08:
        email = f"{fold(name).replace(' ', '')}{rng.randrange(100)}@gmail.com"
    return Person(
        full_name=name,
        citizen_id=citizen_id(rng, birth, sex),
        phone=mobile(rng) if rng.random() < 0.95 else "",
        address=f"{rng.choice(HAMLETS)}, {COMMUNE}",
        email=email,
        birth_date=birth,
        sex=sex,
    )

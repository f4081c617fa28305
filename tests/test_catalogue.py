"""The procedure catalogue: the shipped data, search, validation and the JSON round trip."""

from __future__ import annotations

import copy
import json
import unicodedata
from datetime import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from counter_app.core.catalogue import (
    Catalogue,
    DocumentForm,
    Procedure,
    ProcessingTime,
    ReturnMethod,
    ServiceGroup,
    catalogue_to_dict,
    load_catalogue,
    load_default_catalogue,
    parse_catalogue,
)
from counter_app.core.errors import NotFound, ValidationError
from counter_app.core.text import fold

SHIPPED = Path(__file__).resolve().parents[1] / "resources" / "catalogue" / "procedures.json"


@pytest.fixture(scope="module")
def cat() -> Catalogue:
    return load_default_catalogue()


@pytest.fixture
def raw() -> dict:
    return json.loads(SHIPPED.read_text(encoding="utf-8"))


def codes(procs: list[Procedure]) -> list[str]:
    return [p.code for p in procs]


# --- the shipped catalogue ------------------------------------------------------------


def test_shipped_catalogue_loads_with_enough_procedures(cat: Catalogue) -> None:
    assert cat.version == "2026.11-demo"
    assert len(cat.procedures) >= 25
    assert len({p.code for p in cat.procedures}) == len(cat.procedures)


def test_shipped_catalogue_covers_the_seven_groups(cat: Catalogue) -> None:
    assert [g.letter for g in cat.groups] == list("ABCDEFG")
    assert cat.group("A").name == "Hộ tịch"
    assert cat.group("b").name == "Chứng thực"
    used = {p.service_group for p in cat.procedures}
    assert used == set("ABCDEFG"), "every group has at least one procedure"


def test_every_procedure_belongs_to_an_existing_group_and_sector(cat: Catalogue) -> None:
    for proc in cat.procedures:
        group = cat.group(proc.service_group)
        assert proc.sector in group.sectors, (proc.code, proc.sector)
        assert proc.documents, f"{proc.code} lists no documents"
        assert proc.fees, f"{proc.code} lists no fee line"
        assert proc.name == unicodedata.normalize("NFC", proc.name)


def test_the_loader_reads_the_same_file_as_the_package_data(cat: Catalogue) -> None:
    assert load_catalogue(SHIPPED) == cat


def test_birth_registration_is_same_day_with_a_1500_cutoff(cat: Catalogue) -> None:
    birth = cat.procedure("1.001193")
    assert birth.name == "Thủ tục đăng ký khai sinh"
    assert birth.service_group == "A"
    assert birth.processing.is_same_day
    assert birth.processing.same_day_cutoff == time(15, 0)
    assert [f.amount_vnd for f in birth.fees] == [0, 8000]
    assert all(f.province_specific for f in birth.fees)


def test_certified_copy_figures(cat: Catalogue) -> None:
    copy_cert = cat.procedure("2.000815")
    assert copy_cert.service_group == "B"
    assert copy_cert.processing == ProcessingTime(0, time(15, 0), 2)
    fees = [(f.amount_vnd, f.unit) for f in copy_cert.fees]
    assert fees == [(2000, "per_page"), (1000, "per_page"), (200000, "per_copy")]
    assert copy_cert.documents[0].form is DocumentForm.PRESENT


@pytest.mark.parametrize(
    ("code", "days", "cutoff", "extra"),
    [
        ("1.000894", 0, time(15, 0), 5),  # kết hôn
        ("1.000689", 3, None, 0),  # khai sinh kết hợp nhận cha, mẹ, con
        ("1.001022", 3, None, 5),  # nhận cha, mẹ, con
        ("1.004859", 3, None, 5),  # thay đổi, cải chính, bổ sung
        ("2.000635", 0, time(15, 0), 0),  # bản sao trích lục
        ("2.002516", 3, None, 7),  # xác nhận thông tin hộ tịch: 3, or 10 with verification
        ("1.000419", 5, None, 0),  # khai tử lưu động
        ("1.003583", 3, None, 0),  # khai sinh lưu động
        ("2.000986", 15, None, 0),  # liên thông khai sinh, thường trú, BHYT
        ("2.000884", 0, time(15, 0), 0),  # chứng thực chữ ký
        ("1.004222", 7, None, 0),  # đăng ký thường trú
    ],
)
def test_domain_processing_times(cat: Catalogue, code, days, cutoff, extra) -> None:
    assert cat.procedure(code).processing == ProcessingTime(days, cutoff, extra)


@pytest.mark.parametrize(
    ("code", "amounts"),
    [
        ("1.000689", [10000]),
        ("2.000635", [8000]),
        ("2.002516", [8000]),
        ("1.000419", [0, 5000]),
        ("1.003583", [0, 8000]),
        ("2.000884", [10000]),
        ("2.000986", [0]),
    ],
)
def test_domain_fees(cat: Catalogue, code, amounts) -> None:
    assert [f.amount_vnd for f in cat.procedure(code).fees] == amounts


def test_unknown_procedure_and_group_raise_not_found(cat: Catalogue) -> None:
    with pytest.raises(NotFound) as err:
        cat.procedure("9.999999")
    assert err.value.code == "catalogue.unknown_procedure"
    assert err.value.params == {"procedure_code": "9.999999"}
    assert err.value.message("vi") == "Không tìm thấy thủ tục có mã 9.999999."
    assert "9.999999" in err.value.message("en")
    with pytest.raises(NotFound) as err:
        cat.group("Z")
    assert err.value.code == "catalogue.unknown_group"
    assert "nhóm dịch vụ" in err.value.message("vi")


# --- search -----------------------------------------------------------------------------


def test_search_khai_sinh_finds_birth_registration_near_the_top(cat: Catalogue) -> None:
    found = codes(cat.search("khai sinh"))
    assert "1.001193" in found[:3]
    for code in found:  # in the title, or in what people call it ("sửa giấy khai sinh")
        proc = cat.procedure(code)
        assert "khai sinh" in fold(" / ".join((proc.name, *proc.everyday_words)))


@pytest.mark.parametrize("query", ["dang ky khai sinh", "Đăng ký khai sinh", "ĐĂNG KÝ KHAI SINH"])
def test_search_exact_name_with_or_without_diacritics_comes_first(cat, query) -> None:
    found = codes(cat.search(query))
    assert found[0] == "1.001193"
    assert "1.003583" in found  # khai sinh lưu động also starts with the query


def test_search_marriage(cat: Catalogue) -> None:
    found = codes(cat.search("Đăng ký kết hôn"))
    assert found[0] == "1.000894"
    assert set(found) >= {"1.000593", "1.004746"}  # lưu động, đăng ký lại
    assert codes(cat.search("ket hon")) == codes(cat.search("KẾT HÔN"))


def test_search_words_in_any_order_and_extra_words_tolerated(cat: Catalogue) -> None:
    assert "1.004873" in codes(cat.search("hôn nhân tình trạng"))
    assert codes(cat.search("khai sinh xyzzy"))[0] == "1.001193"  # people add words
    assert cat.search("xyzzy") == []


def test_search_by_code(cat: Catalogue) -> None:
    assert codes(cat.search("2.000815")) == ["2.000815"]
    prefix = codes(cat.search("1.0011"))
    assert prefix == sorted(prefix) and "1.001193" in prefix
    assert all(c.startswith("1.0011") for c in prefix)
    assert all(c.startswith("2.000") for c in codes(cat.search("2.000")))


def test_search_ranks_exact_code_before_names(cat: Catalogue) -> None:
    # "1.001193" appears in no name, but an exact code must win over prefix matches.
    assert codes(cat.search(" 1.001193 ")) == ["1.001193"]


def test_search_limit_and_empty_query(cat: Catalogue) -> None:
    assert len(cat.search("thủ tục", limit=4)) == 4
    assert cat.search("thủ tục", limit=0) == []
    assert cat.search("   ") == []


def test_search_ranks_the_closest_title_first_not_the_lowest_code(cat: Catalogue) -> None:
    found = codes(cat.search("chứng thực", limit=50))
    assert found[0] == "2.001019"  # "chứng thực di chúc": the fewest words left over
    assert found != sorted(found)
    assert set(found) >= {"2.000815", "2.000884", "2.001019", "2.001035"}


# --- validation -----------------------------------------------------------------------


def _proc(raw: dict, code: str) -> dict:
    return next(p for p in raw["procedures"] if p["code"] == code)


def mutate_unknown_group(d):
    _proc(d, "1.001193")["service_group"] = "Z"


def mutate_duplicate_code(d):
    _proc(d, "2.000815")["code"] = "1.001193"


def mutate_duplicate_letter(d):
    d["groups"][1]["letter"] = "A"


def mutate_negative_days(d):
    _proc(d, "1.004222")["processing"]["working_days"] = -1


def mutate_negative_extra(d):
    _proc(d, "2.000815")["processing"]["verification_extra_days"] = -2


def mutate_fractional_days(d):
    _proc(d, "1.004222")["processing"]["working_days"] = 1.5


def mutate_bad_cutoff(d):
    _proc(d, "1.001193")["processing"]["same_day_cutoff"] = "25:00"


def mutate_cutoff_without_colon(d):
    _proc(d, "1.001193")["processing"]["same_day_cutoff"] = "1500"


def mutate_unknown_form(d):
    _proc(d, "1.001193")["documents"][0]["form"] = "photocopy"


def mutate_missing_form(d):
    del _proc(d, "1.001193")["documents"][0]["form"]


def mutate_zero_count(d):
    _proc(d, "1.001193")["documents"][0]["count"] = 0


def mutate_unknown_return_method(d):
    _proc(d, "1.001193")["return_methods"] = ["counter", "drone"]


def mutate_empty_return_methods(d):
    _proc(d, "1.001193")["return_methods"] = []


def mutate_missing_name(d):
    del _proc(d, "1.001193")["name"]


def mutate_blank_name(d):
    _proc(d, "1.001193")["name"] = "   "


def mutate_blank_group_name(d):
    d["groups"][0]["name"] = ""


def mutate_missing_processing(d):
    del _proc(d, "1.001193")["processing"]


def mutate_negative_fee(d):
    _proc(d, "2.000884")["fees"][0]["amount_vnd"] = -10000


def mutate_unknown_fee_unit(d):
    _proc(d, "2.000884")["fees"][0]["unit"] = "per_hour"


def mutate_unknown_key(d):
    _proc(d, "1.001193")["note"] = "not part of the model"


def mutate_missing_version(d):
    del d["version"]


def mutate_groups_not_a_list(d):
    d["groups"] = {"A": "Hộ tịch"}


def mutate_bad_letter(d):
    d["groups"][0]["letter"] = "a1"


def mutate_everyday_words_not_a_list(d):
    _proc(d, "1.004222")["everyday_words"] = "nhập hộ khẩu"


def mutate_blank_everyday_word(d):
    _proc(d, "1.004222")["everyday_words"].append("  ")


def mutate_everyday_word_twice_once_folded(d):
    _proc(d, "1.013978")["everyday_words"].append("lam so do")  # "làm sổ đỏ" is there


def mutate_everyday_word_too_long(d):
    _proc(d, "2.000815")["everyday_words"].append("sao y " * 20)


MUTATIONS = [v for k, v in dict(globals()).items() if k.startswith("mutate_")]


@pytest.mark.parametrize("mutate", MUTATIONS, ids=lambda f: f.__name__.removeprefix("mutate_"))
def test_invalid_catalogue_raises_validation_error_in_vietnamese(raw, mutate) -> None:
    parse_catalogue(raw)  # the unmutated data is valid: the mutation is what fails
    mutate(raw)
    with pytest.raises(ValidationError) as err:
        parse_catalogue(raw)
    assert err.value.code == "catalogue.invalid"
    assert err.value.message("vi").startswith("Danh mục thủ tục không hợp lệ: ")
    assert err.value.message("en").startswith("The procedure catalogue is invalid: ")
    assert err.value.params["reason"]


def test_invalid_reason_names_the_place(raw) -> None:
    mutate_bad_cutoff(raw)
    with pytest.raises(ValidationError) as err:
        parse_catalogue(raw)
    assert "1.001193" in err.value.params["reason"]
    assert "same_day_cutoff" in err.value.params["reason"]


def test_optional_keys_take_the_dataclass_defaults() -> None:
    cat = parse_catalogue(
        {
            "version": "t",
            "groups": [{"letter": "A", "name": "Hộ tịch"}],
            "procedures": [
                {
                    "code": "1.001193",
                    "name": "Thủ tục đăng ký khai sinh",
                    "sector": "Hộ tịch",
                    "service_group": "A",
                    "processing": {},
                    "documents": [{"name": "Tờ khai", "form": "original"}],
                    "fees": [{"description": "Miễn"}],
                }
            ],
        }
    )
    proc = cat.procedure("1.001193")
    assert cat.group("A").sectors == ()
    assert proc.processing == ProcessingTime()
    assert proc.documents[0].count == 1 and proc.documents[0].optional is False
    assert proc.fees[0].amount_vnd is None and proc.fees[0].unit == "per_case"
    assert proc.return_methods == (ReturnMethod.COUNTER,)
    assert proc.legal_basis == ""


def test_names_are_nfc_normalised_and_stripped() -> None:
    decomposed = unicodedata.normalize("NFD", "  Thủ tục đăng ký khai sinh ")
    cat = parse_catalogue(
        {
            "version": "t",
            "groups": [{"letter": "A", "name": unicodedata.normalize("NFD", "Hộ tịch")}],
            "procedures": [
                {
                    "code": "1.001193",
                    "name": decomposed,
                    "sector": "Hộ tịch",
                    "service_group": "A",
                    "processing": {"same_day_cutoff": "15:00"},
                }
            ],
        }
    )
    assert cat.procedure("1.001193").name == "Thủ tục đăng ký khai sinh"
    assert cat.group("A").name == "Hộ tịch"
    assert codes(cat.search("đăng ký khai sinh")) == ["1.001193"]


def test_load_catalogue_errors(tmp_path: Path) -> None:
    with pytest.raises(NotFound) as err:
        load_catalogue(tmp_path / "missing.json")
    assert err.value.code == "catalogue.file_not_found"
    broken = tmp_path / "broken.json"
    broken.write_text('{"version": "x", ', encoding="utf-8")
    with pytest.raises(ValidationError, match="not valid JSON"):
        load_catalogue(broken)
    latin = tmp_path / "latin.json"
    latin.write_bytes(b'{"version": "H\xf4 t\xecch"}')  # Latin-1 bytes, not UTF-8
    with pytest.raises(ValidationError, match="UTF-8"):
        load_catalogue(latin)


def test_load_catalogue_tolerates_a_bom(tmp_path: Path, cat: Catalogue) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + SHIPPED.read_bytes())
    assert load_catalogue(path) == cat


# --- round trip ------------------------------------------------------------------------


def test_round_trip_of_the_shipped_catalogue(cat: Catalogue, raw: dict) -> None:
    as_dict = catalogue_to_dict(cat)
    assert parse_catalogue(as_dict) == cat
    assert parse_catalogue(json.loads(json.dumps(as_dict, ensure_ascii=False))) == cat
    # The file itself omits defaults; writing every key must not change the meaning.
    assert parse_catalogue(raw) == cat


def test_round_trip_detects_a_changed_field(cat: Catalogue) -> None:
    as_dict = catalogue_to_dict(cat)
    as_dict["procedures"][0]["processing"]["verification_extra_days"] += 1
    assert parse_catalogue(as_dict) != cat


_VI_LETTERS = (
    "aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵĐƯƠ"
)
_text = st.text(alphabet=_VI_LETTERS + " ,.;/()-0123456789", min_size=1, max_size=30).filter(
    lambda s: s.strip() != ""
)
_optional_text = st.one_of(st.just(""), _text)
_cutoffs = st.one_of(
    st.none(),
    st.builds(lambda h, m: f"{h:02d}:{m:02d}", st.integers(0, 23), st.integers(0, 59)),
)


@st.composite
def catalogue_dicts(draw) -> dict:
    letters = draw(
        st.lists(st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZ"), min_size=1, max_size=7, unique=True)
    )
    groups = [
        {"letter": letter, "name": draw(_text), "sectors": draw(st.lists(_text, max_size=3))}
        for letter in letters
    ]
    code_list = draw(
        st.lists(
            st.builds(lambda a, b: f"{a}.{b:06d}", st.integers(1, 3), st.integers(0, 999_999)),
            max_size=8,
            unique=True,
        )
    )
    procedures = []
    for code in code_list:
        procedures.append(
            {
                "code": code,
                "name": draw(_text),
                "sector": draw(_text),
                "service_group": draw(st.sampled_from(letters)),
                "processing": {
                    "working_days": draw(st.integers(0, 60)),
                    "same_day_cutoff": draw(_cutoffs),
                    "verification_extra_days": draw(st.integers(0, 15)),
                },
                "documents": [
                    {
                        "name": draw(_text),
                        "form": draw(st.sampled_from([f.value for f in DocumentForm])),
                        "count": draw(st.integers(1, 5)),
                        "optional": draw(st.booleans()),
                        "note": draw(_optional_text),
                    }
                    for _ in range(draw(st.integers(0, 3)))
                ],
                "fees": [
                    {
                        "description": draw(_text),
                        "amount_vnd": draw(st.one_of(st.none(), st.integers(0, 5_000_000))),
                        "unit": draw(st.sampled_from(["per_case", "per_copy", "per_page"])),
                        "province_specific": draw(st.booleans()),
                    }
                    for _ in range(draw(st.integers(0, 3)))
                ],
                "return_methods": draw(
                    st.lists(
                        st.sampled_from([m.value for m in ReturnMethod]), min_size=1, unique=True
                    )
                ),
                "legal_basis": draw(_optional_text),
            }
        )
    return {"version": draw(_text), "groups": groups, "procedures": procedures}


@settings(max_examples=150, deadline=None)
@given(catalogue_dicts())
def test_round_trip_over_generated_catalogues(data: dict) -> None:
    cat = parse_catalogue(data)
    as_dict = catalogue_to_dict(cat)
    assert parse_catalogue(as_dict) == cat
    assert parse_catalogue(json.loads(json.dumps(as_dict))) == cat
    assert catalogue_to_dict(parse_catalogue(as_dict)) == as_dict
    for proc in cat.procedures:
        assert cat.procedure(proc.code) is proc
        assert proc in cat.search(proc.code)


def _set(path: tuple, value):
    def apply(proc: dict) -> None:
        target = proc
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return apply


def _drop(key: str):
    return lambda proc: proc.pop(key)


PROCEDURE_MUTATIONS = [
    _set(("service_group",), "Q"),
    _set(("processing", "working_days"), -1),
    _set(("processing", "working_days"), "3"),
    _set(("processing", "verification_extra_days"), -1),
    _set(("processing", "same_day_cutoff"), "24:00"),
    _set(("processing", "same_day_cutoff"), "9:00"),
    _set(("processing", "same_day_cutoff"), 15),
    _set(("documents", 0, "form"), "scan"),
    _set(("documents", 0, "count"), -1),
    _set(("documents", 0, "name"), ""),
    _set(("fees", 0, "amount_vnd"), -1),
    _set(("fees", 0, "description"), " "),
    _set(("return_methods",), ["email"]),
    _set(("return_methods",), ["counter", "counter"]),
    _set(("name",), ""),
    _set(("sector",), None),
    _set(("code",), "1 001193"),
    _set(("legal_basis",), 42),
    _drop("name"),
    _drop("code"),
    _drop("processing"),
]


@settings(max_examples=120, deadline=None)
@given(st.sampled_from(PROCEDURE_MUTATIONS), st.integers(0, 10_000))
def test_mutating_any_procedure_of_the_shipped_catalogue_is_refused(mutate, index) -> None:
    data = json.loads(SHIPPED.read_text(encoding="utf-8"))
    procs = data["procedures"]
    mutate(procs[index % len(procs)])
    with pytest.raises(ValidationError) as err:
        parse_catalogue(data)
    assert err.value.code == "catalogue.invalid"


def test_a_copied_procedure_is_a_duplicate_wherever_it_lands(raw) -> None:
    procs = raw["procedures"]
    for i in range(0, len(procs), 5):
        data = copy.deepcopy(raw)
        data["procedures"].insert(i, copy.deepcopy(procs[-1 - i]))
        with pytest.raises(ValidationError, match="duplicate procedure code"):
            parse_catalogue(data)


def test_direct_construction_equals_parsed(cat: Catalogue) -> None:
    group = ServiceGroup("A", "Hộ tịch", ("Hộ tịch",))
    proc = Procedure(
        code="1.001193",
        name="Thủ tục đăng ký khai sinh",
        sector="Hộ tịch",
        service_group="A",
        processing=ProcessingTime(0, time(15, 0)),
    )
    built = Catalogue("v", (group,), (proc,))
    assert parse_catalogue(catalogue_to_dict(built)) == built
    assert catalogue_to_dict(built)["procedures"][0]["processing"] == {
        "working_days": 0,
        "same_day_cutoff": "15:00",
        "verification_extra_days": 0,
    }

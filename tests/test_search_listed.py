"""A listed dossier (a search, the dossier page, a list) opens its applicant's name at once and
its other sealed fields on first read (issue 19): it must read, compare, hash, print, pickle
and serialise exactly as the dossier opened in full. A name whose pairs are all cut to two
letters ("le thao") also drives from its longer words' tokens: it finds what the words mean."""

from __future__ import annotations

import copy
import pickle
from dataclasses import asdict, fields, replace
from datetime import date

import pytest

from counter_app.cli.output import to_jsonable
from counter_app.core.dossier import Applicant
from counter_app.core.errors import DomainError
from counter_app.core.text import fold
from counter_app.services.dossiers import ApplicantInput, receive_dossier
from counter_app.services.search import find_dossiers, search_dossiers
from counter_app.store.dossier_rows import ListedApplicant

PEOPLE = (
    ApplicantInput("Lê Thị Thảo", "001190012345", "0912345678", "Thôn 3, xã Tân Lập",
                   "thao@example.vn", date(1990, 5, 1), "female"),
    ApplicantInput("Lê Thảo", "001090012346", "0987654321", "Xóm Đồng, xã Tân Lập",
                   "", date(1990, 7, 9), "male"),
    ApplicantInput("Đỗ Văn Thắng", "001085000111", "0901234567", "Số 5 ngõ 2", "thang@mail.vn",
                   date(1985, 1, 1), "male"),
    ApplicantInput("Đỗ Thị Thu", "", "", "", "", None, ""),
    ApplicantInput("Vũ Thảo Lê"),
    ApplicantInput("Lê Văn Thanh", address="Thôn 1"),
)  # fmt: skip
NOTES = ("Bà Thảo nộp thay chồng, 0912 000 111", "", "Hẹn gọi lại", "", "", "")


@pytest.fixture
def received(ctx):
    return [
        receive_dossier(ctx, procedure_code="1.001193", applicant=person, note=note)
        for person, note in zip(PEOPLE, NOTES, strict=True)
    ]


def _listings(ctx, received) -> dict[str, list]:
    thao = received[0]
    return {
        "two words": search_dossiers(ctx, "le thao"),
        "full name": search_dossiers(ctx, "Lê Thị Thảo"),
        "one word": search_dossiers(ctx, "thao"),
        "ID number": search_dossiers(ctx, thao.applicant.citizen_id),
        "phone": search_dossiers(ctx, "0912 345 678"),
        "code prefix": search_dossiers(ctx, thao.code[:20]),
        "dossier page": find_dossiers(ctx, any_date=True).dossiers,
        "page by name": find_dossiers(ctx, text="do th", any_date=True).dossiers,
    }


def test_a_listed_dossier_is_the_dossier_opened_in_full(ctx, store, received) -> None:
    for how, found in _listings(ctx, received).items():
        assert found, how
        for listed in found:
            assert isinstance(listed.applicant, ListedApplicant), how  # the lazy path ran
            full = store.dossiers.get(listed.code)
            assert type(full.applicant) is Applicant
            assert listed == full and full == listed, how
            assert listed.applicant == full.applicant and full.applicant == listed.applicant
            assert hash(listed) == hash(full) and repr(listed) == repr(full), how
            assert asdict(listed) == asdict(full) and to_jsonable(listed) == to_jsonable(full)
            for copied in (pickle.loads(pickle.dumps(listed)), copy.deepcopy(listed)):
                assert copied == full and type(copied.applicant) is Applicant, how
            moved = replace(listed.applicant, phone="0900000000")
            assert moved == replace(full.applicant, phone="0900000000"), how
            assert {listed, full} == {full}, how
    assert received[0] in search_dossiers(ctx, "le thao")  # as the intake returned it


@pytest.mark.parametrize("first", [f.name for f in fields(Applicant)])
def test_each_field_opens_to_its_own_value_whichever_is_read_first(
    ctx, store, received, first
) -> None:
    for listed in find_dossiers(ctx, any_date=True).dossiers:
        full = store.dossiers.get(listed.code).applicant
        assert getattr(listed.applicant, first) == getattr(full, first), first
        for field in fields(Applicant):
            assert getattr(listed.applicant, field.name) == getattr(full, field.name), field
    by_code = {d.code: d for d in received}
    for listed in search_dossiers(ctx, "le"):
        assert getattr(listed.applicant, first) == getattr(by_code[listed.code].applicant, first)


def test_a_damaged_field_fails_where_it_is_read(ctx, store, received) -> None:
    """The list shows names: a damaged address stops the dossier's detail, not the list."""
    thao, other = received[0], received[2]
    with store.transaction():
        sealed = store.query_one("SELECT address FROM dossiers WHERE code = ?", (other.code,))
        store.conn.execute(
            "UPDATE dossiers SET address = ? WHERE code = ?", (sealed[0], thao.code)
        )  # another dossier's address: sealed under another code, so it cannot open here
    listed = next(d for d in search_dossiers(ctx, "le thi thao") if d.code == thao.code)
    assert listed.applicant.full_name == "Lê Thị Thảo" and listed.note == thao.note
    with pytest.raises(DomainError) as err:
        _ = listed.applicant.address
    assert err.value.code == "crypto.damaged"
    with pytest.raises(DomainError):
        store.dossiers.get(thao.code)


def test_a_row_from_before_sealing_lists_as_it_opens(ctx, store, received) -> None:
    """An older version kept the fields in clear (sealed at the next unlock)."""
    lan = received[5]
    with store.transaction():
        store.conn.execute(
            "UPDATE dossiers SET applicant_name = ?, address = ?, citizen_id = ?, phone = ?, "
            "citizen_id_sealed = '', phone_sealed = '' WHERE code = ?",
            ("Lê Văn Thanh", "Thôn 1", "001080000222", "0933333333", lan.code),
        )
    listed = next(d for d in search_dossiers(ctx, "le thanh") if d.code == lan.code)
    full = store.dossiers.get(lan.code)
    assert listed == full and full.applicant.citizen_id == "001080000222"
    assert listed.applicant.phone == "0933333333" and listed.applicant.address == "Thôn 1"


def _meant(query: str, name: str) -> bool:
    words = fold(name).split()
    return all(any(w.startswith(q) for w in words) for q in fold(query).split())


@pytest.mark.parametrize(
    "query", ["le thao", "thao le", "do thang", "vu th", "le th", "le thi thao", "do thu",
              "le thanh", "do th van", "le va tha", "le thang"],
)  # fmt: skip
def test_pairs_cut_to_two_letters_find_what_the_words_mean(ctx, received, query) -> None:
    expected = sorted(p.full_name for p in PEOPLE if _meant(query, p.full_name))
    found = sorted(d.applicant.full_name for d in search_dossiers(ctx, query))
    assert found == expected
    page = find_dossiers(ctx, text=query, any_date=True)
    assert sorted(d.applicant.full_name for d in page.dossiers) == expected
    assert page.total == len(expected)


def test_only_pairs_cut_to_two_letters_add_word_tokens(ctx, store) -> None:
    crypto = store.crypto
    assert crypto.query_weak_pair_words("le thao") == crypto.query_tokens("thao")
    assert crypto.query_weak_pair_words("do th van") == crypto.query_tokens("van")
    for strong in ("nguyen duong", "le thi thao", "thao", "ng nguyen", "le th"):
        assert crypto.query_weak_pair_words(strong) == [], strong

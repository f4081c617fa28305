"""Procedure search ranks by how well the words fit, then by this center's use; never by code."""

from __future__ import annotations

import json

import pytest

from counter_app.cli import main
from counter_app.core.catalogue import load_default_catalogue, parse_catalogue
from counter_app.core.procedure_search import rank_procedures, search_procedures
from counter_app.services import procedures as service
from tests.test_cli import INIT


@pytest.fixture(scope="module")
def procs():
    return load_default_catalogue().procedures


def first(procs, text: str, **kw) -> str:
    return search_procedures(procs, text, **kw)[0].code


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("khai sinh", "1.001193"),  # not 1.000689 (kết hợp nhận cha, mẹ, con: 3 days, 10,000đ)
        ("Khai Sinh", "1.001193"),
        ("khai sinh", "1.001193"),
        ("ket hon", "1.000894"),  # not 1.000593, the mobile (lưu động) variant
        ("kết hôn", "1.000894"),
        ("KẾT HÔN", "1.000894"),
        ("khai tu", "1.000656"),
        ("khai tử", "1.000656"),
        ("dang ky khai tu", "1.000656"),
        ("khai si", "1.001193"),  # the last word still being typed
    ],
)
def test_the_plain_procedure_comes_first(procs, text, code) -> None:
    assert first(procs, text) == code


def test_order_follows_the_fit_not_the_code(procs) -> None:
    codes = [p.code for p in search_procedures(procs, "khai sinh")]
    assert codes.index("1.001193") < codes.index("1.003583") < codes.index("1.000689")
    assert codes != sorted(codes)


def test_a_word_inside_another_word_or_the_leading_thu_tuc_does_not_match(procs) -> None:
    # "tu" starts "tục" in the leading "Thủ tục": khai sinh must not answer "khai tu".
    codes = [p.code for p in search_procedures(procs, "khai tu")]
    assert not {"1.001193", "1.000689", "1.003583"} & set(codes)
    # "ai" is inside "khai": alone it finds nothing; "hai sinh" has an extra word
    # (people add words), and the one word that fits decides.
    assert search_procedures(procs, "ai") == []
    assert first(procs, "hai sinh") == "1.001193"
    assert len(search_procedures(procs, "thủ tục", limit=4)) == 4


def test_exact_code_first_then_code_prefix(procs) -> None:
    assert [p.code for p in search_procedures(procs, " 1.001193 ")] == ["1.001193"]
    assert all(p.code.startswith("2.000") for p in search_procedures(procs, "2.000"))


def _two_alike():
    return parse_catalogue(
        {
            "version": "t",
            "groups": [{"letter": "A", "name": "Chứng thực"}],
            "procedures": [
                {"code": "9.000001", "name": "Chứng thực chữ ký", "sector": "S",
                 "service_group": "A", "processing": {}},
                {"code": "9.000002", "name": "Chứng thực bản sao", "sector": "S",
                 "service_group": "A", "processing": {}},
                {"code": "9.000003", "name": "Chứng thực hợp đồng giao dịch", "sector": "S",
                 "service_group": "A", "processing": {}},
            ],
        }
    ).procedures  # fmt: skip


def test_this_centers_use_decides_between_equally_good_matches() -> None:
    procs = _two_alike()
    assert first(procs, "chung thuc") == "9.000001"  # no use known: the shorter name
    assert first(procs, "chung thuc", uses={"9.000001": 2, "9.000002": 7}) == "9.000002"
    # ... but use never lifts a worse fit: a two-word title still beats a used longer one.
    assert first(procs, "chung thuc", uses={"9.000003": 500}) == "9.000001"


def test_ranked_carries_its_reasons(procs) -> None:
    best = rank_procedures(procs, "khai sinh", uses={"1.001193": 3})[0]
    assert (best.procedure.code, best.extra_words, best.uses) == ("1.001193", 2, 3)


def test_service_counts_this_centers_dossiers(ctx, clock) -> None:
    from counter_app.services.dossiers import ApplicantInput, receive_dossier

    for _ in range(2):
        receive_dossier(
            ctx, procedure_code="1.001193", applicant=ApplicantInput(full_name="Lê Văn An")
        )
    assert service.procedure_uses(ctx) == {"1.001193": 2}
    best = service.search_procedures(ctx, "khai sinh")[0]
    assert (best.procedure.code, best.uses) == ("1.001193", 2)


def test_cli_catalogue_search_best_first(tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("COUNTER_APP_USER", "admin")
    monkeypatch.setenv("COUNTER_APP_PASSWORD", "mat-khau-dai")
    data = str(tmp_path / "data")
    assert main(["--data-dir", data, *INIT]) == 0
    capsys.readouterr()
    assert main(["--data-dir", data, "catalogue", "search", "ket", "hon", "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    # then the copies and the single-status paper: people say "chưa kết hôn", "giấy kết hôn"
    assert [f["code"] for f in found][:3] == ["1.000894", "1.004746", "1.000593"]
    assert found[0]["rank"] == 1 and found[0]["uses"] == 0
    assert main(["--data-dir", data, "catalogue", "search", "khai sinh"]) == 0
    assert capsys.readouterr().out.splitlines()[0].startswith("1.001193")
    assert main(["--data-dir", data, "catalogue", "search", "làm", "sổ", "đỏ"]) == 0
    assert capsys.readouterr().out.splitlines()[0].startswith("1.013978")  # people's words
    assert main(["--data-dir", data, "catalogue", "search", "xyzzy"]) == 0
    assert "Không tìm thấy" in capsys.readouterr().out
    monkeypatch.setenv("COUNTER_APP_PASSWORD", "sai-mat-khau")
    assert main(["--data-dir", data, "catalogue", "search", "khai sinh"]) != 0

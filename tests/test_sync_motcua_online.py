"""The motcua emulator's online inbox over real HTTP on 127.0.0.1 (issue 18): what it lists
(citizens with marked names, our catalogue's procedures, one real PDF per checklist row,
Base64 or a link), acknowledgement that is harmless twice, a supplement request and the
citizen's resubmission, decisions counted per dossier (the exactly-once checks of the center
tests rest on them), links served only with the token, and sizes it refuses."""

from __future__ import annotations

import base64
import hashlib
import os
import re
import subprocess
import sys
import unicodedata

import pytest
import requests

from counter_app.core.catalogue import load_default_catalogue
from sync.emulator_motcua import DEFAULT_CLIENT, MotcuaEmulator
from sync.emulator_online import DEFAULT_AGENCY, MAX_ACKS, MAX_SEED
from sync.emulator_online_seed import MAX_PAPER_BYTES

MARKS = re.compile(r"[À-ỹ]")


@pytest.fixture
def emulator(tmp_path):
    emu = MotcuaEmulator(tmp_path / "motcua", online=12).start()
    yield emu
    emu.stop()


def token(url: str) -> dict:
    form = {"grant_type": "client_credentials", **DEFAULT_CLIENT}
    answer = requests.post(f"{url}/token", data=form, timeout=10).json()
    return {"Authorization": f"Bearer {answer['access_token']}"}


def inbox(url: str, auth: dict, agency: str = DEFAULT_AGENCY) -> list[dict]:
    answer = requests.get(f"{url}/LayDanhSachHoSo", params={"MaDonVi": agency}, headers=auth,
                          timeout=10)  # fmt: skip
    assert answer.status_code == 200, answer.text
    return answer.json()["data"]


def post(url: str, path: str, body, auth: dict | None = None) -> requests.Response:
    return requests.post(f"{url}{path}", json=body, headers=auth or {}, timeout=30)


def decide(url, auth, code, to, before=1, **reason) -> int:
    move = {"MaHoSo": code, "TrangThaiTruoc": before, "TrangThai": to, **reason}
    return post(url, "/CapNhatTrangThai", [move], auth).status_code


def paper_bytes(url: str, auth: dict, attached: dict) -> bytes:
    if "Base64" in attached:
        return base64.b64decode(attached["Base64"], validate=True)
    answer = requests.get(url + attached["DuongDan"], headers=auth, timeout=10)
    assert answer.status_code == 200 and answer.headers["Content-Type"] == "application/pdf"
    return answer.content


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "giay-to.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout  # fmt: skip


def ascii_of(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def test_the_inbox_lists_citizens_procedures_and_one_real_pdf_per_checklist_row(emulator, tmp_path):
    url, auth = emulator.url, token(emulator.url)
    listed = inbox(url, auth)
    assert len(listed) == 12
    catalogue = {p.code: p for p in load_default_catalogue().procedures}
    ways = set()
    for record in listed:
        assert record["LanNop"] == 1 and record["TrangThai"] == 1
        assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", record["NgayNop"])
        who = record["ThongTinNguoiNop"]["ThongTinChiTiet"]
        assert MARKS.search(who["TenNguoiNop"]), who["TenNguoiNop"]
        assert re.fullmatch(r"\d{12}", who["SoDinhDanh"]) and who["SoDienThoai"]
        channel = record["NhanThongBao"]
        assert channel["Email"] in (True, False) and channel["SMS"] in (True, False)
        assert not channel["Email"] or who["Email"]
        procedure = catalogue[record["MaTTHC"]]
        assert record["TenTTHC"] == procedure.name
        rows = record["ThanhPhanHoSo"]
        assert [r["TenThanhPhanHoSo"] for r in rows] == [d.name for d in procedure.documents]
        for row in rows:
            (attached,) = row["GiayToDinhKem"]
            ways.add("Base64" if "Base64" in attached else "DuongDan")
            data = paper_bytes(url, auth, attached)
            assert hashlib.sha256(data).hexdigest() == attached["HashTepTin"]
            assert record["MaHoSo"] not in attached["TenTep"]
            text = pdf_text(data, tmp_path)
            assert record["MaHoSo"] in text
            assert ascii_of(row["TenThanhPhanHoSo"])[:30] in " ".join(text.split())
    assert ways == {"Base64", "DuongDan"}
    assert inbox(url, auth, "000.00.99.H22") == []  # another agency's inbox is its own


def test_acknowledging_is_harmless_twice_and_takes_the_round_off_the_list(emulator):
    url, auth = emulator.url, token(emulator.url)
    first, second = inbox(url, auth)[:2]
    ack = [{"MaHoSo": first["MaHoSo"], "LanNop": 1}]
    for _ in range(2):
        answer = post(url, "/CapNhatDaNhanHoSo", ack, auth)
        assert answer.status_code == 200
        assert answer.json()["data"] == [{**ack[0], "DaNhan": True}]
    codes = [r["MaHoSo"] for r in inbox(url, auth)]
    assert first["MaHoSo"] not in codes and second["MaHoSo"] in codes and len(codes) == 11
    unknown = [{"MaHoSo": "000.00.01.H22-20260101-0999999", "LanNop": 1}]
    assert post(url, "/CapNhatDaNhanHoSo", unknown, auth).status_code == 404
    ahead = [{"MaHoSo": second["MaHoSo"], "LanNop": 2}]
    assert post(url, "/CapNhatDaNhanHoSo", ahead, auth).status_code == 409
    # a refused element acknowledges nothing of its list
    both = [{"MaHoSo": second["MaHoSo"], "LanNop": 1}, *unknown]
    assert post(url, "/CapNhatDaNhanHoSo", both, auth).status_code == 404
    assert second["MaHoSo"] in [r["MaHoSo"] for r in inbox(url, auth)]
    assert post(url, "/CapNhatDaNhanHoSo", ack, {}).status_code == 401


def test_a_supplement_request_waits_for_the_resubmission_which_lists_the_next_round(emulator):
    url, auth = emulator.url, token(emulator.url)
    record = inbox(url, auth)[0]
    code = record["MaHoSo"]
    assert post(url, "/CapNhatDaNhanHoSo", [{"MaHoSo": code, "LanNop": 1}], auth).ok
    early = post(url, "/_emulator/online/resubmit", {"MaHoSo": code})
    assert early.status_code == 409  # the citizen resubmits only what was sent back
    reason = {"NoiDungYeuCauBoSung": "Thiếu bản sao giấy chứng sinh"}
    assert decide(url, auth, code, 5, **reason) == 200
    assert code not in [r["MaHoSo"] for r in inbox(url, auth)]
    answer = post(url, "/_emulator/online/resubmit", {"MaHoSo": code})
    assert answer.json() == {"MaHoSo": code, "LanNop": 2}
    (again,) = [r for r in inbox(url, auth) if r["MaHoSo"] == code]
    assert again["LanNop"] == 2 and again["TrangThai"] == 1
    old = {f["HashTepTin"] for r in record["ThanhPhanHoSo"] for f in r["GiayToDinhKem"]}
    new = {f["HashTepTin"] for r in again["ThanhPhanHoSo"] for f in r["GiayToDinhKem"]}
    assert new and not new & old  # the papers changed
    # a late acknowledgement of the first round does not hide the second
    assert post(url, "/CapNhatDaNhanHoSo", [{"MaHoSo": code, "LanNop": 1}], auth).ok
    assert code in [r["MaHoSo"] for r in inbox(url, auth)]
    assert decide(url, auth, code, 2) == 200  # undecided again: from 1
    assert requests.get(f"{url}/_emulator/online-decisions", timeout=10).json()[code] == {
        "5": 1,
        "2": 1,
    }
    missing = post(url, "/_emulator/online/resubmit", {"MaHoSo": "khong-co"})
    assert missing.status_code == 404


def test_decisions_are_counted_per_dossier_and_moves_from_a_left_status_refused(emulator):
    url, auth = emulator.url, token(emulator.url)
    accepted, refused, untouched = (r["MaHoSo"] for r in inbox(url, auth)[:3])
    assert decide(url, auth, accepted, 2) == 200
    assert decide(url, auth, accepted, 2) == 200  # a repeat is taken, and counted
    assert decide(url, auth, refused, 3, LyDo="Không thuộc thẩm quyền của xã") == 200
    assert decide(url, auth, refused, 2) == 409  # accept after refuse
    assert decide(url, auth, accepted, 3, LyDo="x") == 409
    assert decide(url, auth, "000.00.01.H22-20260101-0999999", 2) == 404
    seen = requests.get(f"{url}/_emulator/online-decisions", timeout=10).json()
    assert seen == {accepted: {"2": 2}, refused: {"3": 1}}
    assert untouched not in seen
    listed = [r["MaHoSo"] for r in inbox(url, auth)]
    assert accepted not in listed and refused not in listed and untouched in listed
    looked = requests.get(f"{url}/TraCuuHoSo", params={"MaHoSo": accepted}, headers=auth,
                          timeout=10).json()  # fmt: skip
    assert looked["data"]["TrangThai"] == 2


def test_links_serve_only_online_papers_and_only_with_the_token(emulator):
    url, auth = emulator.url, token(emulator.url)
    seeded = post(url, "/_emulator/online", {"count": 1, "papers": "links"}).json()["MaHoSo"]
    (record,) = [r for r in inbox(url, auth) if r["MaHoSo"] == seeded[0]]
    attached = record["ThanhPhanHoSo"][0]["GiayToDinhKem"][0]
    assert "Base64" not in attached and attached["DuongDan"].startswith("/TaiTepTin/")
    link = url + attached["DuongDan"]
    assert requests.get(link, timeout=10).status_code == 401
    assert requests.get(link, headers=auth, timeout=10).content.startswith(b"%PDF-")
    assert requests.post(link, headers=auth, timeout=10).status_code == 405
    assert requests.get(f"{url}/TaiTepTin/{'0' * 32}", headers=auth, timeout=10).status_code == 404
    assert (
        requests.get(f"{url}/TaiTepTin/%2e%2e%2ftoken", headers=auth, timeout=10).status_code == 404
    )
    # a paper a station uploaded is not a citizen's link
    data = b"%PDF-1.4 tai len"
    digest = hashlib.sha256(data).hexdigest()
    upload = requests.post(f"{url}/UploadFile", headers=auth, timeout=10,
                           data={"MaHoSo": "X-1", "HashTepTin": digest},
                           files={"file": ("a.pdf", data)}).json()  # fmt: skip
    station_file = f"{url}/TaiTepTin/{upload['data']['IdTepTin']}"
    assert requests.get(station_file, headers=auth, timeout=10).status_code == 404
    base64_only = post(url, "/_emulator/online", {"count": 2, "papers": "base64"}).json()
    for record in inbox(url, auth):
        if record["MaHoSo"] in base64_only["MaHoSo"]:
            assert all("Base64" in f for r in record["ThanhPhanHoSo"] for f in r["GiayToDinhKem"])


def test_hostile_sizes_and_shapes_are_refused_whole(emulator, tmp_path):
    url, auth = emulator.url, token(emulator.url)
    before = len(inbox(url, auth))
    for order in ({"count": 0}, {"count": MAX_SEED + 1}, {"count": "5"}, {"count": 1.5},
                  {"count": 1, "paper_bytes": MAX_PAPER_BYTES + 1},
                  {"count": 1, "MaDonVi": "x" * 51},
                  {"count": 1, "MaTTHC": "9.999999"}, {"count": 1, "NgayNop": "07/12/2026"},
                  {"count": 1, "papers": "ftp"}, [1]):  # fmt: skip
        answer = post(url, "/_emulator/online", order)
        assert answer.status_code == 400 and answer.json()["message"], order
    assert len(inbox(url, auth)) == before  # nothing half-made
    code = inbox(url, auth)[0]["MaHoSo"]
    for body in ([], [{"MaHoSo": code, "LanNop": 1}] * (MAX_ACKS + 1), {"MaHoSo": code},
                 [{"MaHoSo": "x" * 101, "LanNop": 1}], [{"MaHoSo": code, "LanNop": "1"}],
                 [{"MaHoSo": code, "LanNop": 0}], ["x"]):  # fmt: skip
        answer = post(url, "/CapNhatDaNhanHoSo", body, auth)
        assert answer.status_code == 400 and answer.json()["message"], body
    bad = requests.post(f"{url}/CapNhatDaNhanHoSo", data=b"{not json", headers=auth, timeout=10)
    assert bad.status_code == 400
    for params in ({}, {"MaDonVi": ""}, {"MaDonVi": [DEFAULT_AGENCY] * 2},
                   {"MaDonVi": DEFAULT_AGENCY, "trang": "2"}):  # fmt: skip
        answer = requests.get(f"{url}/LayDanhSachHoSo", params=params, headers=auth, timeout=10)
        assert answer.status_code == 400, params
    assert code in [r["MaHoSo"] for r in inbox(url, auth)]  # nothing acknowledged by them
    # a trial's large paper (for the station's own cap) stays a whole, valid PDF
    big = post(url, "/_emulator/online", {"count": 1, "papers": "links", "paper_bytes": 3_000_000})
    (record,) = [r for r in inbox(url, auth) if r["MaHoSo"] == big.json()["MaHoSo"][0]]
    attached = record["ThanhPhanHoSo"][0]["GiayToDinhKem"][0]
    data = paper_bytes(url, auth, attached)
    assert len(data) > 3_000_000 and hashlib.sha256(data).hexdigest() == attached["HashTepTin"]
    assert record["MaHoSo"] in pdf_text(data, tmp_path)


def test_portal_emulator_seeds_the_online_inbox_from_the_command_line(tmp_path):
    proc = subprocess.Popen(
        [sys.executable, "-m", "counter_app", "portal-emulator", "--dialect", "motcua",
         "--port", "0", "--data", str(tmp_path / "emu"), "--online", "3"],
        stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip
    try:
        url = re.search(r"http://127\.0\.0\.1:\d+", proc.stdout.readline()).group(0)
        proc.stdout.readline()  # the account
        assert proc.stdout.readline().startswith("Hồ sơ trực tuyến chờ kiểm tra: 3 ")
        assert len(inbox(url, token(url))) == 3
    finally:
        proc.terminate()
        proc.wait(10)
    for args in (["--online", "2"], ["--dialect", "motcua", "--online", "201"]):
        done = subprocess.run(
            [sys.executable, "-m", "counter_app", "portal-emulator", "--data",
             str(tmp_path / "x"), *args], capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert done.returncode == 2 and "--online" in done.stderr, done.stderr
        assert "Traceback" not in done.stderr

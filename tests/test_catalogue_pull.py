"""The dvcqg catalogue pulls (LayDanhSachTTHC, LayThuTuc) against the emulator on 127.0.0.1:
procedures upserted through the write path, a procedure failing our checks reported and not
stored, nothing a dossier uses ever dropped, the emulator strict on types and in step with
sync/dvcqg.yaml, and `counter-app catalogue pull` end to end."""

from __future__ import annotations

import json
from datetime import time
from pathlib import Path

import jsonschema_rs
import pytest
import requests
import yaml

from counter_app.cli import main
from counter_app.core.errors import DomainError, Forbidden, ValidationError
from counter_app.core.roles import Role
from counter_app.services import dossiers
from counter_app.services.catalogue_pull import pull_catalogue
from sync.dialects.dvcqg_catalogue import PullProblem, procedure_from_wire
from sync.dialects.settings import save_settings
from sync.emulator_dvcqg import DEFAULT_ACCOUNT, DvcqgEmulator
from sync.emulator_dvcqg_catalogue import seed
from sync.portal_port import DIALECT_PORTAL
from tests.conftest import make_ctx

SPEC = Path(__file__).resolve().parents[1] / "sync" / "dvcqg.yaml"


@pytest.fixture
def emulator(tmp_path):
    emu = DvcqgEmulator(tmp_path / "dvcqg", faults="5xx=0.1,seed=3").start()
    yield emu
    emu.stop()


@pytest.fixture
def admin(store, clock, station, emulator):
    with store.transaction():
        save_settings(store, portal_url=emulator.url, dialect="dvcqg", credentials=DEFAULT_ACCOUNT)
    return make_ctx(store, clock, station, Role.ADMIN, "admin")


def pull(admin, **kw):
    """A pull, tried again over the emulator's injected 5xx faults as a clerk would."""
    for _ in range(20):
        try:
            return pull_catalogue(admin, portal=DIALECT_PORTAL, **kw)
        except DomainError as error:
            if error.code != "catalogue.pull_failed":
                raise
    raise AssertionError("the emulator kept failing")


def test_pull_upserts_what_passes_and_reports_what_does_not(admin, store):
    before = admin.catalogue()
    report = pull(admin)
    assert report.added == ["3.000111"]
    assert "1.001193" in report.updated
    assert [code for code, _ in report.problems] == ["3.000222"]
    problem = report.problems[0][1]
    assert problem.code == "catalogue.pull.no_group" and "Xây dựng" in problem.message()
    assert len(report.not_listed) == len(before.procedures) - 2  # kept without --prune
    after = admin.catalogue()
    assert after.version == report.version and after.version.startswith(before.version)
    new = after.procedure("3.000111")
    assert (new.service_group, new.sector, new.processing.working_days) == ("C", "Cư trú", 2)
    birth = after.procedure("1.001193")
    assert birth.processing.same_day_cutoff == time(15, 0)  # kept: the portal does not say
    assert [d.name for d in birth.documents][0] == "Tờ khai đăng ký khai sinh theo mẫu"
    assert [f.amount_vnd for f in birth.fees] == [0, 8000]
    assert "60/2014/QH13 Luật Hộ tịch" in birth.legal_basis
    # what people call it is ours: the portal lists titles only, a pull keeps the words
    assert birth.everyday_words == before.procedure("1.001193").everyday_words
    assert "làm giấy khai sinh" in birth.everyday_words
    with pytest.raises(DomainError):
        after.procedure("3.000222")
    audit = store.query_one("SELECT action, entity_id, detail FROM audit ORDER BY id DESC")
    assert (audit["action"], audit["entity_id"]) == ("catalogue.pull", report.version)
    assert json.loads(audit["detail"])["problems"] == ["3.000222"]
    # the same list again changes nothing and writes nothing
    audits = store.query_one("SELECT count(*) FROM audit")[0]
    again = pull(admin)
    assert again.added == again.updated == [] and again.version == report.version
    assert store.query_one("SELECT count(*) FROM audit")[0] == audits


def test_prune_never_drops_a_procedure_a_dossier_uses(admin, store, clock, station):
    clerk = make_ctx(store, clock, station)
    applicant = dossiers.ApplicantInput(full_name="Trần Văn Ẩn")
    dossiers.receive_dossier(clerk, procedure_code="1.000689", applicant=applicant)
    report = pull(admin, prune=True)
    assert report.kept_in_use == ["1.000689"] and "1.003583" in report.removed
    codes = {p.code for p in admin.catalogue().procedures}
    assert codes == {"1.000689", "1.001193", "2.000884", "3.000111"}


def test_a_failed_pull_keeps_the_catalogue_and_says_why(admin, store, emulator):
    before = admin.catalogue()
    with store.transaction():
        save_settings(store, portal_url=emulator.url, dialect="dvcqg",
                      credentials={**DEFAULT_ACCOUNT, "password": "sai"})  # fmt: skip
    emulator.state.set_faults(emulator.state.faults.__class__())  # only the password fails
    with pytest.raises(DomainError) as failed:
        pull_catalogue(admin, portal=DIALECT_PORTAL)
    assert failed.value.code == "catalogue.pull_failed"
    assert "Cổng không chấp nhận tài khoản" in failed.value.message()
    assert admin.catalogue() == before
    with store.transaction():
        save_settings(store, portal_url=emulator.url, dialect="motcua", credentials={})
    with pytest.raises(ValidationError):
        pull_catalogue(admin, portal=DIALECT_PORTAL)
    with pytest.raises(Forbidden):  # a clerk may not change the catalogue
        pull_catalogue(make_ctx(store, admin.clock, admin.station), portal=DIALECT_PORTAL)


def test_wire_values_are_read_tolerantly_but_checked_strictly(admin):
    groups = admin.catalogue().groups
    item = seed()[2]
    fee = item["CACHTHUCTHUCHIEN"][0]["THOIGIAN"][0]
    fee["PHILEPHI"] = [{"MAPHILEPHI": "2", "SOTIEN": "10.000", "MOTA": ""}]
    fee["THOIGIANGIAIQUYET"] = "3"
    taken = procedure_from_wire(item, groups=groups, existing=None)
    assert taken.fees[0].amount_vnd == 10000 and taken.fees[0].description == "Lệ phí"
    assert taken.processing.working_days == 3
    for change, code in (
        ({"SOTIEN": "mười nghìn"}, "catalogue.pull.bad_fee"),
        ({"SOTIEN": -5}, "catalogue.pull.bad_fee"),
    ):
        fee["PHILEPHI"] = [{"MAPHILEPHI": "2", **change}]
        with pytest.raises(PullProblem) as refused:
            procedure_from_wire(item, groups=groups, existing=None)
        assert refused.value.code == code
    fee["PHILEPHI"], fee["THOIGIANGIAIQUYET"] = [], 1.5
    with pytest.raises(PullProblem) as refused:
        procedure_from_wire(item, groups=groups, existing=None)
    assert refused.value.code == "catalogue.pull.bad_time"
    fee["THOIGIANGIAIQUYET"], fee["DONVITINH"] = 1, "Tháng"  # months are not guessed
    with pytest.raises(PullProblem) as refused:
        procedure_from_wire(item, groups=groups, existing=None)
    assert refused.value.code == "catalogue.pull.bad_time" and "1 Tháng" in refused.value.message()
    fee["DONVITINH"], item["TENTTHC"] = "Ngày làm việc", "   "
    with pytest.raises((PullProblem, ValidationError)):
        procedure_from_wire(item, groups=groups, existing=None)


def _call(url: str, **body):
    account = {k: DEFAULT_ACCOUNT[k] for k in ("username", "password")}
    headers = {"dstcode": DEFAULT_ACCOUNT["dstcode"]}
    session = requests.post(url + "/auth", json=account, headers=headers, timeout=10)
    answer = requests.post(
        url + "/integration",
        json={"session": session.json()["session"], "madonvi": DEFAULT_ACCOUNT["madonvi"],
              **body},
        headers={"dstcode": DEFAULT_ACCOUNT["dstcode"]}, timeout=10,
    )  # fmt: skip
    return answer.json()


def test_emulator_is_strict_and_answers_as_its_spec_says(tmp_path):
    emulator = DvcqgEmulator(tmp_path / "strict").start()
    try:
        wrong = _call(emulator.url, service="LayThuTuc", maTTHC=1001193)
        listed = _call(emulator.url, service="LayDanhSachTTHC")
        one = _call(emulator.url, service="LayThuTuc", maTTHC="1.001193")
        none = _call(emulator.url, service="LayThuTuc", maTTHC="9.999999")
    finally:
        emulator.stop()
    assert wrong["error_code"] == "-1" and "maTTHC" in wrong["message"]
    components = yaml.safe_load(SPEC.read_text(encoding="utf-8"))["components"]

    def valid(name: str, value) -> bool:
        schema = {"$ref": f"#/components/schemas/{name}", "components": components}
        return jsonschema_rs.validator_for(schema).is_valid(value)

    assert [p["MATTHC"] for p in listed["result"]] == [p["MATTHC"] for p in seed()]
    assert all(valid("ProcedureListItem", p) for p in listed["result"])
    assert len(one["result"]) == 1 and valid("ProcedureDetail", one["result"][0])
    assert none["result"] == []
    broken = {**one["result"][0], "CACHTHUCTHUCHIEN": [{"KENH": "1", "THOIGIAN": []}]}
    assert not valid("ProcedureDetail", broken)  # the spec types KENH as an integer


def test_cli_catalogue_pull(tmp_path, capsys, monkeypatch, emulator):
    monkeypatch.setenv("COUNTER_APP_USER", "admin")
    monkeypatch.setenv("COUNTER_APP_PASSWORD", "mat-khau-dai")
    folder = str(tmp_path / "data")
    assert main(["--data-dir", folder, "init", "--agency-code", "000.00.01.H22",
                 "--center-name", "Trung tâm xã Tân Lập", "--admin-password",
                 "mat-khau-dai"]) == 0  # fmt: skip
    emulator.state.set_faults(emulator.state.faults.__class__())  # a calm portal
    account = [f"--{k}={DEFAULT_ACCOUNT[k]}"
               for k in ("username", "madonvi", "dstcode", "password")]  # fmt: skip
    configure = ["sync", "configure", "--portal", emulator.url, "--dialect", "dvcqg"]
    assert main(["--data-dir", folder, *configure, *account]) == 0
    capsys.readouterr()
    assert main(["--data-dir", folder, "catalogue", "pull", "--json"]) == 1  # one not taken
    report = json.loads(capsys.readouterr().out)
    assert report["added"] == ["3.000111"] and report["problems"][0]["code"] == "3.000222"
    assert "Lĩnh vực «Xây dựng»" in report["problems"][0]["reason"]
    assert main(["--data-dir", folder, "catalogue", "show", "3.000111"]) == 0
    assert "xác nhận thông tin cư trú" in capsys.readouterr().out
    assert main(["--data-dir", folder, "catalogue", "pull"]) == 1
    out, err = capsys.readouterr()
    assert "Không lấy 3.000222: Lĩnh vực «Xây dựng»" in out and "1 thủ tục" in err


def test_a_catalogue_pulled_at_the_hub_reaches_every_counter(tmp_path, emulator):
    from counter_app.center.lab import Center, cli

    emulator.state.set_faults(emulator.state.faults.__class__())
    center = Center(tmp_path / "center")
    center.start_hub()
    try:
        counter = center.join("c1", "counter")
        account = [f"--{k}={DEFAULT_ACCOUNT[k]}"
                   for k in ("username", "madonvi", "dstcode", "password")]  # fmt: skip
        cli(center.hub_dir, "sync", "configure", "--portal", emulator.url, "--dialect", "dvcqg",
            *account)  # fmt: skip
        assert cli(center.hub_dir, "catalogue", "pull", check=False).returncode == 1
        cli(center.hub_dir, "center", "sync")
        cli(counter, "center", "sync")
        shown = cli(counter, "catalogue", "show", "3.000111").stdout
    finally:
        center.close()
    assert "xác nhận thông tin cư trú" in shown

"""The paper store: pages to one PDF, sealed at rest beside the store, rows through the one
write path, the rules on who attaches what when, erasure, key rotation and backups."""

from __future__ import annotations

import hashlib
import io
import sqlite3
from pathlib import Path

import pikepdf
import pytest
from PIL import Image, ImageDraw

from counter_app.core.dossier import DossierStatus
from counter_app.core.errors import DomainError, Forbidden, ValidationError
from counter_app.core.paper_pdf import make_pdf
from counter_app.core.roles import Role
from counter_app.services import papers
from counter_app.services.backup import backup_now, restore
from counter_app.services.citizen_data import erase_citizen
from counter_app.services.dossiers import ApplicantInput, change_status, receive_dossier
from counter_app.services.keys import rotate_keys
from counter_app.store import open_store
from counter_app.store.paper_files import MAGIC
from tests.conftest import make_ctx

CITIZEN_ID = "001090000123"


def text_page(path: Path, *, dpi: int = 200, size=(1654, 2339)) -> Path:
    """A page like a scanned form: lines of dark marks on paper that is not quite white."""
    image = Image.new("L", size, 242)
    draw = ImageDraw.Draw(image)
    for row, y in enumerate(range(150, size[1] - 150, 42)):
        x = 120 + (row * 37) % 90
        while x < size[0] - 200:
            width = 18 + (x * 7 + row * 13) % 60
            draw.rectangle([x, y, x + width, y + 16], fill=30)
            x += width + 14
    image.save(path, dpi=(dpi, dpi))
    return path


def receive(ctx, name: str = "Nguyễn Thị Đường"):
    return receive_dossier(
        ctx, procedure_code="1.001193", applicant=ApplicantInput(name, citizen_id=CITIZEN_ID)
    )


@pytest.fixture
def page(tmp_path) -> Path:
    return text_page(tmp_path / "trang.png")


def all_bytes(folder: Path) -> list[tuple[Path, bytes]]:
    return [(p, p.read_bytes()) for p in folder.rglob("*") if p.is_file()]


def test_a_png_becomes_a_sealed_pdf_that_opens_to_the_same_bytes(ctx, store, page):
    dossier = receive(ctx)
    paper = papers.attach_files(ctx, dossier.code, 1, [page])
    pdf = papers.read_paper(ctx, paper.paper_id)
    assert pdf.startswith(b"%PDF")
    assert hashlib.sha256(pdf).hexdigest() == paper.sha256 and len(pdf) == paper.size
    assert paper.pages == 1 and paper.title == dossier.documents[0].name
    assert papers.papers_of(ctx, dossier.code) == [paper]
    # at rest: one file named by the random id, sealed; no clear PDF anywhere in the folder
    folder = store.path.parent / "papers"
    assert [p.name for p in folder.iterdir()] == [paper.paper_id]
    for path, content in all_bytes(store.path.parent):
        assert b"%PDF" not in content, path
        assert pdf[200:264] not in content, path
    assert (folder / paper.paper_id).read_bytes().startswith(MAGIC)
    # the row holds what the paper is, never its bytes
    row = store.query_one("SELECT * FROM papers WHERE paper_id = ?", (paper.paper_id,))
    assert all(not isinstance(v, bytes) for v in tuple(row))


def test_the_attach_is_one_write_with_its_event_audit_and_delivery(ctx, store, page):
    dossier = receive(ctx)
    paper = papers.attach_files(ctx, dossier.code, 2, [page])
    audit = store.query_one(
        "SELECT * FROM audit WHERE action = 'paper.attach' AND entity_id = ?", (paper.paper_id,)
    )
    outbox = store.query(
        "SELECT * FROM outbox WHERE op = 'paper.attach' AND entity_id = ?", (paper.paper_id,)
    )
    assert audit is not None and len(outbox) == 1


def test_a_page_fits_the_budget_and_the_dpi(tmp_path):
    """An A4 text page scanned at 300 dpi comes out at 200 dpi, under ~300 KB."""
    page = text_page(tmp_path / "a4-300.png", dpi=300, size=(2480, 3508))
    made = make_pdf([page.read_bytes()])
    assert len(made.pdf) <= 305_000  # the issue's ~300 KB for an A4 text page
    with pikepdf.open(io.BytesIO(made.pdf)) as document:
        box = document.pages[0].mediabox
        assert round(float(box[2]) / 72 * 25.4) == 210  # A4 wide, in mm
        image = next(iter(document.pages[0].get_images().values()))
        assert image.Width <= 1654 and image.ColorSpace == "/DeviceGray"
    colour = make_pdf([page.read_bytes()], colour=True)
    with pikepdf.open(io.BytesIO(colour.pdf)) as document:
        assert next(iter(document.pages[0].get_images().values())).ColorSpace == "/DeviceRGB"


def test_a_pdf_is_kept_as_is_and_pages_are_joined_in_order(ctx, tmp_path, page):
    two = make_pdf([page.read_bytes(), page.read_bytes()])
    given = tmp_path / "given.pdf"
    given.write_bytes(two.pdf)
    dossier = receive(ctx)
    kept = papers.attach_files(ctx, dossier.code, 1, [given])
    assert kept.sha256 == hashlib.sha256(two.pdf).hexdigest() and kept.pages == 2
    joined = papers.attach_files(ctx, dossier.code, 2, [page, given, page])
    assert joined.pages == 4
    with pikepdf.open(io.BytesIO(papers.read_paper(ctx, joined.paper_id))) as document:
        assert len(document.pages) == 4


def test_scanning_again_replaces_the_paper_and_its_file(ctx, store, page):
    dossier = receive(ctx)
    first = papers.attach_files(ctx, dossier.code, 1, [page])
    second = papers.attach_files(ctx, dossier.code, 1, [page, page])
    assert papers.papers_of(ctx, dossier.code) == [second]
    assert not store.papers.files.exists(first.paper_id)
    with pytest.raises(DomainError) as raised:
        papers.read_paper(ctx, first.paper_id)
    assert raised.value.code == "paper.unknown"
    assert store.query_one("SELECT count(*) FROM outbox WHERE op = 'paper.remove'")[0] == 1


def test_a_file_that_is_not_a_page_is_refused_by_position_and_nothing_is_written(
    ctx, store, tmp_path, page
):
    dossier = receive(ctx)
    bad = tmp_path / "Nguyen Thi Duong CCCD.png"
    bad.write_bytes(b"not an image at all")
    with pytest.raises(ValidationError) as raised:
        papers.attach_files(ctx, dossier.code, 1, [page, bad])
    assert raised.value.code == "paper.bad_file" and raised.value.params["n"] == 2
    assert "Duong" not in str(raised.value)  # the file's name may be a person's
    assert store.query_one("SELECT count(*) FROM papers")[0] == 0
    assert store.papers.files.ids() == []


def test_who_may_attach_what_when(store, clock, station, page):
    clerk = make_ctx(store, clock, station)
    volunteer = make_ctx(store, clock, station, Role.VOLUNTEER, "tnv1")
    accepted = receive(clerk)
    with pytest.raises(Forbidden):  # a volunteer never adds to an accepted dossier
        papers.attach_files(volunteer, accepted.code, 1, [page])
    draft = receive_dossier(
        volunteer, procedure_code="1.001193", applicant=ApplicantInput("Lê Văn An"), draft=True
    )
    mine = papers.attach_files(volunteer, draft.code, 1, [page])
    assert papers.papers_of(volunteer, draft.code) == [mine]
    with pytest.raises(Forbidden):  # nor reads another citizen's papers
        papers.papers_of(volunteer, accepted.code)
    with pytest.raises(DomainError) as raised:  # results only once the dossier is done
        papers.attach_files(clerk, accepted.code, 1, [page], kind="result")
    assert raised.value.code == "paper.wrong_status"
    with pytest.raises(ValidationError):  # the checklist has so many rows
        papers.attach_files(clerk, accepted.code, 99, [page])
    change_status(clerk, code=accepted.code, to=DossierStatus.PROCESSING)
    change_status(clerk, code=accepted.code, to=DossierStatus.DONE)
    with pytest.raises(Forbidden):
        papers.attach_files(volunteer, accepted.code, 1, [page], kind="result")
    result = papers.attach_files(
        clerk, accepted.code, 1, [page], kind="result", title="Giấy khai sinh (bản chính)"
    )
    assert result.kind == "result" and result.added_by == "canbo1"
    assert papers.papers_of(clerk, accepted.code, "result") == [result]


def test_a_blob_moved_to_another_id_or_altered_does_not_open(ctx, store, page):
    dossier = receive(ctx)
    one = papers.attach_files(ctx, dossier.code, 1, [page])
    two = papers.attach_files(ctx, dossier.code, 2, [page])
    folder = store.papers.files.folder
    (folder / two.paper_id).write_bytes((folder / one.paper_id).read_bytes())
    with pytest.raises(DomainError) as raised:
        papers.read_paper(ctx, two.paper_id)
    assert raised.value.code == "crypto.damaged"
    blob = bytearray((folder / one.paper_id).read_bytes())
    blob[-1] ^= 1
    (folder / one.paper_id).write_bytes(bytes(blob))
    with pytest.raises(DomainError):
        papers.read_paper(ctx, one.paper_id)


def test_erasure_deletes_the_files(ctx, store, page):
    dossier = receive(ctx)
    paper = papers.attach_files(ctx, dossier.code, 1, [page])
    for status in (DossierStatus.PROCESSING, DossierStatus.DONE, DossierStatus.RETURNED):
        change_status(ctx, code=dossier.code, to=status)
    store.conn.execute("UPDATE outbox SET state = 'synced'")  # synced: erasure may go on
    admin = make_ctx(store, ctx.clock, ctx.station, Role.ADMIN, "admin")
    assert erase_citizen(admin, citizen_id=CITIZEN_ID) == 1
    assert not store.papers.files.exists(paper.paper_id)
    assert papers.papers_of(ctx, dossier.code) == []


def test_key_rotation_rewraps_the_files(store, clock, station, page):
    ctx = make_ctx(store, clock, station)
    paper = papers.attach_files(ctx, receive(ctx).code, 1, [page])
    before = papers.read_paper(ctx, paper.paper_id)
    rotate_keys(make_ctx(store, clock, station, Role.ADMIN, "admin"))
    assert papers.read_paper(ctx, paper.paper_id) == before


def test_a_backup_carries_the_papers_sealed_and_restore_puts_them_back(
    store, clock, station, tmp_path, page
):
    ctx = make_ctx(store, clock, station)
    paper = papers.attach_files(ctx, receive(ctx).code, 1, [page])
    pdf = papers.read_paper(ctx, paper.paper_id)
    target = backup_now(ctx, to=tmp_path / "usb")
    content = target.read_bytes()
    assert b"%PDF" not in content and pdf[200:264] not in content
    data_dir = store.path.parent
    store.papers.files.delete(paper.paper_id)  # the PC's disk lost it
    store.close()
    restore(data_dir, target, now=clock.now)
    again = open_store(data_dir)
    try:
        restored = make_ctx(again, clock, station)
        assert papers.read_paper(restored, paper.paper_id) == pdf
    finally:
        again.close()


def test_a_damaged_paper_in_a_backup_restores_nothing(store, clock, station, tmp_path, page):
    ctx = make_ctx(store, clock, station)
    papers.attach_files(ctx, receive(ctx).code, 1, [page])
    target = backup_now(ctx, to=tmp_path / "usb")
    damaged = bytearray(target.read_bytes())
    damaged[-3] ^= 0xFF
    target.write_bytes(bytes(damaged))
    data_dir = store.path.parent
    store.close()
    before = sqlite3.connect(data_dir / "counter.db").execute("PRAGMA user_version").fetchone()
    with pytest.raises(DomainError) as raised:
        restore(data_dir, target, now=clock.now)
    assert raised.value.code == "backup.damaged"
    assert not list(data_dir.glob("counter.db.replaced-*")) and before

"""A dossier's papers on the command line: attach files, scan, list, and write one out.

Added to the `dossier` group by commands_dossier (add_commands). Each command acts as the
signed-in account and passes the same checks as the windows (services/papers.py).
"""

from __future__ import annotations

from pathlib import Path

import click

from counter_app.cli.app import Bounded, CliState, pass_state
from counter_app.cli.output import emit_json
from counter_app.core.errors import ValidationError
from counter_app.core.messages import register
from counter_app.core.oserrors import cannot_write, check_writable_file
from counter_app.services import papers as service

register(
    {
        "cli.no_files": {
            "vi": "Hãy chỉ ra ít nhất một tệp PDF, JPEG hoặc PNG để đính kèm.",
            "en": "Name at least one PDF, JPEG or PNG file to attach.",
        },
    }
)

PAPER_NO = click.option(
    "--paper",
    "paper_no",
    required=True,
    type=Bounded(1, 999),
    help="Số thứ tự giấy tờ trong danh mục của thủ tục (với --result: của giấy tờ kết quả).",
)
RESULT = click.option(
    "--result", is_flag=True, help="Giấy tờ kết quả (khi hồ sơ đã xử lý xong hoặc đã trả)."
)
TITLE = click.option("--title", default=None, help="Tên giấy tờ kết quả (với --result).")
COLOUR = click.option("--colour", "colour", is_flag=True, help="Quét/lưu màu (mặc định: xám).")
JSON = click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")


def add_commands(dossier: click.Group) -> None:
    for command in (dossier_attach, dossier_scan, dossier_paper):
        dossier.add_command(command)


def _done(paper: service.PaperFile, as_json: bool) -> None:
    if as_json:
        emit_json(paper)
        return
    click.echo(f"Đã số hóa giấy tờ {paper.paper_no} ({paper.title}) của hồ sơ {paper.dossier_code}")
    click.echo(f"  {paper.pages} trang · {paper.size:,} byte · SHA-256 {paper.sha256}")
    click.echo(f"  Mã tệp: {paper.paper_id}")


@click.command("attach")
@click.argument("code")
@PAPER_NO
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@RESULT
@TITLE
@COLOUR
@JSON
@pass_state
def dossier_attach(
    state: CliState,
    code: str,
    paper_no: int,
    files: tuple[Path, ...],
    result: bool,
    title: str | None,
    colour: bool,
    as_json: bool,
) -> None:
    """Đính kèm tệp đã quét (PDF, JPEG, PNG) làm một giấy tờ của hồ sơ."""
    ctx = state.context()  # the account first, as every command: then what it names
    if not files:
        raise ValidationError("cli.no_files", field="files")
    paper = service.attach_files(
        ctx, code, paper_no, list(files),
        kind="result" if result else "intake", colour=colour, title=title,
    )  # fmt: skip
    _done(paper, as_json)


@click.command("scan")
@click.argument("code")
@PAPER_NO
@click.option("--device", default=None, help="Tên máy quét (mặc định: máy đầu tiên tìm thấy).")
@click.option("--pages", default=1, type=Bounded(1, service.MAX_PAGES), help="Số trang quét.")
@RESULT
@TITLE
@COLOUR
@JSON
@pass_state
def dossier_scan(
    state: CliState,
    code: str,
    paper_no: int,
    device: str | None,
    pages: int,
    result: bool,
    title: str | None,
    colour: bool,
    as_json: bool,
) -> None:
    """Quét giấy tờ từ máy quét (xám 200 dpi, hoặc màu) và đính kèm vào hồ sơ."""
    ctx = state.context()
    device = device or ctx.store.settings.get("scanner_device")
    paper = service.scan_paper(
        ctx, code, paper_no, device=device, pages=pages, colour=colour,
        kind="result" if result else "intake", title=title,
    )  # fmt: skip
    _done(paper, as_json)


@click.command("paper")
@click.argument("paper_id")
@click.option("--out", required=True, type=click.Path(path_type=Path), help="Tệp PDF để ghi ra.")
@pass_state
def dossier_paper(state: CliState, paper_id: str, out: Path) -> None:
    """Ghi một giấy tờ đã số hóa ra tệp PDF (để xem hoặc in)."""
    pdf = service.read_paper(state.context(), paper_id.strip().lower())
    check_writable_file(out)
    try:
        out.write_bytes(pdf)
    except OSError as error:
        raise cannot_write(out, error) from None
    click.echo(f"Đã ghi {out}")


def paper_lines(ctx, code: str) -> list[str]:
    """`dossier show`'s papers: each one's pages and SHA-256, results with who and when."""
    lines = []
    for p in service.papers_of(ctx, code):
        what = "Kết quả" if p.kind == "result" else "Giấy tờ"
        lines.append(f"  {what} {p.paper_no}. {p.title}: {p.pages} trang · SHA-256 {p.sha256}")
        lines.append(f"      {p.added_at:%H:%M %d/%m/%Y} ({p.added_by}) · mã tệp {p.paper_id}")
    return lines

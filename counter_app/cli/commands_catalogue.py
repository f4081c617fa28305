"""Looking at the catalogue of procedures."""

from __future__ import annotations

import click

from counter_app.cli.app import CliState, pass_state
from counter_app.cli.output import emit_json, to_jsonable
from counter_app.core.catalogue import DocumentForm
from counter_app.core.errors import DomainError

FORM_NAMES = {
    DocumentForm.ORIGINAL: "bản chính",
    DocumentForm.COPY: "bản sao",
    DocumentForm.CERTIFIED_COPY: "bản sao có chứng thực",
    DocumentForm.ORIGINAL_OR_COPY: "bản chính hoặc bản sao",
    DocumentForm.PRESENT: "xuất trình bản chính",
}


def processing_text(processing) -> str:
    if processing.is_same_day:
        cutoff = processing.same_day_cutoff
        text = "trong ngày"
        if cutoff:
            text += f" (sau {cutoff:%H:%M} trả vào ngày làm việc tiếp theo)"
    else:
        text = f"{processing.working_days} ngày làm việc"
    if processing.verification_extra_days:
        text += f"; cần xác minh: thêm {processing.verification_extra_days} ngày"
    return text


@click.group()
def catalogue() -> None:
    """Danh mục thủ tục hành chính."""


@catalogue.command("list")
@click.option("--group", help="Chỉ một nhóm dịch vụ (chữ cái).")
@click.option("--search", "text", help="Tìm theo tên hoặc mã, có dấu hoặc không dấu.")
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
@pass_state
def catalogue_list(state: CliState, group: str | None, text: str | None, as_json: bool) -> None:
    """Liệt kê các thủ tục."""
    cat = state.context().catalogue()
    procedures = cat.search(text, limit=1000) if text else list(cat.procedures)
    if group:
        procedures = [p for p in procedures if p.service_group == group.upper()]
    if as_json:
        emit_json({"version": cat.version, "procedures": to_jsonable(procedures)})
        return
    for p in procedures:
        click.echo(f"{p.code:<10} {p.service_group}  {p.name}  · {processing_text(p.processing)}")


@catalogue.command("search")
@click.argument("text", nargs=-1, required=True)
@click.option("--limit", type=click.IntRange(1, 1000), default=10, show_default=True,
              help="Số thủ tục tối đa.")  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
@pass_state
def catalogue_search(state: CliState, text: tuple[str, ...], limit: int, as_json: bool) -> None:
    """Tìm thủ tục theo tên hoặc mã, phù hợp nhất trước (như ô tìm ở màn hình tiếp nhận)."""
    from counter_app.services.procedures import search_procedures

    found = search_procedures(state.context(), " ".join(text), limit=limit)
    if as_json:
        emit_json(
            [
                {**to_jsonable(r.procedure), "rank": i, "uses": r.uses}
                for i, r in enumerate(found, start=1)
            ]
        )
        return
    if not found:
        click.echo("Không tìm thấy thủ tục nào.")
        return
    for r in found:
        p = r.procedure
        click.echo(f"{p.code:<10} {p.service_group}  {p.name}  · {processing_text(p.processing)}")


@catalogue.command("show")
@click.argument("code")
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
@pass_state
def catalogue_show(state: CliState, code: str, as_json: bool) -> None:
    """Xem một thủ tục: giấy tờ, thời hạn, lệ phí."""
    p = state.context().catalogue().procedure(code)
    if as_json:
        emit_json(p)
        return
    click.echo(f"{p.code} · {p.name}")
    click.echo(f"Lĩnh vực: {p.sector} · nhóm {p.service_group}")
    click.echo(f"Thời hạn giải quyết: {processing_text(p.processing)}")
    click.echo("Thành phần hồ sơ:")
    for d in p.documents:
        optional = " (nếu có)" if d.optional else ""
        click.echo(f"  - {d.name}: {d.count} {FORM_NAMES[d.form]}{optional}")
    for fee in p.fees:
        amount = (
            "tùy trường hợp" if fee.amount_vnd is None else f"{fee.amount_vnd:,}đ".replace(",", ".")
        )
        local = " (theo quy định của tỉnh)" if fee.province_specific else ""
        click.echo(f"Lệ phí: {fee.description}: {amount}{local}")


COMMANDS = (catalogue,)


@catalogue.command("pull")
@click.option(
    "--prune", is_flag=True, help="Bỏ các thủ tục Cổng không còn liệt kê (trừ thủ tục đã có hồ sơ)."
)
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
@pass_state
def catalogue_pull(state: CliState, prune: bool, as_json: bool) -> None:
    """Lấy danh mục thủ tục từ Cổng (chuẩn dvcqg: LayDanhSachTTHC, LayThuTuc) vào danh mục
    của Trung tâm (chỉ quản trị viên)."""
    from counter_app.services.catalogue_pull import pull_catalogue
    from sync.portal_port import DIALECT_PORTAL

    report = pull_catalogue(state.context(), portal=DIALECT_PORTAL, prune=prune)
    if as_json:
        emit_json(report.to_dict(state.lang))
        if report.problems:
            raise click.exceptions.Exit(1)  # the JSON is the output; the status says it
        return
    vi = state.lang == "vi"
    for label_vi, label_en, codes in (
        ("Thêm mới", "Added", report.added),
        ("Cập nhật", "Updated", report.updated),
        ("Không đổi", "Unchanged", report.unchanged),
        ("Đã bỏ", "Removed", report.removed),
        ("Giữ lại vì đã có hồ sơ", "Kept, dossiers use them", report.kept_in_use),
    ):
        if codes:
            click.echo(f"{label_vi if vi else label_en} ({len(codes)}): {', '.join(codes)}")
    if report.not_listed:
        click.echo(
            f"Cổng không liệt kê {len(report.not_listed)} thủ tục đang có; giữ nguyên "
            "(thêm --prune để bỏ các thủ tục chưa có hồ sơ)."
            if vi
            else f"{len(report.not_listed)} procedures are not listed by the portal; kept "
            "(--prune drops those without dossiers)."
        )
    for code, problem in report.problems:
        click.echo(f"{'Không lấy' if vi else 'Not taken'} {code}: {problem.message(state.lang)}")
    click.echo(f"{'Danh mục' if vi else 'Catalogue'}: {report.version}")
    if report.problems:  # the others are stored; the exit status tells a script
        raise DomainError("catalogue.pull_partial", n=len(report.problems))

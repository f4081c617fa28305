"""Forms 04 and 05 of Circular 03/2025/TT-VPCP Appendix I: letters to the citizen.

Unlike the counter's slips (Forms 01-03, 06), these are administrative letters: the national
header beside the agency, a number, place and date, "Kính gửi" the citizen, the body, and
the signer's block. The number is left for the agency's document register to fill in (the
program keeps no register of outgoing letters). Layout after the circular's Appendix I as
described in /work/shared/DOMAIN.md and the 2018 forms it replaces (Circular 01/2018 Mẫu 04
and 05); the exact wording of the 2025 text is unconfirmed (docs/dialects.md, "Forms").
"""

from __future__ import annotations

from datetime import datetime

from counter_app.core.dossier import Dossier
from counter_app.core.dossier_notices import Extension, Stop
from counter_app.core.text import nfc
from printers.documents import (
    Block,
    Columns,
    Document,
    Header,
    Rule,
    Space,
    Text,
    hhmm_date,
    place_date,
)

NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
FORM04_TITLE = "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT"
FORM05_TITLE = "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ"


def _letterhead(header: Header, at: datetime, number_suffix: str) -> tuple[Block, ...]:
    return (
        Columns((header.center_name.upper(), NATION), bold=True, size="small"),
        Columns(("", MOTTO), bold=True, size="small"),
        Columns((f"Số: ……/{number_suffix}", place_date(header.place, at)), size="small"),
        Space(0.5),
    )


def _about(d: Dossier, header: Header) -> tuple[Block, ...]:
    return (
        Text(f"Ông/Bà {d.applicant.full_name}", label="Kính gửi: ", bold=True),
        Text(f"{header.center_name} tiếp nhận hồ sơ của Ông/Bà lúc {hhmm_date(d.received_at)}."),
        Text(d.code, label="Mã hồ sơ: ", bold=True),
        Text(d.procedure_name, label="Nội dung yêu cầu giải quyết: "),
        Text(d.procedure_code, label="Mã thủ tục: ", size="small"),
    )


def _signer(officer: str, officer_title: str) -> tuple[Block, ...]:
    return (
        Space(0.5),
        Columns(("Nơi nhận:", (officer_title or "Người tiếp nhận").upper()), bold=True,
                size="small"),
        Columns(("- Như trên;", "(Ký và ghi rõ họ tên)"), size="small"),
        Columns(("- Lưu: Bộ phận Một cửa.", ""), size="small"),
        Space(2.5),
        Columns(("", nfc(officer)), bold=True, size="small"),
    )  # fmt: skip


def sentence(text: str) -> str:
    """A clerk's typed reason as a sentence of the letter: a reason typed without a full stop
    ran into the letter's next sentence ("… thôn Thượng Đồng Sự chậm trễ …")."""
    text = nfc(text).strip()
    return text if not text or text[-1] in ".!?…" else text + "."


def form04_document(
    d: Dossier,
    *,
    header: Header,
    at: datetime,
    extension: Extension,
    officer: str,
    officer_title: str = "",
) -> Document:
    """Form 04: the apology for a late result and the new due date."""
    blocks = (
        *_letterhead(header, at, "XL"),
        Text(FORM04_TITLE, bold=True, align="center", size="large"),
        Rule(),
        *_about(d, header),
        Text(hhmm_date(extension.old_due), label="Thời hạn trả kết quả đã hẹn: "),
        Text(
            f"Đến nay, {header.center_name} chưa giải quyết xong hồ sơ của Ông/Bà. "
            "Lý do: " + sentence(extension.reason)
        ),
        Text(
            "Sự chậm trễ này đã gây phiền hà cho Ông/Bà. Chúng tôi thành thật xin lỗi "
            "Ông/Bà và đề nghị gia hạn thời gian giải quyết hồ sơ."
        ),
        Text(hhmm_date(extension.new_due), label="Thời gian trả kết quả mới: ", bold=True),
        Text("Xin trân trọng cảm ơn sự hợp tác của Ông/Bà.", size="small"),
        *_signer(officer, officer_title),
    )
    return Document(
        "form04",
        f"{d.code}@{extension.new_due:%Y%m%d%H%M}",
        f"Văn bản xin lỗi, gia hạn {d.code}",
        blocks,
    )


def form05_document(
    d: Dossier,
    *,
    header: Header,
    at: datetime,
    decided: Stop,
    officer: str,
    officer_title: str = "",
) -> Document:
    """Form 05: the notice that processing of the dossier stops, and what to do next."""
    blocks = (
        *_letterhead(header, at, "TB"),
        Text(FORM05_TITLE, bold=True, align="center", size="large"),
        Rule(),
        *_about(d, header),
        Text(hhmm_date(d.due_at), label="Thời hạn trả kết quả đã hẹn: "),
        Text(
            f"{header.center_name} thông báo dừng giải quyết hồ sơ của Ông/Bà. "
            "Lý do: " + sentence(decided.reason)
        ),
        Text(sentence(decided.guidance), label="Đề nghị Ông/Bà: "),
        Text("Xin thông báo để Ông/Bà được biết.", size="small"),
        *_signer(officer, officer_title),
    )
    return Document("form05", d.code, f"Thông báo dừng giải quyết {d.code}", blocks)

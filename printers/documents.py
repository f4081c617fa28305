"""What goes on paper, as data: blocks of Vietnamese text, QR codes and rules, no device.

A document is built from core objects and then rendered to ESC/POS (raster or code page)
or to PDF. It serialises to JSON so a spooled job can be rendered again later, for the
printer it finally reaches, and be marked as a reprint when a clerk asks for one.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from counter_app.core.catalogue import DocumentForm, ReturnMethod
from counter_app.core.dossier import Dossier
from counter_app.core.queue import Ticket
from counter_app.core.text import nfc

REPRINT_MARK = "BẢN IN LẠI"

# Sizes are names; each renderer maps them to its own units (dots, points).
SIZES = ("small", "normal", "large", "huge")
ALIGNS = ("left", "center", "right")


@dataclass(frozen=True)
class Text:
    """A paragraph; `label` (bold) and `text` share the line and wrap together."""

    text: str
    label: str = ""
    size: str = "normal"
    bold: bool = False
    align: str = "left"


@dataclass(frozen=True)
class Columns:
    """Side-by-side centred cells, e.g. the two signature boxes."""

    cells: tuple[str, ...]
    bold: bool = False
    size: str = "normal"


@dataclass(frozen=True)
class QR:
    data: str
    caption: str = ""


@dataclass(frozen=True)
class Rule:
    pass


@dataclass(frozen=True)
class Space:
    lines: float = 1.0


Block = Text | Columns | QR | Rule | Space
_BLOCK_TYPES: dict[str, type] = {
    "text": Text,
    "columns": Columns,
    "qr": QR,
    "rule": Rule,
    "space": Space,
}
_BLOCK_NAMES = {cls: name for name, cls in _BLOCK_TYPES.items()}


@dataclass(frozen=True)
class Document:
    kind: str  # ticket, form01, form02, form03, form06, test
    key: str  # what it is about: a dossier code or a ticket; with `kind`, the dedupe key
    title: str
    blocks: tuple[Block, ...]
    reprint: bool = False
    copy: int = 0  # Liên 1 / Liên 2 for Form 01; 0 when the form has a single copy
    meta: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def job_key(self) -> str:
        return f"{self.kind}:{self.key}:{self.copy}"

    def as_reprint(self, at: datetime | None = None) -> Document:
        """The same document marked as a reprint; with `at`, the time of the reprint too."""
        meta = {**self.meta, "reprinted_at": at.isoformat()} if at else self.meta
        return replace(self, reprint=True, meta=meta)

    def printed_blocks(self) -> tuple[Block, ...]:
        """The blocks as they go on paper: a reprint says so at the top and the bottom, the
        bottom with the time it was printed again when that is known."""
        if not self.reprint:
            return self.blocks
        top = Text(f"*** {REPRINT_MARK} ***", size="large", bold=True, align="center")
        bottom = f"*** {REPRINT_MARK} ***"
        when = self.meta.get("reprinted_at")
        if when:  # small, at the foot: a long Form 01 still keeps to one A5 page
            at = hhmm_date(datetime.fromisoformat(when))
            bottom = f"*** {REPRINT_MARK} · in lại lúc {at} ***"
        return (top, *self.blocks, Rule(), Text(bottom, size="small", bold=True, align="center"))

    def all_text(self) -> str:
        parts: list[str] = []
        for block in self.printed_blocks():
            if isinstance(block, Text):
                parts.append(f"{block.label}{block.text}")
            elif isinstance(block, Columns):
                parts.extend(block.cells)
            elif isinstance(block, QR):
                parts.append(block.caption)
        return "\n".join(p for p in parts if p)

    def to_dict(self) -> dict:
        return {
            "kind": self.kind,
            "key": self.key,
            "title": self.title,
            "reprint": self.reprint,
            "copy": self.copy,
            "meta": self.meta,
            "blocks": [_block_to_dict(b) for b in self.blocks],
        }

    @classmethod
    def from_dict(cls, data: dict) -> Document:
        return cls(
            kind=data["kind"],
            key=data["key"],
            title=data["title"],
            blocks=tuple(_block_from_dict(b) for b in data["blocks"]),
            reprint=data.get("reprint", False),
            copy=data.get("copy", 0),
            meta=data.get("meta", {}),
        )


def _block_to_dict(block: Block) -> dict:
    data = {"type": _BLOCK_NAMES[type(block)], **block.__dict__}
    if isinstance(block, Columns):
        data["cells"] = list(block.cells)
    return data


def _block_from_dict(data: dict) -> Block:
    values = dict(data)
    cls = _BLOCK_TYPES[values.pop("type")]
    if cls is Columns:
        values["cells"] = tuple(values["cells"])
    return cls(**values)


# --- Formatting shared by the forms -------------------------------------------------------

FORM_NAMES = {
    DocumentForm.ORIGINAL: "Bản chính",
    DocumentForm.COPY: "Bản sao",
    DocumentForm.CERTIFIED_COPY: "Bản sao có chứng thực",
    DocumentForm.ORIGINAL_OR_COPY: "Bản chính hoặc bản sao",
    DocumentForm.PRESENT: "Xuất trình bản chính",
}
RETURN_NAMES = {
    ReturnMethod.COUNTER: "Tại Bộ phận Một cửa",
    ReturnMethod.POST: "Qua dịch vụ bưu chính",
    ReturnMethod.ONLINE: "Trực tuyến",
}
COPY_NAMES = {1: "Liên 1: Lưu", 2: "Liên 2: Giao người nộp hồ sơ"}


def hhmm_date(value: datetime | None) -> str:
    if value is None:
        return "—"
    return f"{value:%H} giờ {value:%M} phút, ngày {value:%d/%m/%Y}"


def place_date(place: str, value: datetime) -> str:
    where = f"{place}, " if place else ""
    return f"{where}ngày {value:%d} tháng {value:%m} năm {value:%Y}"


def money(amount_vnd: int) -> str:
    if amount_vnd <= 0:
        return "Không thu"
    return f"{amount_vnd:,}".replace(",", ".") + " đồng"


@dataclass(frozen=True)
class Header:
    """The issuing center, as printed at the top of every slip."""

    center_name: str
    place: str = ""  # the commune, for "Tân Lập, ngày ... tháng ... năm ..."
    agency_code: str = ""

    @classmethod
    def from_station(cls, station: Any) -> Header:
        return cls(
            center_name=nfc(station.center_name),
            place=nfc(getattr(station, "center_address", "") or ""),
            agency_code=station.agency_code,
        )


def _heading(header: Header) -> tuple[Block, ...]:
    return (Text(header.center_name.upper(), bold=True, align="center"),)


def _applicant(d: Dossier) -> tuple[Block, ...]:
    a = d.applicant
    blocks: list[Block] = [Text(a.full_name, label="Tiếp nhận hồ sơ của: ", bold=False)]
    if a.address:
        blocks.append(Text(a.address, label="Địa chỉ: "))
    if a.phone:
        blocks.append(Text(a.phone, label="Số điện thoại: "))
    if a.email:
        blocks.append(Text(a.email, label="Thư điện tử: "))
    return tuple(blocks)


def _code_block(d: Dossier) -> tuple[Block, ...]:
    return (
        Text(d.code, label="Mã hồ sơ: ", bold=True),
        QR(d.code, caption=d.code),
    )


def _signatures(receiver: str, title: str = "") -> tuple[Block, ...]:
    """The two signature boxes; under the receiver's, the officer's full name and title."""
    blocks: tuple[Block, ...] = (
        Space(0.5),
        Columns(("NGƯỜI NỘP HỒ SƠ", "NGƯỜI TIẾP NHẬN"), bold=True, size="small"),
        Columns(("(Ký và ghi rõ họ tên)", "(Ký và ghi rõ họ tên)"), size="small"),
        Space(2.5),  # room to sign (10 mm on A5), and Form 01 still keeps to one page
        Columns(("", nfc(receiver)), bold=True, size="small"),
    )
    if title:
        blocks += (Columns(("", nfc(title)), size="small"),)
    return blocks


# --- The documents ------------------------------------------------------------------------


def ticket_document(
    ticket: Ticket,
    *,
    header: Header,
    group_name: str,
    ahead: int,
    priority_name: str = "",
    lookup_prefix: str = "",
    wait_text: str = "",
) -> Document:
    """The kiosk's queue ticket: the number big enough to read across the hall.

    `wait_text` is the estimated wait the kiosk showed (core.wait), printed under the
    number of people ahead so the citizen keeps it."""
    lookup = f"{lookup_prefix}{header.agency_code}/{ticket.day:%Y%m%d}/{ticket.label}"
    blocks: list[Block] = [
        *_heading(header),
        Rule(),
        Text("SỐ THỨ TỰ CỦA QUÝ KHÁCH", align="center"),
        Text(ticket.label, size="huge", bold=True, align="center"),
        Text(nfc(group_name), size="large", bold=True, align="center"),
    ]
    if priority_name:
        blocks.append(Text(f"Ưu tiên: {nfc(priority_name)}", bold=True, align="center"))
    blocks += [
        Text(
            f"Lấy số lúc {ticket.arrived_at:%H:%M} ngày {ticket.arrived_at:%d/%m/%Y}",
            align="center",
        ),
        Text(f"Số người đang chờ trước Quý khách: {ahead}", align="center"),
        *([Text(nfc(wait_text), align="center")] if wait_text else []),
        QR(lookup, caption="Quét mã để xem lượt của Quý khách"),
        Text("Xin Quý khách vui lòng chờ đến lượt được gọi.", size="small", align="center"),
    ]
    return Document(
        kind="ticket",
        key=f"{ticket.day.isoformat()}/{ticket.label}",
        title=f"Số thứ tự {ticket.label}",
        blocks=tuple(blocks),
    )


def form01_document(
    d: Dossier,
    *,
    header: Header,
    copy: int = 1,
    processing: str = "",
    receiver_name: str = "",
    receiver_title: str = "",
) -> Document:
    """Form 01: Giấy tiếp nhận hồ sơ và hẹn trả kết quả, with every field of DOMAIN.md."""
    docs = [doc for doc in d.documents if doc.received]
    blocks: list[Block] = [
        *_heading(header),
        Text(f"Số: {d.book_entry or '…'}/TNHS", align="center", size="small"),
        Text(place_date(header.place, d.received_at), align="center", size="small"),
        Rule(),
        Text("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", bold=True, align="center", size="large"),
        Text(COPY_NAMES.get(copy, ""), align="center", size="small"),
        *_code_block(d),
        Rule(),
        *_applicant(d),
        Text(d.procedure_name, label="Nội dung yêu cầu giải quyết: "),
        Text("", label="1. Thành phần hồ sơ nộp gồm:"),
    ]
    for i, doc in enumerate(docs, 1):
        blocks.append(
            Text(f"{i}) {nfc(doc.name)} — {FORM_NAMES[doc.form]}: {doc.count}", size="small")
        )
    blocks += [
        Text(f"{d.sets} bộ", label="2. Số lượng hồ sơ: "),
        Text(processing or "—", label="3. Thời gian giải quyết theo quy định: "),
        Text(hhmm_date(d.received_at), label="4. Thời gian nhận hồ sơ: "),
        Text(hhmm_date(d.due_at), label="5. Thời gian trả kết quả: ", bold=True),
        Text(RETURN_NAMES[d.return_method], label="6. Đăng ký nhận kết quả: "),
        Text(
            f"Quyển số {d.book_volume}, số thứ tự {d.book_entry or '…'}",
            label="Vào Sổ theo dõi hồ sơ: ",
        ),
        Text(money(d.fee_vnd), label="Lệ phí: "),
        *_signatures(receiver_name or d.receiver, receiver_title),
        Rule(),
        Text("Tra cứu hồ sơ bằng mã hồ sơ trên Cổng Dịch vụ công.", size="small", align="center"),
    ]
    return Document(
        kind="form01",
        key=d.code,
        title=f"Giấy tiếp nhận hồ sơ {d.code}",
        blocks=tuple(blocks),
        copy=copy,
    )


def _decision_form(
    d: Dossier, *, header: Header, at: datetime, heading: str, intro: str, reasons: str,
    closing: str, receiver_name: str = "", receiver_title: str = "",
) -> tuple[Block, ...]:  # fmt: skip
    """Forms 02 and 03 share their layout: a heading, the dossier, the reasons, a closing."""
    return (
        *_heading(header),
        Text(place_date(header.place, at), align="center", size="small"),
        Rule(),
        Text(heading, bold=True, align="center", size="large"),
        *_code_block(d),
        *_applicant(d),
        Text(d.procedure_name, label="Nội dung yêu cầu giải quyết: "),
        Text("", label=intro),
        Text(nfc(reasons) or "—"),
        Text(closing, size="small"),
        *_signatures(receiver_name or d.receiver, receiver_title),
    )


def form02_document(
    d: Dossier,
    *,
    header: Header,
    reasons: str,
    at: datetime,
    receiver_name: str = "",
    receiver_title: str = "",
) -> Document:
    """Form 02: Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ."""
    blocks = _decision_form(
        d,
        header=header,
        at=at,
        heading="PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
        intro="Yêu cầu bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:",
        reasons=reasons,
        closing="Trong quá trình hoàn thiện hồ sơ nếu có vướng mắc, xin liên hệ Bộ phận "
        "Một cửa để được hướng dẫn.",
        receiver_name=receiver_name,
        receiver_title=receiver_title,
    )
    return Document("form02", d.code, f"Phiếu yêu cầu bổ sung {d.code}", blocks)


def form03_document(
    d: Dossier,
    *,
    header: Header,
    reasons: str,
    at: datetime,
    receiver_name: str = "",
    receiver_title: str = "",
) -> Document:
    """Form 03: Phiếu từ chối tiếp nhận giải quyết hồ sơ."""
    blocks = _decision_form(
        d,
        header=header,
        at=at,
        heading="PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
        intro="Hồ sơ không đủ điều kiện tiếp nhận, giải quyết vì lý do sau:",
        reasons=reasons,
        closing="Xin thông báo để ông/bà được biết.",
        receiver_name=receiver_name,
        receiver_title=receiver_title,
    )
    return Document("form03", d.code, f"Phiếu từ chối {d.code}", blocks)


@dataclass(frozen=True)
class HandOver:
    """One row of the control slip: who gave the dossier to whom, when, with what result."""

    giver: str
    taker: str
    at: datetime | None
    result: str = ""  # Trước hạn / Đúng hạn / Quá hạn
    note: str = ""


def form06_document(d: Dossier, *, header: Header, rows: tuple[HandOver, ...]) -> Document:
    """Form 06: Phiếu kiểm soát quá trình giải quyết hồ sơ."""
    blocks: list[Block] = [
        *_heading(header),
        Rule(),
        Text("PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", bold=True, align="center", size="large"),
        *_code_block(d),
        Text(d.applicant.full_name, label="Hồ sơ của: "),
        Text(d.applicant.phone or "—", label="Số điện thoại: "),
        Text(hhmm_date(d.received_at), label="Nhận lúc: "),
        Text(hhmm_date(d.due_at), label="Hẹn trả: "),
        Rule(),
    ]
    for i, row in enumerate(rows, 1):
        blocks += [
            Text(f"{i}. {row.giver} → {row.taker}", bold=True),
            Text(
                hhmm_date(row.at) if row.at else "…… giờ …… phút, ngày ……/……/……",
                label="Giao, nhận lúc: ",
            ),
            Text(row.result or "Trước hạn □  Đúng hạn □  Quá hạn □", label="Kết quả: "),
        ]
        if row.note:
            blocks.append(Text(row.note, label="Ghi chú: ", size="small"))
        blocks += [Columns(("Người giao", "Người nhận"), size="small"), Space(2), Rule()]
    return Document("form06", d.code, f"Phiếu kiểm soát {d.code}", tuple(blocks))


def test_document(*, header: Header, printer_url: str, at: datetime) -> Document:
    """A page that shows at once whether Vietnamese, sizes and the QR code come out right."""
    sample = "Nguyễn Thị Đường — Trần Văn Ẩn — Lê Thị Hồng Nhung — Phạm Quốc Việt"
    blocks: tuple[Block, ...] = (
        *_heading(header),
        Text("TRANG IN THỬ", size="large", bold=True, align="center"),
        Text(printer_url, label="Máy in: ", size="small"),
        Text(f"{at:%H:%M %d/%m/%Y}", label="Lúc: ", size="small"),
        Rule(),
        Text(sample),
        Text(sample, bold=True),
        Text("ăâđêôơư ĂÂĐÊÔƠƯ àảãáạ ằẳẵắặ ầẩẫấậ ềểễếệ ồổỗốộ ờởỡớợ ừửữứự ỳỷỹýỵ", size="small"),
        Text("A012", size="huge", bold=True, align="center"),
        QR("IN THỬ — Trung tâm phục vụ hành chính công", caption="Mã QR thử"),
    )
    return Document("test", f"{at:%Y%m%d%H%M%S}", "Trang in thử", blocks)

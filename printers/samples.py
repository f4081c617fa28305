"""A sample dossier and ticket with hard Vietnamese, for `print test`, tests and the bench."""

from __future__ import annotations

from datetime import date, datetime

from counter_app.core.catalogue import DocumentForm, ReturnMethod
from counter_app.core.clock import VN_TZ
from counter_app.core.dossier import Applicant, Dossier, DossierStatus, ReceivedDocument
from counter_app.core.queue import Ticket, TicketState
from printers.documents import Header

SAMPLE_HEADER = Header(
    center_name="Trung tâm Phục vụ hành chính công xã Tân Lập",
    place="Tân Lập",
    agency_code="000.00.01.H22",
)


def sample_dossier() -> Dossier:
    return Dossier(
        code="000.00.01.H22-260429-0012",
        procedure_code="1.001193",
        procedure_name="Thủ tục đăng ký khai sinh kết hợp nhận cha, mẹ, con",
        status=DossierStatus.RECEIVED,
        applicant=Applicant(
            full_name="Nguyễn Thị Đường",
            citizen_id="001190012345",
            phone="0912345678",
            address="Số 18, ngõ 42, thôn Thượng Đồng, xã Tân Lập, tỉnh Phú Thọ",
            email="duong.nguyen@example.vn",
        ),
        received_at=datetime(2026, 4, 29, 9, 5, tzinfo=VN_TZ),
        due_at=datetime(2026, 5, 4, 9, 5, tzinfo=VN_TZ),
        documents=(
            ReceivedDocument(
                "Tờ khai đăng ký khai sinh kết hợp nhận cha, mẹ, con", DocumentForm.ORIGINAL
            ),
            ReceivedDocument("Giấy chứng sinh", DocumentForm.ORIGINAL),
            ReceivedDocument("Chứng cứ chứng minh quan hệ cha, mẹ, con", DocumentForm.COPY, 2),
            ReceivedDocument("Giấy tờ tùy thân của người yêu cầu", DocumentForm.PRESENT),
        ),
        sets=1,
        fee_vnd=10000,
        return_method=ReturnMethod.COUNTER,
        receiver="Trần Văn Ẩn",
        book_volume=1,
        book_entry=128,
    )


def sample_ticket() -> Ticket:
    return Ticket(
        id=7,
        day=date(2026, 4, 29),
        group="A",
        letter="A",
        number=12,
        state=TicketState.WAITING,
        arrived_at=datetime(2026, 4, 29, 8, 47, tzinfo=VN_TZ),
        station_id="st-1",
    )

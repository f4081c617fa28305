"""Rules that a deliberate break once slipped past the whole suite, each pinned here.

Dossier-code blocks, the ID number cross-check at intake and the priority categories; the
printing ones (long words on paper, the text of Form 01) are in test_print_text.py.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from counter_app.core import queue as q
from counter_app.core.clock import VN_TZ
from counter_app.core.dossier_code import SequenceBlock
from counter_app.core.errors import DomainError, ValidationError
from counter_app.services import queue
from counter_app.services.dossiers import ApplicantInput, receive_dossier

DAY = date(2026, 4, 29)
MALE_1995 = "079095001234"  # 079 Hồ Chí Minh, 0 = a man born in the 1900s, 95 = 1995


# --- a station's dossier numbers stay inside its block -----------------------------------


def test_a_block_starts_at_its_start_whatever_was_issued_below_it():
    """A station moved to a new block (or sharing a day with another) starts at its start."""
    block = SequenceBlock(5000, 9999)
    assert block.next_number(None, DAY) == 5000
    assert block.next_number(17, DAY) == 5000
    assert block.next_number(4999, DAY) == 5000
    assert block.next_number(5000, DAY) == 5001


@given(st.integers(1, 9999), st.integers(1, 9999), st.none() | st.integers(0, 9999))
def test_every_number_a_block_gives_is_inside_it_and_after_the_last(a, b, last):
    block = SequenceBlock(min(a, b), max(a, b))
    try:
        number = block.next_number(last, DAY)
    except DomainError as error:
        assert error.code == "dossier.sequence_full"
        assert last is not None and last >= block.end
        return
    assert block.start <= number <= block.end
    if last is not None and last >= block.start:
        assert number == last + 1


def test_a_full_block_says_which_day_and_its_last_number():
    with pytest.raises(DomainError) as err:
        SequenceBlock(1, 10).next_number(10, DAY)
    assert err.value.message("vi") == (
        "Đã dùng hết số thứ tự hồ sơ của trạm trong ngày 29/04/2026 (tối đa 10)."
    )


@pytest.mark.parametrize(("start", "end"), [(0, 10), (10, 9), (1, 10000), (-5, 3)])
def test_a_block_outside_one_to_9999_is_refused(start, end):
    with pytest.raises(ValidationError):
        SequenceBlock(start, end)


# --- intake checks the ID number against the birth date and sex typed with it -------------


@pytest.mark.parametrize(
    ("birth_date", "sex", "code"),
    [
        (date(1996, 3, 7), "male", "citizen.id_birth_mismatch"),
        (date(1995, 3, 7), "female", "citizen.id_sex_mismatch"),
    ],
)
def test_intake_refuses_an_id_number_that_disagrees_and_writes_nothing(
    ctx, store, birth_date, sex, code
):
    before = store.query_one("SELECT count(*) FROM dossiers")[0]
    applicant = ApplicantInput(
        full_name="Trần Văn Ẩn", citizen_id=MALE_1995, birth_date=birth_date, sex=sex
    )
    with pytest.raises(ValidationError) as err:
        receive_dossier(ctx, procedure_code="1.000689", applicant=applicant)
    assert err.value.code == code and err.value.field == "citizen_id"
    assert store.query_one("SELECT count(*) FROM dossiers")[0] == before


def test_intake_accepts_an_id_number_that_agrees(ctx):
    applicant = ApplicantInput(
        full_name="Trần Văn Ẩn", citizen_id=MALE_1995, birth_date=date(1995, 3, 7), sex="male"
    )
    d = receive_dossier(ctx, procedure_code="1.000689", applicant=applicant)
    assert d.applicant.citizen_id == MALE_1995 and d.applicant.sex == "male"


# --- priority categories ----------------------------------------------------------------

# The categories the program ships with: people the law serves first at a public counter.
LEGAL_PRIORITIES = ("disability", "pregnant", "child_under_6", "elderly", "veteran")


def test_the_shipped_priorities_are_the_legal_list_each_ahead_of_the_ordinary_queue():
    assert {c.key for c in q.DEFAULT_PRIORITIES} == set(LEGAL_PRIORITIES)
    for category in q.DEFAULT_PRIORITIES:
        assert category.weight > 0, category.key
        assert category.name_vi and category.name_en
    names = {c.key: c.name_vi for c in q.DEFAULT_PRIORITIES}
    assert names["pregnant"] == "Phụ nữ mang thai"


@pytest.mark.parametrize("priority", LEGAL_PRIORITIES)
def test_a_citizen_with_priority_is_called_before_those_who_came_earlier(ctx, clock, priority):
    queue.take_ticket(ctx, group="A")
    clock.now += timedelta(minutes=5)
    queue.take_ticket(ctx, group="A")
    clock.now += timedelta(minutes=5)
    first = queue.take_ticket(ctx, group="A", priority=priority)
    assert first.ahead == 0
    assert queue.call_next(ctx, counter=1).label == first.ticket.label


def test_of_two_tickets_that_arrived_at_the_same_second_the_older_id_is_called_first():
    t0 = datetime(2026, 4, 29, 8, 0, tzinfo=VN_TZ)
    twins = [q.Ticket(n, DAY, "A", "A", n, q.TicketState.WAITING, t0, "s1") for n in (8, 3, 5)]
    assert q.choose_next(twins, ["A"]).id == 3

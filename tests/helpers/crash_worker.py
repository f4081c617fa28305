"""Child process for test_crash_safety: works a store through the services until killed.

Usage: python crash_worker.py DATA_DIR T0 SEED

Opens the store (set up by the test), prints "ready", then loops as fast as it can like a
busy counter: the kiosk hands out tickets, the clerk calls the next one, receives a dossier
for it, moves dossiers along their statuses, and a volunteer registers drafts that the clerk
accepts. After each use case returns (so after its COMMIT) it prints an acknowledgement:

    T <ticket id>          a ticket was taken
    D <dossier code>       a dossier was received or registered as a draft
    S <code> <status>      a dossier reached that status

The parent kills it with SIGKILL at a random moment; every acknowledged change must then be
in the store. The clock is a fixed working day plus the real time elapsed since T0, shared
by every child, so it never goes back between runs.
"""

from __future__ import annotations

import random
import sys
import time
from datetime import datetime, timedelta

from counter_app.core.catalogue import ReturnMethod
from counter_app.core.clock import VN_TZ
from counter_app.core.dossier import DossierStatus
from counter_app.core.queue import TicketState
from counter_app.core.roles import Actor, Role
from counter_app.services.dossiers import (
    ApplicantInput,
    accept_draft,
    appointment,
    change_status,
    receive_dossier,
)
from counter_app.services.queue import call_next, finish, take_ticket
from counter_app.services.setup import open_context
from counter_app.store import open_store

BASE = datetime(2026, 4, 29, 8, 0, tzinfo=VN_TZ)  # a Wednesday, a working day
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi"]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Ngọc", "Thanh", "Minh", "Thùy"]
GIVEN = ["An", "Bình", "Dương", "Hằng", "Khoa", "Lộc", "Nga", "Phương", "Quỳnh", "Thảo", "Đạt"]
# The moves the clerk makes on a dossier after receiving it.
NEXT_STATUS = {
    DossierStatus.RECEIVED: DossierStatus.PROCESSING,
    DossierStatus.PROCESSING: DossierStatus.DONE,
    DossierStatus.DONE: DossierStatus.RETURNED,
}


def main() -> None:
    data_dir, t0, seed = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
    rng = random.Random(seed)

    def clock() -> datetime:
        return BASE + timedelta(seconds=time.time() - t0)

    store = open_store(data_dir)
    clerk = open_context(store, clock=clock, actor=Actor("canbo1", Role.CLERK))
    kiosk = open_context(store, clock=clock, actor=Actor("tnv1", Role.VOLUNTEER))
    catalogue = clerk.catalogue()
    letters = [g.letter for g in catalogue.groups]
    procedures = [
        p.code
        for p in catalogue.procedures
        if ReturnMethod.COUNTER in p.return_methods and any(not d.optional for d in p.documents)
    ]
    open_dossiers: dict[str, DossierStatus] = {}  # this run's dossiers not yet returned
    drafts: list[str] = []

    def ack(*fields: object) -> None:
        # One write per line, flushed at once: the parent ignores a line the kill cut short.
        sys.stdout.write(" ".join(map(str, fields)) + "\n")
        sys.stdout.flush()

    def applicant() -> ApplicantInput:
        name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        return ApplicantInput(name, phone=f"09{rng.randrange(10**8):08d}")

    # Warm up what the first use case would otherwise load (holiday tables: ~0.2 s), so the
    # kills land in steady work rather than in the first call. Writes nothing.
    appointment(clerk, procedure_code=procedures[0], at=clock())
    print("ready", flush=True)
    while True:
        taken = take_ticket(kiosk, group=rng.choice(letters))
        ack("T", taken.ticket.id)
        # Also finishes the ticket served before (only called, when a kill came between).
        called = call_next(clerk, counter=1, current_outcome=TicketState.DONE)
        dossier = receive_dossier(
            clerk,
            procedure_code=rng.choice(procedures),
            applicant=applicant(),
            ticket_id=called.id,
        )
        ack("D", dossier.code)
        open_dossiers[dossier.code] = dossier.status
        if rng.random() < 0.3:
            finish(clerk, counter=1)
        if rng.random() < 0.2:
            draft = receive_dossier(
                kiosk, procedure_code=rng.choice(procedures), applicant=applicant(), draft=True
            )
            ack("D", draft.code)
            drafts.append(draft.code)
        if drafts and rng.random() < 0.5:
            accepted = accept_draft(clerk, code=drafts.pop(0))
            ack("S", accepted.code, int(accepted.status))
            open_dossiers[accepted.code] = accepted.status
        for _ in range(rng.randrange(3)):
            if not open_dossiers:
                break
            code = rng.choice(sorted(open_dossiers))
            target = NEXT_STATUS[open_dossiers[code]]
            changed = change_status(clerk, code=code, to=target)
            ack("S", changed.code, int(changed.status))
            if changed.status in NEXT_STATUS:
                open_dossiers[code] = changed.status
            else:
                del open_dossiers[code]


if __name__ == "__main__":
    main()

"""A name search reads the latest rows of the index forwards, then the rest backwards
(issue 19): it must still give the latest matches first, and find a name met only in the
oldest rows."""

from __future__ import annotations

from counter_app.services.dossiers import ApplicantInput, receive_dossier
from counter_app.services.search import search_dossiers
from counter_app.store import dossiers as dossier_repo


def test_windows_give_the_latest_matches_and_reach_the_oldest(ctx, clock, monkeypatch) -> None:
    monkeypatch.setattr(dossier_repo, "WINDOW", 2)  # the latest 2 rows, then the rest
    codes = {"an": [], "binh": []}
    for i in range(24):
        clock.now = clock.now.replace(minute=i)
        name = "Lê Văn Bình" if i == 0 else ("Trần Thị An" if i % 3 else "Phạm Minh Cường")
        dossier = receive_dossier(ctx, procedure_code="1.001193", applicant=ApplicantInput(name))
        if name.endswith("An"):
            codes["an"].append(dossier.code)
        if name.endswith("Bình"):
            codes["binh"].append(dossier.code)
    latest = [d.code for d in search_dossiers(ctx, "tran an", limit=5)]
    assert latest == codes["an"][::-1][:5]  # the five latest, newest first
    assert [d.code for d in search_dossiers(ctx, "le binh", limit=5)] == codes["binh"]
    every = [d.code for d in search_dossiers(ctx, "an", limit=50)]
    assert sorted(every) == sorted(codes["an"])  # each row read once: no repeats

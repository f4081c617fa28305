"""A name search of two words or more drives from keyed tokens of pairs of words (issue 19):
it must find exactly the dossiers whose name has a word starting with each typed word, the
tokens must follow every write of a name (the rebuild of an older store: test_name_rebuild)."""

from __future__ import annotations

import random
import re
from dataclasses import replace
from datetime import datetime

import pytest

from counter_app.core.clock import VN_TZ
from counter_app.core.dossier import Applicant
from counter_app.core.roles import Actor, Role
from counter_app.core.text import fold
from counter_app.services.demo_people import FAMILY, GIVEN_FEMALE, GIVEN_MALE, MIDDLE_FEMALE
from counter_app.services.dossiers import ApplicantInput, receive_dossier
from counter_app.services.search import find_dossiers, search_dossiers
from counter_app.services.setup import initialise_store, open_context
from counter_app.store import open_store
from counter_app.store.dossiers import NAME_PAIRS_PENDING

# Words that start other words ("thi" / "thinh", "an" / "anh", "ha" / "hai"), a name with
# one word twice, one-letter words, the same family name as a given name.
NAMES = (
    "Nguyễn Thị Đường", "Nguyễn Thịnh", "Ngô Thị Lan", "Nguyễn Văn An", "Lê Anh",
    "Trần Thị Thu Hà", "Nguyễn Nguyễn Hải", "Đỗ Văn A", "Phạm Thu Hằng", "Hà Thanh Tâm",
    "Dương Đường", "Lê Văn Anh Tuấn",
)  # fmt: skip
QUERIES = (
    "nguyen duong", "duong nguyen", "Nguyễn Thị Đường", "ngu thinh", "thi nguyen",
    "ng nguyen", "nguyen nguyen", "le an", "an le", "tran thi thu ha", "ha thu", "do van a",
    "a van", "th th", "duong duong", "nguyen hai nguyen", "pham hang thu", "van an",
    "nguyen lan", "le anh tuan van", "ha", "x y",
)  # fmt: skip
NOW = datetime(2026, 4, 29, 9, 0, tzinfo=VN_TZ)


def meant(query: str, name: str) -> bool:
    """What a name search means: every typed word starts a word of the name (a one-letter
    word is a whole word: the index holds prefixes of two letters or more)."""
    words = fold(name).split()
    return all(
        any(w == q if len(q) == 1 else w.startswith(q) for w in words) for q in fold(query).split()
    )


def _random_cases(count: int, rng: random.Random) -> tuple[list[str], list[str]]:
    family = [n for n, _ in FAMILY]
    names = [
        " ".join(
            [rng.choice(family), rng.choice(MIDDLE_FEMALE)]
            + rng.sample(GIVEN_FEMALE + GIVEN_MALE, rng.choice((1, 1, 2)))
        )
        for _ in range(count)
    ]
    queries = []
    for name in rng.sample(names, 60):
        words = rng.sample(fold(name).split(), rng.randint(2, len(name.split())))
        queries.append(" ".join(w[: rng.randint(1, len(w))] for w in words))
    return names, queries


@pytest.fixture
def searched(tmp_path):
    """A store of the fixed names and 150 random ones (a demo key beside it, so it can be
    opened again), its context, and every name received."""
    names, queries = _random_cases(150, random.Random(19))
    store = open_store(tmp_path / "data")
    station = initialise_store(
        store,
        agency_code="000.00.01.H22",
        center_name="Trung tâm phục vụ hành chính công xã Tân Lập",
        now=NOW,
        actor=Actor("admin", Role.ADMIN),
        counters=3,
        demo_key=True,
    )
    assert station is not None
    ctx = open_context(store, clock=lambda: NOW, actor=Actor("canbo1", Role.CLERK))
    for name in (*NAMES, *names):
        receive_dossier(ctx, procedure_code="1.001193", applicant=ApplicantInput(name))
    yield ctx, [*NAMES, *names], [*QUERIES, *queries]
    store.close()


def _found(ctx, query: str) -> list[str]:
    return sorted(d.applicant.full_name for d in search_dossiers(ctx, query, limit=500))


def test_pairs_find_exactly_what_the_words_mean(searched) -> None:
    ctx, names, queries = searched
    assert ctx.store.dossiers.pairs_ready()
    driven = 0
    for query in queries:
        expected = sorted(n for n in names if meant(query, n))
        assert _found(ctx, query) == expected, query
        page = find_dossiers(ctx, text=query, any_date=True, limit=500)  # the dossier page
        assert sorted(d.applicant.full_name for d in page.dossiers) == expected, query
        assert page.total == len(expected)
        driven += bool(ctx.store.crypto.query_pair_tokens(query))
    assert driven > len(queries) // 2  # the pairs really drove most of these


def test_the_latest_matches_come_first(searched) -> None:
    ctx, names, _ = searched
    expected = [n for n in names if meant("nguyen thi", n)][::-1][:5]  # the latest received
    assert [d.applicant.full_name for d in search_dossiers(ctx, "nguyen thi", limit=5)] == (
        expected
    )


def test_a_name_written_again_is_found_by_its_new_pairs_only(searched) -> None:
    ctx, _, _ = searched
    dossier = search_dossiers(ctx, "nguyen thi duong")[0]
    with ctx.store.transaction():
        ctx.store.dossiers.update(replace(dossier, applicant=Applicant("Bùi Xuân Khoa")))
    assert [d.code for d in search_dossiers(ctx, "bui khoa")] == [dossier.code]
    assert [d.code for d in search_dossiers(ctx, "khoa xuan bui")] == [dossier.code]
    assert dossier.code not in {d.code for d in search_dossiers(ctx, "nguyen duong")}


def _old_tokens(crypto, name: str) -> str:
    """The tokens a store wrote before m015: every prefix of every word, no pairs."""
    words = fold(name).split()
    prefixes = [w[:end] for w in words for end in range(min(2, len(w)), len(w) + 1)]
    return " ".join(dict.fromkeys(crypto._token(p) for p in prefixes))


def test_a_new_store_needs_no_rebuild(tmp_path) -> None:
    store = open_store(tmp_path)
    try:
        assert store.settings.get(NAME_PAIRS_PENDING) is None
        assert store.dossiers.pairs_ready()
    finally:
        store.close()


def test_every_token_at_rest_is_keyed(searched) -> None:
    """A row's token text holds keyed tokens only: no word, prefix or pair in clear."""
    ctx, names, _ = searched
    rows = ctx.store.query("SELECT name_folded FROM dossiers")
    assert len(rows) == len(names)
    for row in rows:
        tokens = row["name_folded"].split()
        assert all(re.fullmatch(r"t[0-9a-f]{15}", t) for t in tokens), row["name_folded"]
    word_tokens = len(ctx.store.crypto.query_tokens("Nguyễn Thị Đường"))
    stored = ctx.store.crypto.name_tokens("Nguyễn Thị Đường").split()
    assert len(stored) > word_tokens + 5  # pairs are there, keyed like the rest


def test_a_row_from_a_station_not_yet_upgraded_is_found_by_pairs(searched) -> None:
    """Another station's row comes with its own tokens; one sent by an older version has no
    pairs, and is given them here."""
    ctx, _, _ = searched
    store = ctx.store
    sent = store.dossiers.raw_row(search_dossiers(ctx, "nguyen thi duong")[0].code)
    sent.pop("rowid", None)
    sent["code"] = sent["code"][:-4] + "9999"
    sent["applicant_name"] = store.crypto.seal("Vũ Thị Yến", f"{sent['code']}:applicant_name")
    sent["name_folded"] = _old_tokens(store.crypto, "Vũ Thị Yến")
    with store.transaction():
        assert store.dossiers.put_raw_row(sent)
    assert [d.code for d in search_dossiers(ctx, "vu thi yen")] == [sent["code"]]

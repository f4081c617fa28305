"""Dossiers, their event history and the look-ups a clerk makes."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from counter_app.core.crypto import FieldCrypto
from counter_app.core.dossier import OPEN_STATUSES, Dossier, DossierStatus
from counter_app.core.errors import DomainError
from counter_app.store.dossier_rows import (
    LISTED_COLUMNS,
    RECEIVED_AT,
    TIMES,
    dossier_from_row,
    listed_dossier,
    name_tokens_of,
)

if TYPE_CHECKING:
    from counter_app.store.database import Store


@dataclass(frozen=True)
class DossierMatch:
    """What a clerk typed in the search box, once the service knows what it is."""

    kind: str  # code_prefix | citizen_id | phone | name
    value: str


@dataclass(frozen=True)
class DossierEvent:
    at: datetime
    kind: str
    from_status: DossierStatus | None
    to_status: DossierStatus | None
    note: str
    actor: str


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


# The latest rows a name search looks in first (by_name): a few weeks of a busy center.
WINDOW = 5000
# A word's token in a row's own token text: tokens are 16 characters apart by one space,
# so a match is always one whole token.
_CHECKS = " AND instr(d.name_folded, ?) > 0"
# Set by m015 while rows may lack pair tokens; cleared by the last batch of their rebuild
# (store/name_rebuild.py).
NAME_PAIRS_PENDING = "name_pairs_pending"
_LISTED = ", ".join(LISTED_COLUMNS)
SEALED = ("applicant_name", "address", "email", "birth_date", "sex", "note")


def _to_row(d: Dossier, station_id: str, fc: FieldCrypto) -> dict:
    """The row as stored: personal fields sealed, look-ups through keyed indexes."""
    a = d.applicant

    def seal(name: str, value: str) -> str:
        return fc.seal(value, f"{d.code}:{name}")

    return {
        "code": d.code,
        "procedure_code": d.procedure_code,
        "procedure_name": d.procedure_name,
        "status": int(d.status),
        "applicant_name": seal("applicant_name", a.full_name),
        "name_folded": fc.name_tokens(a.full_name),
        "citizen_id": fc.blind_index("cid", a.citizen_id),
        "citizen_id_sealed": seal("citizen_id", a.citizen_id),
        "phone": fc.blind_index("phone", a.phone),
        "phone_sealed": seal("phone", a.phone),
        "address": seal("address", a.address),
        "email": seal("email", a.email),
        "birth_date": seal("birth_date", a.birth_date.isoformat() if a.birth_date else ""),
        "sex": seal("sex", a.sex),
        "documents": json.dumps(
            [[doc.name, doc.form.value, doc.count, doc.received] for doc in d.documents],
            ensure_ascii=False,
        ),
        "sets": d.sets,
        "fee_vnd": d.fee_vnd,
        "return_method": d.return_method.value,
        "receiver": d.receiver,
        "book_volume": d.book_volume,
        "book_entry": d.book_entry,
        "ticket_id": d.ticket_id,
        "with_verification": int(d.with_verification),
        "note": seal("note", d.note),
        "station_id": station_id,
        **{name: _iso(getattr(d, name)) for name in TIMES},
    }


class DossierRepository:
    def __init__(self, store: Store) -> None:
        self._store = store
        self._pairs_known = False

    def insert(self, dossier: Dossier, *, station_id: str) -> None:
        row = _to_row(dossier, station_id, self._store.crypto)
        self._store.conn.execute(
            f"INSERT INTO dossiers({', '.join(row)}) VALUES ({', '.join(':' + c for c in row)})",
            row,
        )

    def update(self, dossier: Dossier) -> None:
        row = _to_row(dossier, "", self._store.crypto)
        row.pop("station_id")
        sets = ", ".join(f"{c} = :{c}" for c in row if c != "code")
        self._store.conn.execute(f"UPDATE dossiers SET {sets} WHERE code = :code", row)

    def _seal_note(self, code: str, note: str) -> str:
        """A status change's reason often names people ("bà Đường, 0912…"): sealed like the
        dossier's own fields; an empty one stays empty."""
        return self._store.crypto.seal(note, f"{code}:event_note") if note else ""

    def _open_note(self, code: str, stored: str) -> str:
        if not stored.startswith("e1:"):
            return stored  # written by an older version, sealed again at the next unlock
        return self._store.crypto.open(stored, f"{code}:event_note")

    def add_event(
        self,
        code: str,
        *,
        at: datetime,
        kind: str,
        actor: str,
        from_status: DossierStatus | None = None,
        to_status: DossierStatus | None = None,
        note: str = "",
    ) -> None:
        self._store.conn.execute(
            "INSERT INTO dossier_events(code, at, kind, from_status, to_status, note, actor) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                code,
                at.isoformat(),
                kind,
                int(from_status) if from_status else None,
                int(to_status) if to_status else None,
                self._seal_note(code, note),
                actor,
            ),
        )

    def raw_row(self, code: str) -> dict:
        """The row as stored (sealed), for the center stream: a replica stores it as is."""
        return dict(self._store.query_one("SELECT * FROM dossiers WHERE code = ?", (code,)))

    def put_raw_row(self, row: dict) -> bool:
        """Store another station's row as it came (insert, or replace our older copy);
        True when it was new here. The name index follows through its triggers.

        The name's tokens are made again here when this station can open the name: a
        station not yet upgraded sends no pair tokens, and a search driven by them would
        miss its rows (a station without the personal key keeps the tokens as they came).
        """
        row = {**row, "name_folded": self._tokens_of(row)}
        exists = self._store.query_one("SELECT 1 FROM dossiers WHERE code = ?", (row["code"],))
        columns = [c for c in row if c != "code"]
        if exists:
            sets = ", ".join(f"{c} = :{c}" for c in columns)
            self._store.conn.execute(f"UPDATE dossiers SET {sets} WHERE code = :code", row)
        else:
            self._store.conn.execute(
                f"INSERT INTO dossiers({', '.join(row)}) "
                f"VALUES ({', '.join(':' + c for c in row)})",
                row,
            )
        return exists is None

    def _tokens_of(self, row: dict) -> str:
        try:
            fc = self._store.crypto
        except DomainError:  # a station without the personal key keeps them as they came
            return row["name_folded"]
        return name_tokens_of(fc, row["code"], row["applicant_name"], row["name_folded"])

    def get(self, code: str) -> Dossier | None:
        row = self._store.query_one("SELECT * FROM dossiers WHERE code = ?", (code,))
        return None if row is None else dossier_from_row(row, self._store.crypto)

    def events(self, code: str) -> list[DossierEvent]:
        rows = self._store.query("SELECT * FROM dossier_events WHERE code = ? ORDER BY id", (code,))
        return [
            DossierEvent(
                at=datetime.fromisoformat(r["at"]),
                kind=r["kind"],
                from_status=DossierStatus(r["from_status"]) if r["from_status"] else None,
                to_status=DossierStatus(r["to_status"]) if r["to_status"] else None,
                note=self._open_note(code, r["note"]),
                actor=r["actor"],
            )
            for r in rows
        ]

    def by_code_prefix(self, prefix: str, limit: int) -> list[Dossier]:
        return self._listed(
            f"SELECT {_LISTED} FROM dossiers WHERE code >= ? AND code < ? ORDER BY code LIMIT ?",
            (prefix, prefix + "\uffff", limit),
        )

    def _listed(self, sql: str, params, *, newest_first: bool = False) -> list[Dossier]:
        """The dossiers a statement selecting LISTED_COLUMNS finds, their applicants opening
        all but the name on first read (dossier_rows.py says why); read as plain tuples."""
        cursor = self._store.conn.cursor()
        cursor.row_factory = None
        rows = cursor.execute(sql, params).fetchall()
        if newest_first:
            rows.sort(key=lambda row: row[RECEIVED_AT], reverse=True)
        fc = self._store.crypto
        return [listed_dossier(row, fc) for row in rows]

    def by_citizen_id(self, citizen_id: str, limit: int) -> list[Dossier]:
        return self.listing(match=DossierMatch("citizen_id", citizen_id), limit=limit)

    def by_phone(self, phone: str, limit: int) -> list[Dossier]:
        return self.listing(match=DossierMatch("phone", phone), limit=limit)

    def by_name(self, text: str, limit: int) -> list[Dossier]:
        """Every folded word must start a word of the name ("nguyen duong", "duo").

        The index holds keyed tokens of every prefix, so the match is exact on tokens. Two
        words or more drive from their pair tokens: "Nguyễn" and "Thị" each have 40 % of the
        rows, a name's pairs a few, and FTS5 seeking through 400,000 entries per word cost
        more than the rest of the search. Each word's own token is then checked in the few
        rows found (their stored token text), fetched in the same statement.
        """
        match, checks = self._name_match(text)
        if not match:
            return []
        if checks:
            columns = ", ".join(f"d.{c}" for c in LISTED_COLUMNS)
            return self._listed(
                f"SELECT {columns} FROM dossiers_fts JOIN dossiers AS d "
                f"ON d.rowid = dossiers_fts.rowid WHERE dossiers_fts MATCH ?"
                f"{_CHECKS * len(checks)} ORDER BY dossiers_fts.rowid DESC LIMIT ?",
                (match, *checks, limit),
                newest_first=True,
            )
        found = self._latest_matches(match, limit)
        if not found:
            return []
        return self._listed(
            f"SELECT {_LISTED} FROM dossiers WHERE rowid IN ({', '.join('?' * len(found))})",
            found,
            newest_first=True,
        )

    def _name_match(self, text: str) -> tuple[str, list[str]]:
        """The FTS query for a typed name, and the word tokens each row it finds must hold
        (none when the query is the words' tokens themselves)."""
        crypto = self._store.crypto
        words = crypto.query_tokens(text)
        pairs = crypto.query_pair_tokens(text) if words and self.pairs_ready() else []
        if not pairs:
            return " AND ".join(f'"{t}"' for t in words), []
        drive = pairs + crypto.query_weak_pair_words(text)
        return " AND ".join(f'"{t}"' for t in drive), words

    def pairs_ready(self) -> bool:
        """False while an older store's rows still lack pair tokens (m015): a query made
        of them would miss those rows. Once ready it stays ready."""
        if not self._pairs_known:
            self._pairs_known = self._store.settings.get(NAME_PAIRS_PENDING) is None
        return self._pairs_known

    def _latest_matches(self, match: str, limit: int) -> list[int]:
        """The rowids of the `limit` latest entered dossiers matching, newest first.

        FTS5 reads a long doclist backwards slowly (each seek decodes a whole page): "ORDER
        BY rowid DESC LIMIT 50" for three common words took 15 ms at 1,000,000 dossiers,
        where reading the latest `WINDOW` rows forwards takes under a millisecond. So the
        latest rows forwards first; only when they hold too few matches, the rest backwards.
        """
        top = self._store.query_one("SELECT max(rowid) FROM dossiers")[0] or 0
        low = max(top - WINDOW, 0)
        recent = self._store.query(
            "SELECT rowid FROM dossiers_fts WHERE dossiers_fts MATCH ? AND rowid > ? "
            "ORDER BY rowid",
            (match, low),
        )
        found = [r[0] for r in reversed(recent)]
        if len(found) < limit and low > 0:
            older = self._store.query(
                "SELECT rowid FROM dossiers_fts WHERE dossiers_fts MATCH ? AND rowid <= ? "
                "ORDER BY rowid DESC LIMIT ?",
                (match, low, limit - len(found)),
            )
            found += [r[0] for r in older]
        return found[:limit]

    def listing(
        self,
        *,
        statuses: list[DossierStatus] | None = None,
        procedure_code: str | None = None,
        received_from: datetime | None = None,
        received_to: datetime | None = None,
        overdue_at: datetime | None = None,
        match: DossierMatch | None = None,
        limit: int = 200,
    ) -> list[Dossier]:
        """Dossiers passing every filter given (and `match`), the latest received first."""
        where, params = self._where(
            statuses, procedure_code, received_from, received_to, overdue_at, match
        )
        return self._listed(
            f"SELECT {_LISTED} FROM dossiers WHERE {where} ORDER BY received_at DESC LIMIT ?",
            [*params, limit],
        )

    def count_listing(
        self,
        *,
        statuses: list[DossierStatus] | None = None,
        procedure_code: str | None = None,
        received_from: datetime | None = None,
        received_to: datetime | None = None,
        overdue_at: datetime | None = None,
        match: DossierMatch | None = None,
    ) -> int:
        """How many dossiers `listing` would give without its limit ("200 / 292 hồ sơ")."""
        where, params = self._where(
            statuses, procedure_code, received_from, received_to, overdue_at, match
        )
        return self._store.query_one(f"SELECT count(*) FROM dossiers WHERE {where}", params)[0]

    def _where(
        self, statuses, procedure_code, received_from, received_to, overdue_at, match
    ) -> tuple[str, list]:
        sql, params = "1 = 1", []
        if statuses:
            sql += f" AND status IN ({','.join('?' * len(statuses))})"
            params += [int(s) for s in statuses]
        if procedure_code:
            sql += " AND procedure_code = ?"
            params.append(procedure_code)
        if received_from:
            sql += " AND received_at >= ?"
            params.append(received_from.isoformat())
        if received_to:
            sql += " AND received_at < ?"
            params.append(received_to.isoformat())
        if overdue_at:
            sql += f" AND status IN ({','.join('?' * len(OPEN_STATUSES))}) AND due_at < ?"
            params += [*map(int, OPEN_STATUSES), overdue_at.isoformat()]
        if match is not None:
            extra, values = self._match_sql(match)
            sql += f" AND {extra}"
            params += values
        return sql, params

    def _match_sql(self, match: DossierMatch) -> tuple[str, list]:
        """The same look-ups as by_code_prefix, by_citizen_id, by_phone and by_name."""
        crypto = self._store.crypto
        if match.kind == "code_prefix":
            return "code >= ? AND code < ?", [match.value, match.value + "\uffff"]
        if match.kind == "citizen_id":
            return "citizen_id = ?", [crypto.blind_index("cid", match.value)]
        if match.kind == "phone":
            return "phone = ?", [crypto.blind_index("phone", match.value)]
        expression, checks = self._name_match(match.value)
        if not expression:
            return "0 = 1", []
        return (
            "rowid IN (SELECT rowid FROM dossiers_fts WHERE dossiers_fts MATCH ?)"
            + _CHECKS.replace("d.", "") * len(checks),
            [expression, *checks],
        )

    def count(self) -> int:
        return self._store.query_one("SELECT count(*) FROM dossiers")[0]

    def uses_by_procedure(self, since: datetime) -> dict[str, int]:
        """Dossiers received since `since`, per procedure code (the procedure index covers it)."""
        rows = self._store.query(
            "SELECT procedure_code, count(*) AS n FROM dossiers WHERE received_at >= ? "
            "GROUP BY procedure_code",
            (since.isoformat(),),
        )
        return {r["procedure_code"]: r["n"] for r in rows}

    def reseal_batch(self, limit: int) -> int:
        """Re-write up to `limit` rows not sealed under the current key; return how many."""
        fc = self._store.crypto
        current = f"e1:{fc.key_id}:%"
        rows = self._store.query(
            "SELECT * FROM dossiers WHERE applicant_name NOT LIKE ? LIMIT ?", (current, limit)
        )
        for row in rows:
            self.update(dossier_from_row(row, fc))
        return len(rows)

    def reseal_event_batch(self, limit: int) -> int:
        """`reseal_batch` for the reasons of status changes."""
        current = f"e1:{self._store.crypto.key_id}:%"
        rows = self._store.query(
            "SELECT id, code, note FROM dossier_events WHERE note != '' AND note NOT LIKE ? "
            "LIMIT ?",
            (current, limit),
        )
        for row in rows:
            sealed = self._seal_note(row["code"], self._open_note(row["code"], row["note"]))
            self._store.conn.execute(
                "UPDATE dossier_events SET note = ? WHERE id = ?", (sealed, row["id"])
            )
        return len(rows)

    def forget_event_notes(self, code: str) -> None:
        """Erasure: the reasons may name the citizen; the moves themselves are kept."""
        self._store.conn.execute("UPDATE dossier_events SET note = '' WHERE code = ?", (code,))

    def count_by_status(self) -> dict[DossierStatus, int]:
        rows = self._store.query("SELECT status, count(*) AS n FROM dossiers GROUP BY status")
        return {DossierStatus(r["status"]): r["n"] for r in rows}

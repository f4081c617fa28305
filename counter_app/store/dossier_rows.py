"""A dossier from its stored row: opened in full (one dossier, a row the center sent), or as
a listed one whose applicant opens its name now and its other sealed fields on first read.

A search or a list shows names: at 1,000,000 dossiers, opening the six other sealed fields of
every row on a page of 50 (and building a dict per row to read them by name) was half of a
name search's time, and the page shows none of them.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import fields
from datetime import date, datetime

from counter_app.core.catalogue import DocumentForm, ReturnMethod
from counter_app.core.crypto import PREFIX, FieldCrypto
from counter_app.core.dossier import Applicant, Dossier, DossierStatus, ReceivedDocument
from counter_app.core.errors import DomainError

TIMES = ("received_at", "due_at", "result_at", "returned_at", "updated_at")


@functools.lru_cache(maxsize=4096)
def _documents(stored: str) -> tuple[ReceivedDocument, ...]:
    """A checklist as stored: the same few hundred per procedure, read once (a search
    opening 50 dossiers parsed 200 of them)."""
    return tuple(
        ReceivedDocument(name, DocumentForm(form), count, bool(received))
        for name, form, count, received in json.loads(stored)
    )


def name_tokens_of(
    fc: FieldCrypto, code: str, sealed: str | None, kept: str, make: Callable | None = None
) -> str:
    """A row's name tokens made again from its sealed name (`make`: the caller's cached
    `fc.name_tokens`); a name this key does not open (damaged) keeps the tokens it had: a
    search could not show it anyway."""
    try:
        name = fc.open_many([(sealed, f"{code}:applicant_name")])[0]
    except DomainError:
        return kept
    return (make or fc.name_tokens)(name)


# The sealed columns a dossier opens, and the name each was sealed under (its aad).
_OPENED = (
    ("applicant_name", "applicant_name"),
    ("citizen_id_sealed", "citizen_id"),
    ("phone_sealed", "phone"),
    ("address", "address"),
    ("email", "email"),
    ("birth_date", "birth_date"),
    ("sex", "sex"),
    ("note", "note"),
)


def dossier_from_row(stored, fc: FieldCrypto) -> Dossier:
    """A dossier from its stored row: a sqlite3.Row, or a dict (a row the center sent)."""
    # A plain dict first: a sqlite3.Row finds a column by name by walking its columns.
    row = stored if isinstance(stored, dict) else dict(zip(stored.keys(), stored, strict=True))
    code = row["code"]
    name, citizen_id, phone, address, email, birth, sex, note = fc.open_many(
        [(row[column], f"{code}:{aad}") for column, aad in _OPENED]
    )
    if not (row["applicant_name"] or "").startswith("e1:"):  # from before sealing
        citizen_id, phone = row["citizen_id"], row["phone"]
    return Dossier(
        code=code,
        procedure_code=row["procedure_code"],
        procedure_name=row["procedure_name"],
        status=DossierStatus(row["status"]),
        applicant=Applicant(
            full_name=name,
            citizen_id=citizen_id,
            phone=phone,
            address=address,
            email=email,
            birth_date=date.fromisoformat(birth) if birth else None,
            sex=sex,
        ),
        documents=_documents(row["documents"]),
        sets=row["sets"],
        fee_vnd=row["fee_vnd"],
        return_method=ReturnMethod(row["return_method"]),
        receiver=row["receiver"],
        book_volume=row["book_volume"],
        book_entry=row["book_entry"],
        ticket_id=row["ticket_id"],
        with_verification=bool(row["with_verification"]),
        note=note,
        **{n: datetime.fromisoformat(row[n]) if row[n] else None for n in TIMES},
    )


# The applicant's fields a listed dossier opens on first read, after its name.
_LATER = ("citizen_id", "phone", "address", "email", "birth_date", "sex")


class _OnFirstRead:
    """A field of a listed applicant: the first read opens all of them (a caller that reads
    one, a detail or a JSON dump, reads the others), kept in the instance from then on."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, applicant: ListedApplicant | None, owner: type | None = None):
        if applicant is None:
            return self
        applicant.open_rest()
        return applicant.__dict__[self.name]


class ListedApplicant(Applicant):
    """An Applicant whose sealed fields other than the name open on first read.

    It is equal to, hashes, prints and pickles as the Applicant opened in full (a pickle or
    a copy is a plain Applicant, without the key). `dataclasses.replace` gives one holding
    every field.
    """

    citizen_id = _OnFirstRead()
    phone = _OnFirstRead()
    address = _OnFirstRead()
    email = _OnFirstRead()
    birth_date = _OnFirstRead()
    sex = _OnFirstRead()

    def open_rest(self) -> None:
        held = self.__dict__.get("_sealed")
        if held is None:  # opened already (by another thread, or for another field)
            return
        fc, code, sealed = held
        citizen_id, phone, address, email, birth, sex = fc.open_many(
            [(value, f"{code}:{name}") for value, name in zip(sealed, _LATER, strict=True)]
        )
        birth_date = date.fromisoformat(birth) if birth else None
        self.__dict__.update(
            citizen_id=citizen_id, phone=phone, address=address, email=email,
            birth_date=birth_date, sex=sex,
        )  # fmt: skip
        self.__dict__.pop("_sealed", None)  # after the fields: a reader finds one or the other

    def opened(self) -> Applicant:
        return Applicant(*(getattr(self, f.name) for f in fields(Applicant)))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Applicant):
            return NotImplemented
        return all(getattr(self, f.name) == getattr(other, f.name) for f in fields(Applicant))

    def __hash__(self) -> int:
        return hash(self.opened())

    def __repr__(self) -> str:
        return repr(self.opened())

    def __reduce__(self):
        return Applicant, tuple(getattr(self, f.name) for f in fields(Applicant))


# The columns a listed dossier is made of, in the order `listed_dossier` reads them: not the
# name's tokens (a few hundred characters a row, needed only by the index) nor the station.
LISTED_COLUMNS = (
    "code", "procedure_code", "procedure_name", "status", "applicant_name", "citizen_id_sealed",
    "phone_sealed", "address", "email", "birth_date", "sex", "note", "documents", "sets",
    "fee_vnd", "return_method", "receiver", "book_volume", "book_entry", "ticket_id",
    "with_verification", *TIMES, "citizen_id", "phone",
)  # fmt: skip
RECEIVED_AT = LISTED_COLUMNS.index("received_at")
_SEALED_MARK = PREFIX + ":"
# An enum's call walks Python code (about 1 µs); a stored value is one of these.
_STATUSES = {status.value: status for status in DossierStatus}
_METHODS = {method.value: method for method in ReturnMethod}


def listed_dossier(values: tuple, fc: FieldCrypto) -> Dossier:
    """A dossier from the values of LISTED_COLUMNS (a plain tuple: no lookup by name)."""
    (code, procedure_code, procedure_name, status, name, *sealed, note, documents, sets, fee,
     method, receiver, volume, entry, ticket, verification, received, due, result, returned,
     updated, _clear_citizen_id, _clear_phone) = values  # fmt: skip
    if not name.startswith(_SEALED_MARK):  # from before sealing: sealed at the next unlock
        return dossier_from_row(dict(zip(LISTED_COLUMNS, values, strict=True)), fc)
    full_name, note = fc.open_many([(name, f"{code}:applicant_name"), (note, f"{code}:note")])
    applicant = object.__new__(ListedApplicant)
    applicant.__dict__.update(full_name=full_name, _sealed=(fc, code, sealed))
    return Dossier(
        code, procedure_code, procedure_name, _STATUSES[status], applicant,
        datetime.fromisoformat(received), datetime.fromisoformat(due) if due else None,
        _documents(documents), sets, fee, _METHODS.get(method) or ReturnMethod(method),
        receiver, volume, entry, ticket, bool(verification), note,
        datetime.fromisoformat(result) if result else None,
        datetime.fromisoformat(returned) if returned else None,
        datetime.fromisoformat(updated) if updated else None,
    )  # fmt: skip

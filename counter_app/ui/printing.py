"""Where a window sends paper: official forms to the PC's own printer (Qt print support),
slips to an ESC/POS printer through the spool. One list of destinations for the settings,
the failed-print dialog and reprints, so every place offers the same printers.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication

from counter_app.ui.session import Session

SYSTEM, ESCPOS = "system", "escpos"


@dataclass(frozen=True)
class Destination:
    kind: str  # SYSTEM: a printer installed on the PC; ESCPOS: a thermal printer's URL
    name: str  # the system printer's name, or the ESC/POS URL
    label: str  # as the clerk reads it in a list


def form_printer(session: Session) -> str:
    """The installed printer chosen in Settings for official forms; empty when none."""
    return str(session.store.settings.get("form_printer", "") or "")


def destinations(session: Session) -> list[Destination]:
    """The form printer first, then the station's thermal printers (the default first), then
    the other printers installed on this PC."""
    from counter_app.ui.system_print import system_printers

    chosen = form_printer(session)
    installed = system_printers()
    found: list[Destination] = []
    if chosen:
        label = QCoreApplication.translate("Printing", "Máy in văn phòng: {name}")
        found.append(Destination(SYSTEM, chosen, label.format(name=chosen)))
    named: dict = dict(session.store.settings.get("printers", {}) or {})
    default = named.pop("default", "")
    for name in sorted(named, key=lambda n: n != default):
        label = QCoreApplication.translate("Printing", "Máy in phiếu nhiệt: {name} ({url})")
        label = label.format(name=name, url=named[name])
        found.append(Destination(ESCPOS, named[name], label))
    for name in installed:
        if name != chosen:
            label = QCoreApplication.translate("Printing", "Máy in văn phòng: {name}")
            label = label.format(name=name)
            found.append(Destination(SYSTEM, name, label))
    return found


def first_destination(session: Session) -> Destination | None:
    """Where an intake's forms go: the form printer, else the default thermal printer."""
    chosen = form_printer(session)
    if chosen:
        return Destination(SYSTEM, chosen, chosen)
    named = session.store.settings.get("printers", {}) or {}
    default = named.get("default")
    if default and default in named:
        return Destination(ESCPOS, named[default], default)
    return None


def send(
    session: Session, documents: list, destination: Destination, *, title: str, request: str
) -> bool:
    """Print the documents. A system printer prints now (True when done; a DomainError in
    Vietnamese when it refuses); an ESC/POS printer goes through the spool off the UI
    thread (False: the outcome comes as `printing().printed` with this `request`)."""
    if destination.kind == SYSTEM:
        from counter_app.ui.system_print import print_document

        for document in documents:
            print_document(document, destination.name)
        return True
    session.printing().print_documents(documents, destination.name, title=title, request=request)
    return False

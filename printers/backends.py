"""Where the bytes go: one small class per transport, chosen from a URL by an explicit table.

    tcp://10.0.0.20:9100?width=58     usb://04b8:0202      serial:///dev/ttyUSB0?baudrate=9600
    win32://Máy in quầy 1             cups://quay1         file:///tmp/out.bin
    pdf:///home/canbo/phieu-in        (writes one PDF per job, for office printers)

The query of any URL also sets the paper profile (see `PrinterProfile.from_query`).
A backend raises `PrinterUnavailable` when nothing was sent (the job may simply wait) and
`ConnectionBroken` when the link failed after bytes went out (the paper may be half printed).
"""

from __future__ import annotations

import contextlib
import os
import socket
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol
from urllib.parse import parse_qsl, unquote, urlsplit

from counter_app.core.errors import DomainError, ValidationError
from counter_app.core.messages import register
from printers.escpos_render import PrinterProfile

register(
    {
        "printer.bad_url": {
            "vi": "Địa chỉ máy in không hợp lệ: «{url}». Ví dụ: tcp://192.168.1.50:9100, "
            "usb://04b8:0202, serial:///dev/ttyUSB0?baudrate=9600, win32://Tên máy in, "
            "cups://hang-doi, file:///duong/dan/out.bin, pdf:///thu-muc. {detail}",
            "en": "Invalid printer address '{url}'. Examples: tcp://192.168.1.50:9100, "
            "usb://04b8:0202, serial:///dev/ttyUSB0?baudrate=9600, win32://Printer Name, "
            "cups://queue, file:///path/out.bin, pdf:///folder. {detail}",
        },
        "printer.backend_missing": {
            "vi": "Máy này chưa cài gói «{package}» cần cho máy in {url}: nhờ quản trị viên "
            "cài gói này (hoặc cài lại chương trình) rồi in lại.",
            "en": "This computer lacks the '{package}' package that printer {url} needs: ask "
            "an admin to install it (or to reinstall the program), then print again.",
            "cli_vi": "Cài gói: pip install {package}",
            "cli_en": "To install it: pip install {package}",
        },
    }
)


class PrinterUnavailable(Exception):
    """Nothing was printed: the printer is off, unplugged, busy or out of paper."""


class ConnectionBroken(Exception):
    """The link failed after part of the job was sent: what is on paper is unknown."""


@dataclass(frozen=True)
class PrinterStatus:
    online: bool = True
    paper_out: bool = False
    paper_low: bool = False


class Backend(Protocol):
    url: str
    profile: PrinterProfile
    wants_pdf: bool

    def send(self, payload: bytes) -> None: ...


@dataclass(frozen=True)
class PrinterTarget:
    scheme: str
    host: str
    path: str
    query: dict[str, str]
    url: str


def parse_printer_url(url: str) -> PrinterTarget:
    try:
        parts = urlsplit(url.strip())
    except ValueError:  # "tcp://[::1": an unclosed IPv6 bracket
        raise ValidationError("printer.bad_url", field="printer", url=url, detail="") from None
    if parts.scheme not in BACKENDS:
        raise ValidationError("printer.bad_url", field="printer", url=url, detail="")
    return PrinterTarget(
        scheme=parts.scheme,
        host=unquote(parts.netloc),
        path=unquote(parts.path),
        query=dict(parse_qsl(parts.query)),
        url=url.strip(),
    )


def open_backend(url: str) -> Backend:
    target = parse_printer_url(url)
    try:
        profile = PrinterProfile.from_query(target.query)
        return BACKENDS[target.scheme](target, profile)
    except (ValueError, KeyError) as error:
        raise ValidationError(
            "printer.bad_url", field="printer", url=url, detail=str(error)
        ) from None


# --- DLE EOT status, for links that answer -----------------------------------------------

DLE_EOT_PRINTER = b"\x10\x04\x01"
DLE_EOT_PAPER = b"\x10\x04\x04"


def status_from_bytes(printer: int, paper: int) -> PrinterStatus:
    return PrinterStatus(
        online=not printer & 0x08,
        paper_out=bool(paper & 0x60),
        paper_low=bool(paper & 0x0C),
    )


# --- Transports ---------------------------------------------------------------------------


class TcpBackend:
    """A LAN printer on port 9100 (raw socket, "JetDirect").

    A job counts as printed only when the printer proved it read the whole payload: it
    answered a status query sent after the data, or (a printer without status support) it
    closed the connection once it had read to our end of stream. Bytes accepted by our own
    socket prove nothing: a printer whose firmware hung still completes TCP handshakes and
    its kernel buffers a whole receipt. Each step is bounded, so a hung printer costs the
    clerk seconds, and the job ends `unknown` (ConnectionBroken), never "printed".
    """

    wants_pdf = False
    SLOW_LINK_BYTES = 16_384  # per second: the slowest drain a working printer shows

    def __init__(self, target: PrinterTarget, profile: PrinterProfile) -> None:
        host, _, port = target.host.rpartition(":")
        if not host:
            host, port = target.host, "9100"
        self.host, self.port = host, int(port)
        self.url, self.profile = target.url, profile

    def probe(self) -> bool:
        """Whether something at the printer's address takes a connection now (a refused or
        silent address is not a printer that is ready); nothing is printed."""
        try:
            with socket.create_connection(
                (self.host, self.port), timeout=min(self.profile.timeout, 2.0)
            ):
                return True
        except OSError:
            return False

    def _query(self, sock: socket.socket) -> PrinterStatus | None:
        """Ask DLE EOT 1 and 4; None when the printer does not answer status queries."""
        answers = []
        for query in (DLE_EOT_PRINTER, DLE_EOT_PAPER):
            sock.sendall(query)
            try:
                byte = sock.recv(1)
            except TimeoutError:
                return None
            if not byte:
                raise ConnectionResetError("printer closed the connection")
            answers.append(byte[0])
        return status_from_bytes(*answers)

    def _closed_after_reading(self, sock: socket.socket) -> bool:
        """Half-close our side and wait for the printer to close its own: it can only see our
        end of stream after it has read everything before it."""
        sock.shutdown(socket.SHUT_WR)
        sock.settimeout(self.profile.timeout)
        try:
            while sock.recv(4096):
                pass  # late status answers: the end of stream is what counts
        except TimeoutError:
            return False
        return True

    def _send_all(self, sock: socket.socket, payload: bytes) -> bool:
        """Send everything, or False when the printer stops taking bytes for `timeout`
        seconds or the whole takes longer than a slow link would need."""
        deadline = time.monotonic() + self.profile.timeout + len(payload) / self.SLOW_LINK_BYTES
        sock.settimeout(self.profile.timeout)  # per send() call: no progress for that long
        view = memoryview(payload)
        try:
            while view:
                if time.monotonic() > deadline:
                    return False
                view = view[sock.send(view[:65536]) :]
        except TimeoutError:
            return False
        return True

    def send(self, payload: bytes) -> None:
        where = f"{self.host}:{self.port}"
        try:
            sock = socket.create_connection((self.host, self.port), timeout=self.profile.timeout)
        except OSError as error:
            raise PrinterUnavailable(
                f"Không kết nối được máy in {where} ({_why(error)})."
            ) from None
        unproven = ConnectionBroken(
            f"Máy in {where} không xác nhận đã nhận hết lệnh in (máy treo hoặc không trả lời)."
        )
        with sock:
            sent = False
            try:
                before = None
                if self.profile.status:
                    sock.settimeout(min(self.profile.timeout, 1.0))
                    before = self._query(sock)
                    _refuse_if_not_ready(before, where)
                sent = True
                if not self._send_all(sock, payload):
                    raise unproven
                after = None
                if before is not None:  # it answered before the job: it must answer after
                    sock.settimeout(min(self.profile.timeout, 2.0))
                    after = self._query(sock)
                if after is None:
                    if not self._closed_after_reading(sock):
                        raise unproven
                elif after.paper_out or not after.online:
                    raise ConnectionBroken(
                        f"Máy in {where} báo hết giấy hoặc ngừng hoạt động trong khi in."
                    )
            except OSError as error:
                if not sent:
                    raise PrinterUnavailable(
                        f"Máy in {where} không trả lời ({_why(error)})."
                    ) from None
                raise ConnectionBroken(
                    f"Mất kết nối với máy in {where} khi đang in ({_why(error)})."
                ) from None


def _why(error: OSError) -> str:
    """A network failure as a clerk can act on it, in Vietnamese (the system's own text is
    English on most machines)."""
    if isinstance(error, ConnectionRefusedError):
        return "không có máy in nào trả lời ở địa chỉ này: máy tắt, chưa cắm mạng hoặc sai địa chỉ"
    if isinstance(error, TimeoutError):
        return "quá thời gian chờ: máy in không trả lời"
    if isinstance(error, ConnectionResetError | BrokenPipeError | ConnectionAbortedError):
        return "máy in đã ngắt kết nối"
    if isinstance(error, socket.gaierror):
        return "không tìm thấy tên máy in trên mạng"
    return f"lỗi mạng số {error.errno}" if error.errno else "lỗi mạng"


def _refuse_if_not_ready(status: PrinterStatus | None, where: str) -> None:
    if status is None:
        return
    if status.paper_out:
        raise PrinterUnavailable(f"Máy in {where} hết giấy.")
    if not status.online:
        raise PrinterUnavailable(f"Máy in {where} đang ngừng hoạt động (mở nắp hoặc lỗi).")


class FileBackend:
    """Appends the bytes to a file: a device node (/dev/usb/lp0) or a capture for tests."""

    wants_pdf = False

    def __init__(self, target: PrinterTarget, profile: PrinterProfile) -> None:
        self.path = Path(target.path)
        self.url, self.profile = target.url, profile

    def probe(self) -> bool:
        return self.path.parent.is_dir() and os.access(self.path.parent, os.W_OK)

    def send(self, payload: bytes) -> None:
        try:
            with open(self.path, "ab") as out:
                out.write(payload)
        except OSError as error:
            raise PrinterUnavailable(f"Không ghi được vào {self.path} ({error}).") from None


class PdfFolderBackend:
    """Drops each job as a PDF into a folder that an office printer or a person picks up."""

    wants_pdf = True

    def __init__(self, target: PrinterTarget, profile: PrinterProfile) -> None:
        self.folder = Path(target.path)
        self.url, self.profile = target.url, profile
        self.next_name = "phieu.pdf"

    def probe(self) -> bool:
        folder = self.folder if self.folder.is_dir() else self.folder.parent
        return folder.is_dir() and os.access(folder, os.W_OK)

    def send(self, payload: bytes) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            target = self.folder / self.next_name
            tmp = target.with_suffix(".part")
            tmp.write_bytes(payload)
            tmp.replace(target)
        except OSError as error:
            raise PrinterUnavailable(
                f"Không ghi được tệp PDF vào {self.folder} ({error})."
            ) from None


class _EscposBackend:
    """Transports that python-escpos already knows; opened per job, closed after it.

    Each needs its own package (pyusb, pyserial, pywin32, pycups). Without it no retry can
    succeed, so the job fails at once with the package to install (a DomainError), instead of
    waiting for a printer that was never the problem.
    """

    wants_pdf = False
    package = ""  # what pip installs for this transport
    escpos_class = ""  # its class in escpos.printer

    def __init__(self, target: PrinterTarget, profile: PrinterProfile) -> None:
        self.target, self.url, self.profile = target, target.url, profile

    def _arguments(self) -> tuple[tuple, dict]:
        raise NotImplementedError

    def send(self, payload: bytes) -> None:
        import escpos.printer

        kind = getattr(escpos.printer, self.escpos_class)
        # Checked on the class: an instance built without its package complains on deletion.
        if not kind.is_usable():
            raise DomainError("printer.backend_missing", package=self.package, url=self.url)
        args, kwargs = self._arguments()
        try:
            device = kind(*args, **kwargs)
            device.open()
        except Exception as error:  # each escpos transport raises its own kinds
            raise PrinterUnavailable(f"Không mở được máy in {self.url} ({error}).") from None
        try:
            device._raw(payload)
        except Exception as error:
            raise ConnectionBroken(f"Lỗi khi gửi tới máy in {self.url} ({error}).") from None
        finally:
            with contextlib.suppress(Exception):
                device.close()


class UsbBackend(_EscposBackend):
    package, escpos_class = "pyusb", "Usb"

    def _arguments(self) -> tuple[tuple, dict]:
        vendor, _, product = self.target.host.partition(":")
        timeout = int(self.profile.timeout * 1000)
        return (int(vendor, 16), int(product, 16)), {"timeout": timeout}


class SerialBackend(_EscposBackend):
    package, escpos_class = "pyserial", "Serial"

    def _arguments(self) -> tuple[tuple, dict]:
        baudrate = int(self.target.query.get("baudrate", 9600))
        return (), {
            "devfile": self.target.path,
            "baudrate": baudrate,
            "timeout": self.profile.timeout,
        }


class Win32Backend(_EscposBackend):
    package, escpos_class = "pywin32", "Win32Raw"

    def _arguments(self) -> tuple[tuple, dict]:
        return (self.target.host,), {}


class CupsBackend(_EscposBackend):
    package, escpos_class = "pycups", "CupsPrinter"

    def _arguments(self) -> tuple[tuple, dict]:
        return (self.target.host,), {}


BACKENDS: dict[str, type] = {
    "tcp": TcpBackend,
    "usb": UsbBackend,
    "serial": SerialBackend,
    "win32": Win32Backend,
    "cups": CupsBackend,
    "file": FileBackend,
    "pdf": PdfFolderBackend,
}


def probe(url: str) -> bool | None:
    """Whether the printer at `url` answers now, without printing: True when it answered,
    False when nothing did (refused, silent, a folder that is gone), None for transports
    that cannot be asked without sending a job (USB, serial, Windows and CUPS queues)."""
    try:
        backend = open_backend(url)
    except DomainError:
        return False
    check = getattr(backend, "probe", None)
    return check() if check is not None else None


def wait_backoff(attempts: int) -> float:
    """Seconds before the next try: 5, 10, 20 ... up to 10 minutes."""
    return float(min(600, 5 * 2 ** max(0, attempts - 1)))

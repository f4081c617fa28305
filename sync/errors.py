"""What can go wrong talking to the portal, in words a clerk can act on.

The engine sorts failures by class (a refusal sets items aside, a transport failure retries
them), while a clerk reads `str(error)`: a Vietnamese sentence that names what went wrong and
never quotes the portal's bytes, so a hostile answer cannot put text or personal data in
front of a person or into a log.
"""

from __future__ import annotations

from typing import Any

from counter_app.core.messages import MESSAGES, register

register(
    {
        "sync.link.down": {
            "vi": "không kết nối được tới Cổng dịch vụ công",
            "en": "cannot connect to the portal",
        },
        "sync.link.timeout": {
            "vi": "Cổng dịch vụ công không trả lời trong {seconds:g} giây",
            "en": "the portal did not answer within {seconds:g} seconds",
        },
        "sync.link.silent": {
            "vi": "Cổng dịch vụ công không trả lời kịp; dừng lượt này, lượt sau sẽ thử lại",
            "en": "the portal does not answer in time; stopping until the next round",
        },
        "sync.portal.unavailable": {
            "vi": "Cổng dịch vụ công đang gặp sự cố (HTTP {status})",
            "en": "the portal is failing (HTTP {status})",
        },
        "sync.answer.too_large": {
            "vi": "câu trả lời của Cổng vượt quá {limit} byte nên bị bỏ qua",
            "en": "the portal's answer exceeded {limit} bytes and was dropped",
        },
        "sync.answer.too_slow": {
            "vi": "câu trả lời của Cổng kéo dài quá {seconds:g} giây nên bị bỏ dở",
            "en": "the portal's answer took longer than {seconds:g} seconds and was cut off",
        },
        "sync.answer.unreadable": {
            "vi": "câu trả lời của Cổng không đọc được (không phải JSON hợp lệ)",
            "en": "the portal's answer is unreadable (not valid JSON)",
        },
        "sync.answer.malformed": {
            "vi": "câu trả lời của Cổng sai định dạng ở «{where}»: {problem}",
            "en": "the portal's answer is malformed at '{where}': {problem}",
        },
        "sync.round.too_long": {
            "vi": "lượt đồng bộ đã quá {seconds:g} giây; phần còn lại để lượt sau",
            "en": "the sync round passed {seconds:g} seconds; the rest waits for the next round",
        },
        "sync.pages.too_many": {
            "vi": "Cổng gửi quá {pages} trang trong một lượt; phần còn lại nhận ở lượt sau",
            "en": "the portal sent more than {pages} pages in one round; the rest comes next round",
        },
    }
)


class PortalError(Exception):
    """Something went wrong talking to the portal."""


class TransportError(PortalError):
    """The link or the portal failed (no answer, closed connection, 5xx): try again later."""


class Refused(PortalError):
    """The portal answered with a refusal (4xx) and a reason."""

    def __init__(self, status: int, error: str, detail: str = "") -> None:
        super().__init__(f"{status} {error} {detail}".strip())
        self.status, self.error, self.detail = status, error, detail


class UpstreamFault(TransportError):
    """No usable answer: the link failed, or the portal answered something this client must
    not act on. A transport failure to the engine (the items stay waiting and go again with
    the same keys), with a message for the clerk instead of the portal's bytes."""

    def __init__(self, code: str, /, **params: Any) -> None:
        if code not in MESSAGES:
            raise KeyError(f"no message for error code {code!r}")
        self.code, self.params = code, params
        super().__init__(code)

    def message(self, lang: str = "vi") -> str:
        texts = MESSAGES[self.code]
        params = dict(self.params)
        if "problem" in params:  # itself a message code (sync/answers.py)
            params["problem"] = MESSAGES[params["problem"]].get(lang, "")
        return texts.get(lang, texts["vi"]).format(**params)

    def __str__(self) -> str:  # what a sync report records and the clerk reads
        return self.message("vi")

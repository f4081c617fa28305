"""Windows Image Acquisition through its scripting objects (comtypes).

Written to the WIA Automation Layer's documented objects; it cannot run on the Linux CI,
so it is kept to the few calls a flatbed needs (packaging/README.md says so, and
tests/test_scanner.py runs it where Windows and a scanner are).
"""

from __future__ import annotations

import logging

from counter_app.core.errors import DomainError

log = logging.getLogger(__name__)

SCANNER_TYPE = 1  # WiaDeviceType.ScannerDeviceType
FORMAT_PNG = "{B96B3CAF-0728-11D3-9D7B-0000F81EF32E}"
INTENT, X_DPI, Y_DPI = "6146", "6147", "6148"  # WIA_IPS_CUR_INTENT, _XRES, _YRES
INTENT_COLOUR, INTENT_GREY = 1, 2


def _manager():
    try:
        import comtypes.client
    except ImportError:
        raise DomainError("scanner.missing", tool="comtypes") from None
    return comtypes.client.CreateObject("WIA.DeviceManager")


def devices() -> list[str]:
    infos = _manager().DeviceInfos
    return [
        infos.Item(i).Properties.Item("Name").Value
        for i in range(1, infos.Count + 1)
        if infos.Item(i).Type == SCANNER_TYPE
    ]


def scan(device: str, *, colour: bool, dpi: int) -> bytes:
    infos = _manager().DeviceInfos
    for i in range(1, infos.Count + 1):
        info = infos.Item(i)
        if info.Type == SCANNER_TYPE and info.Properties.Item("Name").Value == device:
            break
    else:
        raise DomainError("scanner.none")
    try:
        item = info.Connect().Items.Item(1)
        item.Properties.Item(INTENT).Value = INTENT_COLOUR if colour else INTENT_GREY
        item.Properties.Item(X_DPI).Value = dpi
        item.Properties.Item(Y_DPI).Value = dpi
        image = item.Transfer(FORMAT_PNG)
        return bytes(image.FileData.BinaryData)
    except OSError as error:  # COMError derives from it: a jam, an open lid, busy
        log.warning("WIA scan failed: %s", type(error).__name__)
        raise DomainError("scanner.failed") from None

"""Backups to a folder (a USB drive), daily and by hand, and restore that checks first."""

from __future__ import annotations

import sqlite3
import tempfile
from datetime import datetime
from pathlib import Path

from counter_app.core import crypto
from counter_app.core.clock import vn_time
from counter_app.core.errors import DomainError, ValidationError
from counter_app.core.messages import register
from counter_app.core.oserrors import cannot_write
from counter_app.core.roles import Permission
from counter_app.services.context import ServiceContext
from counter_app.store import backup as files
from counter_app.store.database import STORE_FILE
from counter_app.store.keys import unlock_keys_info
from counter_app.store.paper_files import FOLDER, PaperFiles, open_blob

DEFAULT_KEEP = 14

register(
    {
        "backup.no_folder": {
            "vi": "Chưa chọn thư mục sao lưu (ví dụ ổ USB). Hãy dùng --to hoặc đặt trong cài đặt.",
            "en": "No backup folder is set (e.g. a USB drive). Use --to or set it in settings.",
        },
        "backup.blank_folder": {
            "vi": "Thư mục sao lưu để trống: hãy ghi đường dẫn thư mục (ví dụ ổ USB E:\\SaoLuu).",
            "en": "The backup folder is blank: give a folder path (e.g. a USB drive E:\\Backups).",
        },
        "backup.integrity": {
            "vi": "Bản sao lưu giải mã được nhưng cơ sở dữ liệu bên trong bị lỗi; không khôi phục.",
            "en": "The backup decrypts but the database inside is damaged; nothing restored.",
        },
    }
)


def backup_folder(ctx: ServiceContext, to: Path | str | None) -> Path:
    """The folder named (`to`) or set in settings. A name given but blank is refused: as a
    path it would mean the current folder, and a backup would land wherever the command
    happened to run instead of on the USB drive."""
    if to is not None and not str(to).strip():
        raise ValidationError("backup.blank_folder", field="to")
    folder = to or ctx.store.settings.get("backup_folder")
    if not folder:
        raise DomainError("backup.no_folder")
    return Path(folder)


def backup_now(
    ctx: ServiceContext, *, to: Path | str | None = None, keep: int | None = None
) -> Path:
    """A sealed snapshot of the whole store; old ones beyond `keep` are removed."""
    ctx.actor.require(Permission.READ_DOSSIERS)
    folder = backup_folder(ctx, to)
    now = ctx.now()
    info = ctx.store.settings.get("keys")
    key = files.backup_key(ctx.store.crypto)
    ctx.store.papers.forget_orphans()  # what a kill left behind is not worth keeping
    try:
        target = files.write_backup(
            ctx.store.conn, info, key, folder / files.backup_name(now),
            papers=ctx.store.papers.files, paper_ids=ctx.store.papers.kept_ids(),
        )  # fmt: skip
    except OSError as error:
        raise cannot_write(folder, error) from None
    files.rotate(folder, keep or ctx.store.settings.get("backup_keep", DEFAULT_KEEP))
    if ctx.store.path is not None:
        files.remember_last_backup(ctx.store.path.parent, target)
    with ctx.store.transaction():
        ctx.store.settings.set("last_backup_at", now.isoformat())
        ctx.journal(at=now, action="backup.write", entity="station", entity_id=ctx.station.id)
    return target


def daily_backup_due(ctx: ServiceContext) -> bool:
    last = ctx.store.settings.get("last_backup_at")
    return bool(ctx.store.settings.get("backup_folder")) and (
        last is None or datetime.fromisoformat(last).date() < ctx.now().date()
    )


def restore(
    data_dir: Path,
    backup_file: Path,
    *,
    now: datetime,
    passphrase: str | None = None,
    recovery: str | None = None,
) -> Path:
    """Check the backup's key and integrity, then swap it in; the old store is kept beside.

    Runs with the store closed: it replaces the file itself.
    """
    info = files.read_header(backup_file)
    field_crypto: crypto.FieldCrypto = unlock_keys_info(
        info, data_dir, passphrase=passphrase, recovery=recovery
    )
    with tempfile.TemporaryDirectory(dir=data_dir) as tmp:
        restored = Path(tmp) / "restored.db"
        papers = PaperFiles(Path(tmp) / FOLDER)
        ids = files.decrypt_backup(backup_file, files.backup_key(field_crypto), restored, papers)
        for paper_id in ids:  # each paper opens with the backup's keys, or nothing changes
            try:
                open_blob(papers.read(paper_id) or b"", field_crypto, paper_id)
            except DomainError:
                raise DomainError("backup.damaged") from None
        conn = sqlite3.connect(restored)
        try:
            ok = conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        except sqlite3.DatabaseError:
            ok = False
        finally:
            conn.close()
        if not ok:
            raise DomainError("backup.integrity")
        kept = files.replace_store(data_dir / STORE_FILE, restored, vn_time(now))
        files.replace_papers(data_dir, papers.folder, vn_time(now))
        return kept

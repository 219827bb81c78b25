"""One archive (.tar.gz) holding the database, every file under MEDIA_ROOT and a manifest.

manifest.json: format version, Touzi version, database vendor, applied migrations, per table the
row count and content checksum (`touzi.backup.checksums`), and per media file its size and SHA-256.
A restore goes into an empty database, puts the files back, recomputes everything and compares.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

from touzi.backup import vendors
from touzi.backup.vendors import BackupError

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA = "media"


def touzi_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("touzi")
    except PackageNotFoundError:
        return "unknown"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def media_files(root: Path) -> dict[str, dict[str, Any]]:
    """Every regular file under MEDIA_ROOT, by its path relative to it."""
    if not root.is_dir():
        return {}
    return {path.relative_to(root).as_posix(): {"size": path.stat().st_size, "sha256": _sha256(path)}
            for path in sorted(root.rglob("*")) if path.is_file() and not path.is_symlink()}


def backup(target: Path, progress: Callable[[int, int], None] | None = None) -> dict[str, Any]:
    """Write the archive to `target` (atomically: a partial archive never carries the final name, and one
    that fails is removed). `progress(done, total)` counts the database dump, then each uploaded file."""
    target = target.resolve()
    media_root = Path(settings.MEDIA_ROOT)
    report = progress or (lambda done, total: None)
    partial = target.with_name(target.name + ".part")
    try:
        with tempfile.TemporaryDirectory(prefix="touzi-backup-") as work:
            report(0, 1)
            member, figures = vendors.dump(Path(work) / "database")
            media = media_files(media_root)
            total = len(media) + 2
            report(1, total)
            manifest = {"format": FORMAT, "touzi_version": touzi_version(), "vendor": connection.vendor,
                        "created_at": timezone.now().astimezone(dt.UTC).isoformat(), "database": member,
                        "migrations": figures["migrations"], "tables": figures["tables"], "media": media}
            with tarfile.open(partial, "w:gz") as archive:
                data = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
                _add_bytes(archive, MANIFEST, data)
                archive.add(Path(work) / "database", arcname=member, recursive=False)
                for done, name in enumerate(media, start=2):
                    archive.add(media_root / name, arcname=f"{MEDIA}/{name}", recursive=False)
                    report(done, total)
            os.chmod(partial, 0o600)  # it holds password hashes and the whole audit trail
            os.replace(partial, target)
            report(total, total)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return manifest


def read_manifest(path: Path) -> dict[str, Any]:
    """The manifest of an archive (its first member: read without unpacking the rest)."""
    try:
        with tarfile.open(path, "r:gz") as archive:
            member = archive.extractfile(MANIFEST)
            if member is None:
                raise BackupError(f"{path.name} 中没有 {MANIFEST}")
            return json.loads(member.read().decode("utf-8"))
    except (tarfile.TarError, KeyError, EOFError) as exc:
        raise BackupError(f"{path.name} 不是可读的备份文件({exc})") from exc


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    import io

    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = len(data), 0o600, int(timezone.now().timestamp())
    archive.addfile(info, io.BytesIO(data))


@dataclass
class Outcome:
    manifest: dict[str, Any]
    differences: list[str] = field(default_factory=list)
    overwritten: list[str] = field(default_factory=list)


def what_would_be_overwritten() -> list[str]:
    """Lines saying what is already there: tables (with rows) and files under MEDIA_ROOT."""
    lines = []
    tables = vendors.existing_tables()
    if tables:
        with_rows = {name: n for name, n in tables.items() if n}
        lines.append(f"数据库中已有 {len(tables)} 张表,其中 {len(with_rows)} 张有数据,共 {sum(with_rows.values())} 行")
        lines += [f"  {name}: {n} 行" for name, n in sorted(with_rows.items(), key=lambda kv: -kv[1])[:20]]
    files = media_files(Path(settings.MEDIA_ROOT))
    if files:
        lines.append(f"上传文件目录 {settings.MEDIA_ROOT} 中已有 {len(files)} 个文件(同名文件将被覆盖)")
    return lines


def restore(source: Path, *, force: bool = False) -> Outcome:
    """Restore `source` into the configured (empty) database and MEDIA_ROOT, then compare with its manifest."""
    with tempfile.TemporaryDirectory(prefix="touzi-restore-") as work:
        with tarfile.open(source, "r:gz") as archive:
            archive.extractall(work, filter="data")  # no absolute paths, no .., no devices or links out
        manifest = json.loads((Path(work) / MANIFEST).read_text(encoding="utf-8"))
        if manifest.get("format") != FORMAT:
            raise BackupError(f"备份格式 {manifest.get('format')} 不受支持(本版本读取格式 {FORMAT})")
        overwritten = what_would_be_overwritten()
        if overwritten and not force:
            raise BackupError("目标不是空的,未恢复任何内容。恢复将覆盖:\n" + "\n".join(overwritten)
                              + "\n确认覆盖请加 --force")
        vendors.load(Path(work) / manifest["database"], manifest["vendor"], replace=bool(overwritten))
        _put_media(Path(work) / MEDIA, Path(settings.MEDIA_ROOT))
    outcome = Outcome(manifest, overwritten=overwritten)
    outcome.differences = compare(manifest, vendors.read_figures(), media_files(Path(settings.MEDIA_ROOT)))
    return outcome


def _put_media(extracted: Path, root: Path) -> None:
    if not extracted.is_dir():
        return
    for path in sorted(extracted.rglob("*")):
        if path.is_file():
            target = root / path.relative_to(extracted)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(path, target)


def compare(manifest: dict[str, Any], figures: dict[str, Any], media: dict[str, Any]) -> list[str]:
    """Every difference between the manifest and what is now in the database and MEDIA_ROOT."""
    problems = []
    for table, expected in manifest["tables"].items():
        found = figures["tables"].get(table)
        if found is None:
            problems.append(f"表 {table} 不存在")
        elif found["rows"] != expected["rows"]:
            problems.append(f"表 {table}:行数 {found['rows']},备份中为 {expected['rows']}")
        elif found["sha256"] != expected["sha256"]:
            problems.append(f"表 {table}:内容校验和不符")
    missing = set(manifest["migrations"]) - set(figures["migrations"])
    if missing:
        problems.append(f"缺少迁移记录:{', '.join(sorted(missing))}")
    for name, expected in manifest["media"].items():
        found = media.get(name)
        if found is None:
            problems.append(f"文件 {name} 不存在")
        elif found["sha256"] != expected["sha256"]:
            problems.append(f"文件 {name}:内容与备份不符")
    return problems

"""Restore drill on SQLite: back up a ledger with an evidence file, restore it into an empty database in
another process, and compare every table's row count and checksum and the file's bytes."""

from __future__ import annotations

import io
import json
import sqlite3
import tarfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from touzi.backup.checksums import database_digests
from touzi.backup.tests.drill import PDF, make_data, touzi
from touzi.backup.vendors import _alias_for

pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite drill")]


@pytest.fixture
def archive(tmp_path) -> tuple[Path, str]:
    evidence = make_data()
    target = tmp_path / "touzi.tar.gz"
    out = io.StringIO()
    call_command("backup", str(target), stdout=out)
    assert "已备份" in out.getvalue()
    return target, evidence


def _manifest(target: Path) -> dict:
    with tarfile.open(target) as tar:
        return json.loads(tar.extractfile("manifest.json").read())


def test_the_archive_holds_the_database_the_files_and_a_manifest(archive) -> None:
    target, evidence = archive
    with tarfile.open(target) as tar:
        names = tar.getnames()
    assert {"manifest.json", "database.sqlite3", f"media/{evidence}"} <= set(names)
    manifest = _manifest(target)
    assert manifest["format"] == 1 and manifest["vendor"] == "sqlite" and manifest["touzi_version"]
    assert "audit.0001_initial" in manifest["migrations"]
    assert manifest["tables"] == database_digests()
    assert manifest["tables"]["reports_evidence"]["rows"] == 1
    assert manifest["media"][evidence]["size"] == len(PDF)
    assert target.stat().st_mode & 0o077 == 0  # holds password hashes: the owner's alone


def test_a_backup_restores_into_an_empty_database_table_for_table(archive, tmp_path) -> None:
    target, evidence = archive
    source = database_digests()
    restored_db, media = tmp_path / "restored.sqlite3", tmp_path / "restored-media"
    result = touzi("restore", str(target), database_url=f"sqlite:///{restored_db}", media=media)
    assert result.returncode == 0, result.stderr
    assert "全部与清单一致" in result.stdout
    with _alias_for(restored_db) as alias:
        restored = database_digests(alias)
    assert restored == source  # every table: row count and checksum
    assert len(restored) > 40 and restored["projects_project"]["rows"] == 1
    assert (media / evidence).read_bytes() == PDF == (Path(settings.MEDIA_ROOT) / evidence).read_bytes()

    again = touzi("restore", str(target), database_url=f"sqlite:///{restored_db}", media=media)
    assert again.returncode == 1 and "目标不是空的" in again.stderr and "auth_permission: " in again.stderr
    assert "--force" in again.stderr
    forced = touzi("restore", "--force", str(target), database_url=f"sqlite:///{restored_db}", media=media)
    assert forced.returncode == 0, forced.stderr


def test_a_restore_that_does_not_match_its_manifest_exits_non_zero(archive, tmp_path) -> None:
    target, _evidence = archive
    work = tmp_path / "unpacked"
    with tarfile.open(target) as tar:
        tar.extractall(work, filter="data")
    # The database in the archive lost a row its manifest counts.
    with sqlite3.connect(work / "database.sqlite3") as db:
        db.execute("DELETE FROM projects_annualplan")
        db.execute("UPDATE projects_project SET name = '改过的名称'")
    broken = tmp_path / "broken.tar.gz"
    with tarfile.open(broken, "w:gz") as tar:
        for path in sorted(work.rglob("*")):
            if path.is_file():
                tar.add(path, arcname=path.relative_to(work).as_posix())
    result = touzi("restore", str(broken), database_url=f"sqlite:///{tmp_path / 'x.sqlite3'}",
                   media=tmp_path / "x-media")
    assert result.returncode == 1
    assert "projects_project:内容校验和不符" in result.stderr


def test_the_same_data_gives_the_same_checksum_whatever_the_storage() -> None:
    import datetime as dt
    from decimal import Decimal

    from touzi.backup.checksums import canonical

    assert canonical(Decimal("500.0000")) == canonical(Decimal("500"))
    aware = dt.datetime(2024, 1, 1, 8, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    assert canonical(aware) == canonical(dt.datetime(2024, 1, 1, tzinfo=dt.UTC))
    assert canonical({"b": 1, "a": 2}) == canonical({"a": 2, "b": 1})
    assert canonical("1") != canonical(1)

"""Restore drill on PostgreSQL, whenever one is reachable: a ledger with an evidence file in a scratch
database, `touzi backup`, `touzi restore` into another, empty scratch database, then every table's row
count and checksum and the file's bytes compared. Scratch databases are named after the database of
TOUZI_TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test) and dropped afterwards."""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit

import pytest

from touzi.backup.tests.drill import PDF, touzi

BASE_URL = os.environ.get("TOUZI_TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test")


def _reachable() -> bool:
    parts = urlsplit(BASE_URL)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 5432), timeout=2):
            return True
    except OSError:
        return False


pytestmark = pytest.mark.skipif(not _reachable(), reason="no PostgreSQL at TOUZI_TEST_DATABASE_URL")


def _url(name: str) -> str:
    parts = urlsplit(BASE_URL)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(_url("postgres"), autocommit=True) as db:
        db.execute(sql)


@pytest.fixture
def scratch() -> Iterator[tuple[str, str]]:
    stem = f"{urlsplit(BASE_URL).path.lstrip('/') or 'touzi'}_drill_{os.getpid()}"
    names = (f"{stem}_src", f"{stem}_dst")
    for name in names:
        _admin(f'DROP DATABASE IF EXISTS "{name}"')
        _admin(f'CREATE DATABASE "{name}"')
    yield _url(names[0]), _url(names[1])
    for name in names:
        _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _ok(result) -> str:
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_a_postgres_backup_restores_into_an_empty_database_table_for_table(scratch, tmp_path) -> None:
    source, target = scratch
    media_src, media_dst = tmp_path / "media-src", tmp_path / "media-dst"
    _ok(touzi("migrate", "-v0", database_url=source, media=media_src))
    evidence = _ok(touzi("shell", "-c", "from touzi.backup.tests.drill import make_data; print(make_data())",
                         database_url=source, media=media_src)).strip().splitlines()[-1]
    archive = tmp_path / "pg.tar.gz"
    assert "postgresql" in _ok(touzi("backup", str(archive), database_url=source, media=media_src))

    assert "全部与清单一致" in _ok(touzi("restore", str(archive), database_url=target, media=media_dst))
    digests = "import json; from touzi.backup.checksums import database_digests; print(json.dumps(database_digests()))"
    before = json.loads(_ok(touzi("shell", "-c", digests, database_url=source, media=media_src)).splitlines()[-1])
    after = json.loads(_ok(touzi("shell", "-c", digests, database_url=target, media=media_dst)).splitlines()[-1])
    assert after == before and len(after) > 40
    assert after["reports_evidence"]["rows"] == 1 and after["projects_project"]["rows"] == 1
    assert (media_dst / evidence).read_bytes() == PDF == (media_src / evidence).read_bytes()

    again = touzi("restore", str(archive), database_url=target, media=media_dst)
    assert again.returncode == 1 and "目标不是空的" in again.stderr and "--force" in again.stderr

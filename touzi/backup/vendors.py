"""The database part of a backup: SQLite through its online backup API, PostgreSQL through pg_dump/pg_restore.

Both take the figures of the manifest from exactly the data they dump: SQLite from the copy it made,
PostgreSQL from the snapshot pg_dump reads (`pg_export_snapshot` in a REPEATABLE READ transaction).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from django.db import connection, connections, transaction

from touzi.backup.checksums import applied_migrations, database_digests

SNAPSHOT_ALIAS = "touzi_backup_copy"


class BackupError(Exception):
    """Shown to the operator as is (Chinese)."""


@contextlib.contextmanager
def _alias_for(path: Path) -> Iterator[str]:
    """A temporary database alias on an SQLite file, so the ORM can read the copy.

    The connection is registered without a settings entry: a connection made on the fly, which is
    neither listed among the configured databases nor left behind.
    """
    from django.db.backends.sqlite3.base import DatabaseWrapper

    config = {**connections.settings["default"], "ENGINE": "django.db.backends.sqlite3", "NAME": str(path),
              "OPTIONS": {}}
    # ConnectionHandler's private store (absent from django-stubs): the one place to add a connection unlisted.
    store = connections._connections  # type: ignore[attr-defined]
    setattr(store, SNAPSHOT_ALIAS, DatabaseWrapper(config, alias=SNAPSHOT_ALIAS))
    try:
        yield SNAPSHOT_ALIAS
    finally:
        connections[SNAPSHOT_ALIAS].close()
        delattr(store, SNAPSHOT_ALIAS)


def _sqlite_copy(source: str, target: str) -> None:
    """sqlite3's online backup: a consistent copy even while the server writes."""
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def dump(target: Path) -> tuple[str, dict[str, Any]]:
    """Write the database to `target`; return the member name and the manifest's database figures."""
    if connection.in_atomic_block:
        raise BackupError("备份不能在事务中运行")
    if connection.vendor == "sqlite":
        connection.ensure_connection()  # the server's own connection: also right for an in-memory database
        copy = sqlite3.connect(str(target))
        try:
            connection.connection.backup(copy)
        finally:
            copy.close()
        with _alias_for(target) as alias:
            return "database.sqlite3", {"tables": database_digests(alias), "migrations": applied_migrations(alias)}
    if connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            _pg("pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}",
                f"--file={target}")
            # Same snapshot as the dump: the figures describe exactly what was written.
            return "database.pgdump", {"tables": database_digests(), "migrations": applied_migrations()}
    raise BackupError(f"不支持的数据库:{connection.vendor}")


def _pg(program: str, *args: str) -> None:
    settings = connection.settings_dict
    if shutil.which(program) is None:
        raise BackupError(f"找不到 {program}:请安装 PostgreSQL 客户端(postgresql-client,与服务器同一大版本)")
    env = {**os.environ, "PGPASSWORD": settings.get("PASSWORD") or "", "PGCONNECT_TIMEOUT": "10"}
    command = [program, f"--host={settings.get('HOST') or 'localhost'}", f"--port={settings.get('PORT') or 5432}",
               f"--username={settings.get('USER') or ''}", f"--dbname={settings['NAME']}", *args]
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{program} 失败:{result.stderr.strip()[-2000:]}")


def existing_tables() -> dict[str, int]:
    """Tables already in the target database and their row counts (what a restore would overwrite)."""
    names = connection.introspection.table_names()
    counts = {}
    with connection.cursor() as cursor:
        for name in names:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(name)}")
            counts[name] = cursor.fetchone()[0]
    return counts


def load(member: Path, vendor: str, *, replace: bool) -> None:
    """Put the dumped database in place of the configured one (which must be empty unless `replace`)."""
    if vendor != connection.vendor:
        raise BackupError(f"备份来自 {vendor} 数据库,当前配置的是 {connection.vendor},不能直接恢复")
    if vendor == "sqlite":
        target = str(connection.settings_dict["NAME"])
        connection.close()
        Path(target).parent.mkdir(parents=True, exist_ok=True)
        _sqlite_copy(str(member), target)
        return
    connection.close()
    args = ["--no-owner", "--no-privileges", "--exit-on-error"]
    args += ["--clean", "--if-exists"] if replace else ["--single-transaction"]
    _pg("pg_restore", *args, str(member))


def read_figures() -> dict[str, Any]:
    return {"tables": database_digests(), "migrations": applied_migrations()}


Reader = Callable[[], dict[str, Any]]

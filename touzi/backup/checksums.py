"""Row counts and a content checksum per table, the same for the same data on SQLite and PostgreSQL.

Each table is read through its Django model in primary-key order, in chunks; every row becomes a
canonical line of JSON (times in UTC, decimals without trailing zeros, JSON sorted, bytes as hex)
that is hashed with SHA-256. So the figures do not depend on how a vendor stores or returns a value,
and a restore can be compared with the backup table by table.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db import models
from django.db.migrations.recorder import MigrationRecorder

CHUNK = 5000


def canonical(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        text = format(value, "f")
        return "D" + (text.rstrip("0").rstrip(".") if "." in text else text)
    if isinstance(value, float):
        return "F" + repr(value)
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC)
        return "T" + value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return "T" + value.isoformat()
    if isinstance(value, dt.timedelta):
        return "S" + str(value.total_seconds())
    if isinstance(value, bytes | bytearray | memoryview):
        return "B" + bytes(value).hex()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dict | list):
        return "J" + json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return str(value)


def table_models() -> dict[str, type[models.Model]]:
    """Every table Django keeps (the apps' models, many-to-many tables, django_migrations), by table name."""
    found: dict[str, type[models.Model]] = {}
    every: list[type[models.Model]] = [*apps.get_models(include_auto_created=True), MigrationRecorder.Migration]
    for model in every:
        meta = model._meta
        if meta.managed and not meta.proxy and not meta.swapped:
            found.setdefault(meta.db_table, model)
    return dict(sorted(found.items()))


def table_digest(model: type[models.Model], using: str) -> dict[str, Any]:
    names = [field.attname for field in model._meta.concrete_fields]
    rows = model._base_manager.using(using).order_by("pk").values_list(*names)
    digest, count = hashlib.sha256(), 0
    for row in rows.iterator(chunk_size=CHUNK):
        line = json.dumps([canonical(v) for v in row], ensure_ascii=False, separators=(",", ":"))
        digest.update(line.encode())
        digest.update(b"\n")
        count += 1
    return {"rows": count, "sha256": digest.hexdigest()}


def database_digests(using: str = "default") -> dict[str, dict[str, Any]]:
    """{table: {"rows": n, "sha256": hex}} for every table Django keeps that exists in the database."""
    from django.db import connections

    existing = set(connections[using].introspection.table_names())
    return {table: table_digest(model, using) for table, model in table_models().items() if table in existing}


def applied_migrations(using: str = "default") -> list[str]:
    recorder = MigrationRecorder.Migration.objects.using(using)
    return [f"{app}.{name}" for app, name in recorder.order_by("app", "name").values_list("app", "name")]

"""Inserting many rows without building a model instance for each (imports, audit records).

The caller hands over tuples of values already in the form the database takes: `db_value` converts
one value the way the model field would (dates, decimals, JSON), to be called once per distinct value
where values repeat. Defaults, auto_now and signals are the caller's business: name every column.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, models
from django.db.models import Expression


def db_value(model: type[models.Model], name: str, value: Any) -> Any:
    """`value` as the field `name` of `model` would send it to the database."""
    return _concrete_field(model, name).get_db_prep_save(value, connection)


def _concrete_field(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    """The model field `name` that has a column (not a reverse relation, which cannot be inserted)."""
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field) or field.column is None:
        raise TypeError(f"{model.__name__}.{name} is not a column")
    return field


def _column(model: type[models.Model], name: str) -> str:
    column = _concrete_field(model, name).column
    assert column is not None  # _concrete_field refuses a field without a column
    return column


def insert_rows(model: type[models.Model], names: Sequence[str], rows: Iterable[Sequence[Any]], *,
                batch_size: int = 5000) -> int:
    """Insert the rows (tuples in the order of `names`, database-ready) in order: COPY on PostgreSQL,
    executemany in batches elsewhere."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(_column(model, name)) for name in names)
    marks = ", ".join(["%s"] * len(names))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({marks})"
    count = 0
    batch: list[Sequence[Any]] = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY: one stream for all rows instead of a statement each (psycopg 3 adapts the values).
            with cursor.cursor.copy(f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            return count
        for row in rows:
            batch.append(row)
            if len(batch) >= batch_size:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


class Listed(Expression):
    """The values as a one-column subquery, for `field__in=Listed(values, "bigint")`: one parameter whatever
    their number, and no per-value preparation by the ORM (which costs more than the query for 20,000 ids).

    PostgreSQL unnests an array (`db_type` is its element type: bigint, text, date); SQLite reads a JSON
    array with json_each. The values must already be in the form the column compares with (ids, codes,
    ISO dates).
    """

    def __init__(self, values: Iterable[Any], db_type: str) -> None:
        super().__init__()
        self.values = list(values)
        self.db_type = db_type

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        return "SELECT value FROM json_each(%s)", (json.dumps(self.values, default=str),)

    def as_postgresql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        return f"SELECT unnest(%s::{self.db_type}[])", (self.values,)

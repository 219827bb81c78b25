"""Inserting many rows without building a model instance for each (imports, audit records).

The caller hands over tuples of values already in the form the database takes: `db_value` converts
one value the way the model field would (dates, decimals, JSON), to be called once per distinct value
where values repeat. Defaults, auto_now and signals are the caller's business: name every column.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from decimal import Decimal
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
        # Django binds parameters on the client: a Python list is turned into an array literal one element at a
        # time in Python (~0.1 s of CPU for 20,000 ids). Written here in one join, ints as the array's own text
        # form and text as one JSON document, the values reach the server as one literal each.
        if self.db_type in _INTEGER_TYPES and all(type(value) is int for value in self.values):
            return f"SELECT unnest(%s::{self.db_type}[])", ("{" + ",".join(map(str, self.values)) + "}",)
        if self.db_type == "text" and all(type(value) is str for value in self.values):
            return "SELECT jsonb_array_elements_text(%s::jsonb)", (json.dumps(self.values),)
        return f"SELECT unnest(%s::{self.db_type}[])", (self.values,)


_INTEGER_TYPES = frozenset({"bigint", "integer", "smallint"})


def listed_numbers(pairs: Sequence[tuple[int, Decimal]], alias: str = "f") -> tuple[str, list[Any]]:
    """A table `alias(id, value)` of (id, number) pairs as one FROM item, for a raw query joining the file's
    figures to grouped sums: (sql, params). Two parameters on PostgreSQL (an id array and a numeric array, each
    as its array text), one JSON array on SQLite, whose value is REAL there: callers compare loosely in SQL
    and decide exactly in Python."""
    if connection.vendor == "postgresql":
        ids = "{" + ",".join(str(int(pid)) for pid, _ in pairs) + "}"
        values = "{" + ",".join(str(Decimal(value)) for _, value in pairs) + "}"
        return f"unnest(%s::bigint[], %s::numeric[]) AS {alias}(id, value)", [ids, values]
    data = json.dumps([[int(pid), str(Decimal(value))] for pid, value in pairs])
    return (f"(SELECT json_extract(value, '$[0]') AS id, CAST(json_extract(value, '$[1]') AS REAL) AS value "
            f"FROM json_each(%s)) AS {alias}", [data])


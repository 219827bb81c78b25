"""Bounded types and documented error answers for the API's schemas, from the one definition in touzi.lib.bounds.

A value outside these types is refused before any code runs (400 with a Chinese detail, touzi.lib.apivalidation),
and the OpenAPI shows the bound, so a client (and schemathesis) knows it. `errors(...)` documents each refusal
an operation can give.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import WithJsonSchema

from touzi.lib.bounds import (
    ACCEPTED_DIGITS,
    FIRST_DAY,
    LAST_DAY,
    LIMIT_MAX,
    MEASURE_LIMIT,
    MEASURE_PLACES,
    MONEY_LIMIT,
    MONEY_PLACES,
    OFFSET_MAX,
    PERIOD_PATTERN,
    YEAR_MAX,
    YEAR_MIN,
)

# PostgreSQL cannot store NUL in text (psycopg refuses it with a server error), and no user types one.
NO_NUL = r"^[^\x00]*$"


def _decimal(*, digits: int, places: int, limit: Decimal, negative: bool, description: str) -> Any:
    """A Decimal bounded as its column, documented as a JSON number or a decimal string (exact, preferred)."""
    sign = "-?" if negative else ""
    low = {"exclusiveMinimum": float(-limit)} if negative else {"minimum": 0}
    documented = {"anyOf": [{"type": "number", **low, "exclusiveMaximum": float(limit)},
                            {"type": "string", "pattern": rf"^{sign}[0-9]{{1,{digits}}}(\.[0-9]{{1,{places}}})?$"}],
                  "description": description}
    bounds = {"gt": -limit} if negative else {"ge": 0}
    return Annotated[Decimal, Field(lt=limit, decimal_places=places, **bounds), WithJsonSchema(documented)]


_WHOLE = ACCEPTED_DIGITS - MONEY_PLACES
Money = _decimal(digits=_WHOLE, places=MONEY_PLACES, limit=MONEY_LIMIT, negative=False,
                 description=f"万元,不小于 0,最多 {_WHOLE} 位整数、{MONEY_PLACES} 位小数")
SignedMoney = _decimal(digits=_WHOLE, places=MONEY_PLACES, limit=MONEY_LIMIT, negative=True,
                       description=f"万元,可为负数,最多 {_WHOLE} 位整数、{MONEY_PLACES} 位小数")
Measure = _decimal(digits=ACCEPTED_DIGITS - MEASURE_PLACES, places=MEASURE_PLACES, limit=MEASURE_LIMIT,
                   negative=True, description=f"最多 {ACCEPTED_DIGITS - MEASURE_PLACES} 位整数、{MEASURE_PLACES} 位小数")
Period = Annotated[str, Field(pattern=PERIOD_PATTERN, description=f"YYYY-MM,{YEAR_MIN}—{YEAR_MAX} 年")]
Year = Annotated[int, Field(ge=YEAR_MIN, le=YEAR_MAX)]
Day = Annotated[dt.date, Field(ge=FIRST_DAY, le=LAST_DAY, description=f"YYYY-MM-DD,{YEAR_MIN}—{YEAR_MAX} 年")]
Offset = Annotated[int, Field(ge=0, le=OFFSET_MAX)]
Limit = Annotated[int, Field(ge=1, le=LIMIT_MAX)]
# A row's primary key given as a filter: no row lies beyond it, and SQLite's INTEGER would overflow on a larger one.
RowId = Annotated[int, Field(ge=1, le=2**31 - 1)]
Key = Annotated[str, Field(max_length=64, pattern=NO_NUL)]


# A free text field: no NUL. Where it has a column of bounded length (VARCHAR on PostgreSQL), no longer than it:
# `Annotated[Text, MaxLen(64)]` (a type the checker reads; pydantic merges the two constraints).
Text = Annotated[str, Field(pattern=NO_NUL)]


class ErrorOut(Schema):
    """A refusal: `detail` says why (in Chinese), `field` names the field when one is to blame."""

    detail: str
    field: str | None = None


class InvalidOut(Schema):
    """422: the request is not in the API's shape (a wrong type, a missing or unknown field)."""

    detail: list[dict[str, Any]]


def errors(*codes: int) -> dict[int, Any]:
    """Documented error answers for an operation's `response=`; 401 is always among them (every call is signed)."""
    return {code: (InvalidOut if code == 422 else ErrorOut) for code in sorted({401, *codes})}


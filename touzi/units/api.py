from __future__ import annotations

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from touzi.core.http import TouziRequest
from touzi.core.scoping import scope
from touzi.lib.apischema import Key, errors
from touzi.units.models import Unit

router = Router(tags=["units"])


class UnitOut(Schema):
    key: str
    name: str
    short_name: str
    name_en: str
    kind: str
    division_code: str
    parent: str | None


def _out(unit: Unit) -> dict:
    return {"key": unit.key, "name": unit.name, "short_name": unit.short_name, "name_en": unit.name_en,
            "kind": unit.kind, "division_code": unit.division_code,
            "parent": unit.parent.key if unit.parent is not None else None}


@router.get("", response={200: list[UnitOut], **errors(400, 422)}, summary="单位")
def list_units(request: TouziRequest, kind: Key | None = None):
    units = scope(request.user, Unit.objects.select_related("parent"))
    if kind:
        units = units.filter(kind=kind)
    return [_out(u) for u in units]


@router.get("/{key}", response={200: UnitOut, **errors(400, 404, 422)}, summary="单位详情")
def get_unit(request: TouziRequest, key: Key):
    return _out(get_object_or_404(scope(request.user, Unit.objects.select_related("parent")), key=key))

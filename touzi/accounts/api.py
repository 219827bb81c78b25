from __future__ import annotations

from ninja import Router, Schema

from touzi.core.http import TouziRequest
from touzi.lib.apischema import errors

router = Router(tags=["accounts"])


class MeOut(Schema):
    username: str
    display_name: str
    role: str
    role_label: str
    unit: str | None
    work_group: str | None


@router.get("", response={200: MeOut, **errors()}, summary="当前用户")
def me(request: TouziRequest):
    user = request.user
    return {"username": user.username, "display_name": user.display_name, "role": user.role,
            "role_label": str(user.get_role_display()), "unit": user.unit.key if user.unit is not None else None,
            "work_group": user.work_group.key if user.work_group is not None else None}

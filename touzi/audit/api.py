"""GET /api/v1/audit/records: the audit trail for audit.view_auditrecord holders, read only, keyset paged."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _
from ninja import Router, Schema

from touzi.audit.forms import AuditFilterForm
from touzi.audit.selectors import filtered, keyset_page, visible_records
from touzi.core.http import TouziRequest
from touzi.lib.apischema import errors
from touzi.lib.errors import BusinessError, Forbidden

router = Router(tags=["audit"])
MAX_LIMIT = 500


class RecordOut(Schema):
    id: int
    at: dt.datetime
    actor: str
    source: str
    ip: str | None
    request_id: str
    event: str
    object_type: str
    object_id: str
    object_repr: str
    subject: str
    before: Any
    after: Any
    success: bool
    message: str
    hash: str
    prev_hash: str


class PageOut(Schema):
    records: list[RecordOut]
    next_before: int | None  # pass as ?before= for the next (older) page; null on the last page


@router.get("/records", response={200: PageOut, **errors(400, 403, 422)})
def records(request: TouziRequest, before: int | None = None, limit: int = 100) -> dict[str, Any]:
    """Newest first. Filters as on the audit page: date_from, date_to (YYYY-MM-DD), actor, event, source,
    object_type, object_id, success (true/false), q (free text)."""
    if not request.user.has_perm("audit.view_auditrecord"):
        raise Forbidden(_("只有审计管理员和审计人员可以查看审计记录"))
    form = AuditFilterForm(request.GET)
    if not form.is_valid():
        field, errors = next(iter(form.errors.items()))
        raise BusinessError(str(errors[0]), field=None if field == "__all__" else field)
    if not 1 <= limit <= MAX_LIMIT:
        raise BusinessError(_("limit 应在 1 到 %(max)s 之间") % {"max": MAX_LIMIT}, field="limit")
    page = keyset_page(filtered(visible_records(request.user), form.cleaned_data), before=before, size=limit)
    return {"records": [_out(r) for r in page.records], "next_before": page.older}


def _out(r: Any) -> dict[str, Any]:
    return {"id": r.id, "at": r.at, "actor": r.actor_name, "source": r.source, "ip": r.ip,
            "request_id": r.request_id, "event": r.event, "object_type": r.object_type, "object_id": r.object_id,
            "object_repr": r.object_repr, "subject": r.subject, "before": r.before, "after": r.after,
            "success": r.success, "message": r.message, "hash": r.hash, "prev_hash": r.prev_hash}

"""The seed's limits on government investment (三(二)2): 严禁新建楼堂馆所.

A project is a **楼堂馆所** (a government office building, hall, guesthouse or training centre) when it is
government-invested and its type says so: its industry (GB/T 4754 大类) is one of the public-administration
divisions 91 中国共产党机关, 92 国家机构, 93 人民政协、民主党派, 95 群众团体、社会团体和其他成员组织, or its name
names such a building (办公楼、办公用房、业务用房、行政中心、培训中心、会堂、宾馆、招待所、楼堂馆所 …). A
repair or refit (维修、改造、加固、装修) is not new building and passes. A flagged project is refused at
registration unless the plan office has recorded an exemption (an OfficeExemption: the approving document)
for its code or its name; the exemption is then tied to the project. The auditor reads the check's result
for every government-invested project and every exemption on the limits page.
"""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from touzi.audit.choices import Event
from touzi.audit.services import record
from touzi.core.actor import Actor, allowed, is_system, user_of
from touzi.core.scoping import Action, scope, scope_of
from touzi.disclosure.models import OfficeExemption
from touzi.lib.errors import BusinessError, Forbidden
from touzi.projects.models import Project
from touzi.projects.services import normalized_name

OFFICE_INDUSTRIES = frozenset({"91", "92", "93", "95"})
OFFICE_WORDS = ("楼堂馆所", "办公楼", "办公大楼", "办公用房", "业务用房", "行政中心", "市民中心", "培训中心",
                "会议中心", "会堂", "礼堂", "宾馆", "招待所", "接待中心")
REPAIR_WORDS = ("维修", "改造", "加固", "装修", "修缮", "节能改造", "抗震")
_OFFICE = re.compile("|".join(OFFICE_WORDS))


def office_reason(name: str, industry: str, is_government: bool) -> str:
    """Why a project is a 楼堂馆所 ("" if it is not): the word of its name or its industry division."""
    if not is_government:
        return ""
    if any(word in name for word in REPAIR_WORDS):
        return ""
    found = _OFFICE.search(name or "")
    if found:
        return _("名称含「%(word)s」") % {"word": found.group(0)}
    if industry in OFFICE_INDUSTRIES:
        return _("行业为公共管理大类 %(code)s") % {"code": industry}
    return ""


def exemption_for(project: Project) -> OfficeExemption | None:
    key = normalized_name(project.name)
    candidates = OfficeExemption.objects.filter(project__isnull=True)
    if project.code:
        by_code = candidates.filter(project_code=project.code).first()
        if by_code:
            return by_code
    for exemption in candidates.filter(project_code="").only("id", "project_name"):
        if normalized_name(exemption.project_name) == key:
            return exemption
    return None


def office_building_check(project: Project, extra: dict[str, Any], actor: Any) -> None:
    """The registration check (a projects hook): refuse a new government office building without exemption."""
    reason = office_reason(project.name, project.industry, project.is_government)
    if not reason:
        return
    exemption = exemption_for(project)
    if exemption is None:
        raise BusinessError(_("严禁新建楼堂馆所:该政府投资项目%(reason)s,须先由领导小组办公室登记批准文件(豁免)后方可登记")
                            % {"reason": reason}, field="name")
    exemption.project = project
    exemption.save(update_fields=["project"])
    record(Event.UPDATE, actor=actor, obj=exemption, subject=project.subject,
           after={"project": project.pk, "check": reason}, message="楼堂馆所豁免已用于项目登记")


@transaction.atomic
def record_exemption(*, project_name: str, project_code: str = "", document: str, reason: str,
                     actor: Actor) -> OfficeExemption:
    if not allowed(actor, lambda user: scope_of(user).is_office):
        raise Forbidden(_("只有领导小组办公室可以登记楼堂馆所豁免"))
    if not project_name.strip() or not document.strip() or not reason.strip():
        raise BusinessError(_("请填写项目名称、批准文件和理由"))
    exemption = OfficeExemption.objects.create(
        project_name=project_name.strip()[:255], project_code=project_code.strip()[:24],
        document=document.strip()[:255], reason=reason.strip(),
        recorded_by=None if is_system(actor) else user_of(actor))
    record(Event.CREATE, actor=actor, obj=exemption,
           after={"project_name": exemption.project_name, "project_code": exemption.project_code,
                  "document": exemption.document, "reason": exemption.reason})
    return exemption


def office_projects(user: Any) -> QuerySet[Project]:
    """The government-invested projects the check concerns (flagged by industry or by a word of the name)."""
    words = Q()
    for word in OFFICE_WORDS:
        words |= Q(name__contains=word)
    return (scope(user, Project.objects.filter(is_government=True), Action.VIEW)
            .filter(words | Q(industry__in=OFFICE_INDUSTRIES))
            .select_related("county", "owner").prefetch_related("office_exemptions").order_by("name"))

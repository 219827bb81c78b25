"""Each role is a Django group holding real permissions; `sync_role_groups` keeps them in step with the code."""

from __future__ import annotations

from typing import Any

from touzi.accounts.choices import Role

_READ_PLAN = ["plans.view_plan", "plans.view_target", "plans.view_task", "plans.view_workgroup",
              "plans.view_indicator", "units.view_unit", "plans.view_domain", "plans.view_collection"]
_READ_PROJECTS = ["projects.view_project", "projects.view_annualplan", "reports.view_monthlyreport",
                  "reports.view_adjustment", "reports.view_monthlock"]
_KEEP_PROJECTS = [*_READ_PROJECTS, "projects.add_project", "projects.change_project", "projects.change_annualplan",
                  "imports.add_importbatch"]
_REPORT = ["reports.add_monthlyreport", "reports.change_monthlyreport", "reports.add_adjustment"]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.PLAN_OFFICE: [*_READ_PLAN, "plans.load_plan", *_KEEP_PROJECTS, *_REPORT, "reports.add_monthlock",
                       "projects.roll_plan", "briefings.publish_briefing", "briefings.view_briefingrecord",
                       "assessment.adjust_assessment"],
    Role.SUBGROUP: [*_READ_PLAN, *_READ_PROJECTS],
    Role.LEAD_UNIT: [*_READ_PLAN, *_KEEP_PROJECTS],
    Role.COUNTY: [*_READ_PLAN, *_KEEP_PROJECTS, *_REPORT],
    Role.OWNER: [*_READ_PLAN, *_KEEP_PROJECTS, *_REPORT],
    Role.STATISTICS: [*_READ_PLAN, *_READ_PROJECTS, "reports.review_monthlyreport", "reports.add_monthlock",
                      "briefings.view_briefingrecord"],
    Role.BANK: _READ_PLAN,
    Role.APPROVER: _READ_PLAN,
    Role.AUDITOR: [*_READ_PLAN, *_READ_PROJECTS, "audit.view_auditrecord"],
    Role.SYSTEM_ADMIN: ["accounts.view_user", "accounts.add_user", "accounts.change_user", "units.view_unit"],
    Role.SECURITY_ADMIN: ["accounts.view_user", "accounts.change_role", "auth.view_group"],
    Role.AUDIT_ADMIN: ["audit.view_auditrecord"],
    Role.UNASSIGNED: [],
}


def group_name(role: str) -> str:
    return f"role:{role}"


def sync_role_groups(**kwargs: Any) -> None:
    """Create one group per role with exactly the permissions above (runs after every migrate)."""
    from django.contrib.auth.models import Group, Permission

    for role, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name(role))
        wanted = []
        for perm in perms:
            app_label, codename = perm.split(".")
            found = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if found is not None:
                wanted.append(found)
        group.permissions.set(wanted)

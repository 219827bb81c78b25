"""The roles of DESIGN.md: core vocabulary, since deciding what a role sees (touzi.core.scoping) is core's job.

`touzi.accounts.choices` re-exports them: accounts stores a user's role, core and every app read it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The roles of DESIGN.md. An account holds exactly one (三员分立 follows from that)."""

    PLAN_OFFICE = "plan_office", _("领导小组办公室")
    SUBGROUP = "subgroup", _("专项工作组")
    LEAD_UNIT = "lead_unit", _("牵头单位")
    COUNTY = "county", _("县区/园区")
    OWNER = "owner", _("项目业主")
    STATISTICS = "statistics", _("统计局")
    BANK = "bank", _("金融机构")
    AUDITOR = "auditor", _("审计")
    SYSTEM_ADMIN = "system_admin", _("系统管理员")
    SECURITY_ADMIN = "security_admin", _("安全管理员")
    AUDIT_ADMIN = "audit_admin", _("审计管理员")
    # An account the system administrator created and the security administrator has not yet given a role.
    UNASSIGNED = "unassigned", _("待分配角色")


# Roles that see every business record (read), as DESIGN.md's "what they see" says.
SEE_EVERYTHING = frozenset({Role.PLAN_OFFICE, Role.STATISTICS, Role.AUDITOR})
# The three administrators (三员) keep the system, not the plan: no business data.
ADMINISTRATORS = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})
# Roles that see no business data at all.
NO_BUSINESS = ADMINISTRATORS | {Role.UNASSIGNED}
# Roles whose scope is the unit they belong to, which is therefore required.
UNIT_BOUND = frozenset({Role.LEAD_UNIT, Role.COUNTY, Role.OWNER, Role.STATISTICS, Role.BANK})

"""The demo's accounts: one per role, all with the public demo password (README, `scripts/demo`).

Only the demo knows them: the demo's sign-in guard (touzi.demo.backends) and system check
(touzi.demo.checks) refuse them outside demo mode, so that a real installation never carries a public
password.
"""

from __future__ import annotations

from dataclasses import dataclass

from touzi.accounts.choices import Role

DEMO_PASSWORD = "Touzi#2021demo"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: Role
    unit_key: str | None
    display_name: str
    work_group_key: str | None = None


DEMO_ACCOUNTS = [
    DemoAccount("office", Role.PLAN_OFFICE, "drc", "领导小组办公室(市发展改革委)"),
    DemoAccount("industry-group", Role.SUBGROUP, None, "工业项目组", "industry"),
    DemoAccount("bureau", Role.LEAD_UNIT, "industry", "市工业和信息化局"),
    DemoAccount("county", Role.COUNTY, "hepu", "合浦县人民政府"),
    DemoAccount("county2", Role.COUNTY, "yinhai", "银海区人民政府"),
    DemoAccount("owner", Role.OWNER, "airport", "北海机场(项目业主)"),
    DemoAccount("stats", Role.STATISTICS, "stats", "市统计局"),
    DemoAccount("bank", Role.BANK, "demo-bank", "演示银行北海分行"),
    DemoAccount("auditor", Role.AUDITOR, "audit", "市审计局"),
    DemoAccount("approver", Role.APPROVER, "natres", "市自然资源局(审批部门)"),
    DemoAccount("approver2", Role.APPROVER, "housing", "市住房城乡建设局(审批部门)"),
    DemoAccount("forestry", Role.LEAD_UNIT, "forestry", "市林业局(林地定额主管部门)"),
    DemoAccount("province", Role.PLAN_OFFICE, "gx-drc", "自治区领导小组办公室(示例省级方案)"),
    DemoAccount("sysadmin", Role.SYSTEM_ADMIN, None, "系统管理员"),
    DemoAccount("secadmin", Role.SECURITY_ADMIN, None, "安全管理员"),
    DemoAccount("auditadmin", Role.AUDIT_ADMIN, None, "审计管理员"),
]
DEMO_USERNAMES = frozenset(account.username for account in DEMO_ACCOUNTS)

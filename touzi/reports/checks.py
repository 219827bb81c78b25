"""The checks of the ledger (不重不漏, 数出有据), one message each, shared by the form, the API and the import."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext as _

from touzi.lib.bounds import day_problem, money_problem


def month_problem(month: dt.date, *, current_month: dt.date, combined: bool, locked: bool) -> str | None:
    if day_problem(month):
        return day_problem(month)
    if month > current_month:
        return _("不能填报未来月份 %(month)s") % {"month": f"{month:%Y-%m}"}
    if month.month == 1 and combined:
        return _("%(year)s年1—2月合并报送,请填报 %(year)s-02(1—2月)") % {"year": month.year}
    if locked:
        return _("%(month)s 已锁定,更正请提交调整并说明原因") % {"month": f"{month:%Y-%m}"}
    return None


def amount_problem(amount: Decimal | None) -> str | None:
    if amount is None:
        return _("请填写本月完成投资(万元)")
    if amount < 0:
        return _("本月完成投资不能为负数;冲减已锁定月份的数据请提交调整")
    problem = money_problem(amount)
    return _("本月完成投资%(problem)s") % {"problem": problem} if problem else None


def cap_problem(total: Decimal, cap: Decimal) -> str | None:
    if total > cap:
        return _("自开工累计完成投资 %(total)s 万元将超过总投资 %(cap)s 万元") % {
            "total": format(total.normalize(), "f"), "cap": format(cap.normalize(), "f")}
    return None


def is_spike(amount: Decimal, recent_average: Decimal | None, factor: Decimal) -> bool:
    """A month far above the project's own recent average: flagged for the reviewer, never refused."""
    return bool(recent_average and recent_average > 0 and amount > recent_average * factor)


def duplicate_in_file() -> str:
    return _("同一项目同一报告期在文件中出现多次(不重复填报)")


def already_accepted() -> str:
    return _("该月报已审核通过,如需更正请联系统计局退回")

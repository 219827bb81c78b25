"""The checks of the ledger (不重不漏, 数出有据), one message each, shared by the form, the API and the import.

Each answers a `Message` (code and parameters): the form and the API show it at once (`str()`), the import
stores it with the row and shows it later in the reader's language.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from touzi.lib.bounds import FIRST_DAY, LAST_DAY, YEAR_MAX, YEAR_MIN, money_problem
from touzi.lib.messages import Message, define

MSG_DAY = define("reports.day_range", _("日期应在 %(min)s 年到 %(max)s 年之间"))
MSG_FUTURE = define("reports.future_month", _("不能填报未来月份 %(month)s"))
MSG_JAN_FEB = define("reports.jan_feb", _("%(year)s年1—2月合并报送,请填报 %(year)s-02(1—2月)"))
MSG_LOCKED = define("reports.locked_month", _("%(month)s 已锁定,更正请提交调整并说明原因"))
MSG_AMOUNT_MISSING = define("reports.amount_missing", _("请填写本月完成投资(万元)"))
MSG_AMOUNT_NEGATIVE = define("reports.amount_negative", _("本月完成投资不能为负数;冲减已锁定月份的数据请提交调整"))
# The bound's own words (lib.bounds) come already in the language of whoever was checked.
MSG_AMOUNT_BOUND = define("reports.amount_bound", _("本月完成投资%(problem)s"))
MSG_CAP = define("reports.cap", _("自开工累计完成投资 %(total)s 万元将超过总投资 %(cap)s 万元"))
MSG_DUPLICATE = define("reports.duplicate_in_file", _("同一项目同一报告期在文件中出现多次(不重复填报)"))
MSG_ACCEPTED = define("reports.already_accepted", _("该月报已审核通过,如需更正请联系统计局退回"))


def month_problem(month: dt.date, *, current_month: dt.date, combined: bool, locked: bool) -> Message | None:
    if not FIRST_DAY <= month <= LAST_DAY:
        return MSG_DAY(min=YEAR_MIN, max=YEAR_MAX)
    if month > current_month:
        return MSG_FUTURE(month=f"{month:%Y-%m}")
    if month.month == 1 and combined:
        return MSG_JAN_FEB(year=month.year)
    if locked:
        return MSG_LOCKED(month=f"{month:%Y-%m}")
    return None


def amount_problem(amount: Decimal | None) -> Message | None:
    if amount is None:
        return MSG_AMOUNT_MISSING()
    if amount < 0:
        return MSG_AMOUNT_NEGATIVE()
    problem = money_problem(amount)
    return MSG_AMOUNT_BOUND(problem=problem) if problem else None


def cap_problem(total: Decimal, cap: Decimal) -> Message | None:
    if total > cap:
        return MSG_CAP(total=format(total.normalize(), "f"), cap=format(cap.normalize(), "f"))
    return None


def is_spike(amount: Decimal, recent_average: Decimal | None, factor: Decimal) -> bool:
    """A month far above the project's own recent average: flagged for the reviewer, never refused."""
    return bool(recent_average and recent_average > 0 and amount > recent_average * factor)


def duplicate_in_file() -> Message:
    return MSG_DUPLICATE()


def already_accepted() -> Message:
    return MSG_ACCEPTED()

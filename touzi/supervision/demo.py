"""Demo supervision (督办): tasks the plan office raised from December 2023's red warnings, one in each state a task
goes through — 已下发, 整改中, 已整改 (awaiting 核销), 退回 and 已核销 — handled by the demo accounts of the units they
went to, through the same services as the pages (touzi.supervision.services).

Deterministic (the warnings in the list's order) and run once (nothing when the plan has a task). Deadlines count
from the day the demo is set up: the service refuses a deadline in the past.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from touzi.accounts.models import User
from touzi.core.actor import Actor, System
from touzi.monitoring.alerts import Alert, alerts
from touzi.plans.models import Plan
from touzi.projects.models import Project
from touzi.supervision.models import SupervisionTask
from touzi.supervision.services import answer, close, raise_task, send_back, start, units_for_warning

MONTH = dt.date(2023, 12, 1)
ACTION = "请于时限内整改到位并报送整改情况和佐证材料"
TASKS = 5  # issued; started; answered; answered and sent back; answered and closed
# What the unit answered to the third, fourth and fifth task (the fourth is sent back, the fifth closed).
ANSWERS = {2: "已约谈施工总承包单位,增加作业面和施工人员,12月完成投资已补报入库,下月起按周报送形象进度。",
           3: "已督促业主单位补报月报。", 4: "已协调自然资源部门完成用地报批,项目已于12月下旬开工,开工报告见附件。"}
RETURN_REASON = "整改情况未附佐证材料,且未说明补报的完成投资额,请补充后重新报送。"


def seed(plan: Plan) -> list[SupervisionTask]:
    if SupervisionTask.objects.filter(plan=plan).exists():
        return []
    office: Actor = User.objects.filter(username="office").first() or System("demo")
    doers = {u.unit_id: u for u in User.objects.filter(username__in=("bureau", "county", "county2", "owner"))}
    picked: list[tuple[Alert, User]] = []
    seen: set[int] = set()
    for alert in alerts(office, plan, MONTH):
        if alert.level != "red" or alert.unit_id not in doers or alert.project_id in seen:
            continue
        picked.append((alert, doers[alert.unit_id]))
        seen.add(alert.project_id)
        if len(picked) == TASKS:
            break
    today = timezone.localdate()
    tasks = []
    for i, (alert, doer) in enumerate(picked):
        unit, co_unit = units_for_warning(alert)
        task = raise_task(plan, problem=f"{alert.project_name}:{alert.reason}", required_action=ACTION,
                          responsible_unit=unit, co_responsible_unit=co_unit,
                          deadline=today + dt.timedelta(days=10 + 5 * i),
                          project=Project.objects.get(pk=alert.project_id),
                          warning_key=f"{alert.key}:{MONTH:%Y-%m}", actor=office)
        if i >= 1:
            task = start(task, actor=doer)
        if i in ANSWERS:
            task = answer(task, ANSWERS[i], actor=doer)
        if i == 3:
            task = send_back(task, RETURN_REASON, actor=office)
        if i == 4:
            task = close(task, actor=office)
        tasks.append(task)
    return tasks

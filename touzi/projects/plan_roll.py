"""`touzi plan roll YEAR [--plan KEY]`: roll the annual plans into the next year (续建、新开工).

A subcommand of plans' `touzi plan`, registered from ProjectsConfig.ready(): rolling is projects' act, and
plans (below projects) must not import it.
"""

from __future__ import annotations

from typing import Any

from touzi.plans.commands import Subcommand, plan_for
from touzi.projects.services import roll_plan


def _add_arguments(parser: Any) -> None:
    parser.add_argument("year", type=int)
    parser.add_argument("--plan", dest="plan_key", default=None, help="方案标识(默认方案);只滚动该方案地区的项目")


def _handle(command: Any, options: dict[str, Any]) -> None:
    plan = plan_for(options["plan_key"])
    summary = roll_plan(options["year"], plan=plan, actor=command.actor(options))
    command.stdout.write(f"{plan.name} {summary.year}年滚动计划:续建 {summary.continuing} 个,新开工 {summary.new_starts} 个,"
                         f"已有计划 {summary.unchanged} 个"
                         + (f",前期未就绪暂缓 {summary.held_back} 个" if summary.held_back else ""))


ROLL = Subcommand(help="把年度计划滚动到下一年(续建、新开工)", add_arguments=_add_arguments, handle=_handle)

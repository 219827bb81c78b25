"""The demo: the Beihai plan plus one account per role, so a newcomer can sign in as anyone."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from touzi.accounts.models import User
from touzi.accounts.services import create_user, set_role
from touzi.approvals.demo import seed as seed_approvals
from touzi.assessment.demo import seed as seed_assessment
from touzi.audit.choices import Event
from touzi.audit.services import record
from touzi.briefings.demo import seed as seed_briefings
from touzi.consulting.demo import seed as seed_consulting
from touzi.core.actor import System
from touzi.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD, DemoAccount
from touzi.demo.indicators import ensure_demo_indicators
from touzi.demo.mode import mark_demo_database
from touzi.demo.portfolio import ensure_demo_portfolio
from touzi.demo.province import ensure_demo_province, load_province_plan
from touzi.disclosure.demo import seed as seed_disclosure
from touzi.factors.demo import seed as seed_factors
from touzi.field.demo import seed as seed_field
from touzi.financing.demo import seed as seed_financing
from touzi.imports.demo import seed as seed_imports
from touzi.pipeline.demo import seed as seed_pipeline
from touzi.plans.loader import check_plan_file
from touzi.plans.models import Plan, WorkGroup
from touzi.plans.services import known_unit_keys, load_plan
from touzi.promotion.demo import seed as seed_promotion
from touzi.supervision.demo import seed as seed_supervision
from touzi.units.choices import UnitKind
from touzi.units.models import Unit


@transaction.atomic
def _ensure_demo_bank() -> Unit:
    bank = Unit.objects.filter(key="demo-bank").first()
    if bank is None:
        bank = Unit.objects.create(key="demo-bank", name="演示银行北海分行", short_name="演示银行",
                                   name_en="Demo Bank, Beihai Branch", kind=UnitKind.BANK)
        record(Event.CREATE, obj=bank, after={"key": bank.key, "name": bank.name})
    plan = Plan.objects.filter(key=settings.DEFAULT_PLAN_KEY).first()
    if plan is not None:
        plan.units.add(bank)  # a bank takes part in the plan's financing
    return bank


def ensure_demo(*, portfolio: bool = True) -> list[DemoAccount]:
    """Mark the database as a demo, load the default plan and create the demo accounts; running it again changes
    nothing."""
    # First: from here on the database holds accounts with the public demo password, which only a database
    # recorded as a demo may (touzi.demo.mode; the check and the sign-in refuse them elsewhere).
    mark_demo_database(actor=System("demo"))
    content = settings.DEFAULT_PLAN_FILE.read_bytes()
    load_plan(check_plan_file(content, settings.DEFAULT_PLAN_FILE.name, known_unit_keys()), actor=System("demo"))
    load_province_plan()  # beside Beihai's, so that the plan switch can be seen
    _ensure_demo_bank()
    plan = Plan.objects.get(key=settings.DEFAULT_PLAN_KEY)
    for account in DEMO_ACCOUNTS:
        unit = Unit.objects.get(key=account.unit_key) if account.unit_key else None
        group = WorkGroup.objects.get(plan=plan, key=account.work_group_key) if account.work_group_key else None
        user = User.objects.filter(username=account.username).first()
        if user is None:
            create_user(account.username, DEMO_PASSWORD, role=account.role, unit=unit, work_group=group,
                        display_name=account.display_name, actor=System("demo"))
        elif (user.role, user.unit_id, user.work_group_id) != (account.role, getattr(unit, "pk", None),
                                                               getattr(group, "pk", None)):
            set_role(user, account.role, unit=unit, work_group=group, actor=System("demo"))
    if portfolio:
        ensure_demo_portfolio()
        ensure_demo_indicators(plan)
        seed_approvals(plan, actor=System("demo"))
        ensure_demo_province()
        seed_promotion()  # the promotion register (招商签约项目, 到位资金): touzi/promotion/demo.py
        seed_consulting()  # consulting firms, engagements, stage figures (估算→概算→预算): touzi/consulting/demo.py
        seed_assessment(plan)  # manual adjustments beside the plan file's schemes: touzi/assessment/demo.py
        seed_pipeline(plan)  # concepts, milestones, 前期经费, 统计入库: touzi/pipeline/demo.py
        seed_disclosure()  # the public disclosure portal's published subset: touzi/disclosure/demo.py
        seed_field()  # project locations and site photos (the map, the galleries): touzi/field/demo.py
        seed_financing()  # funds by source, bonds, PPP, needs with the banks' steps: touzi/financing/demo.py
        seed_factors()  # the factor ledgers (要素指标, 配置, 存量土地): touzi/factors/demo.py
        seed_supervision(plan)  # 督办 tasks from December's red warnings, one in each state: touzi/supervision/demo.py
        seed_briefings(plan)  # November's briefing 印发, December's a draft: touzi/briefings/demo.py
        seed_imports()  # the county's December workbook, refused with its row-by-row report: touzi/imports/demo.py
    return DEMO_ACCOUNTS

"""Demo briefings (月度通报): November 2023's briefing generated and 印发 with its number, December's a draft — what
the plan office's month looks like, made by the same services as the page (touzi.briefings.services).

Run once (nothing when the plan has a briefing). The figures are those of the demo ledger when the demo is set up.
"""

from __future__ import annotations

import datetime as dt

from touzi.accounts.models import User
from touzi.briefings.models import BriefingRecord
from touzi.briefings.services import generate, publish
from touzi.core.actor import Actor, System
from touzi.plans.models import Plan

PUBLISHED, DRAFT = dt.date(2023, 11, 1), dt.date(2023, 12, 1)


def seed(plan: Plan) -> list[BriefingRecord]:
    if BriefingRecord.objects.filter(plan=plan).exists():
        return []
    office: Actor = User.objects.filter(username="office").first() or System("demo")
    issued = publish(generate(plan, PUBLISHED, actor=office), actor=office)
    return [issued, generate(plan, DRAFT, actor=office)]

"""Demo disclosure (信息公开): a realistic subset of the demo city's government-invested projects published.

Deterministic (`random.Random(seed)`), quick (bulk writes, one audit record for the lot) and run once: most of
the projects at or above the threshold have their items approved and public (the items a project of its stage
would have: tenders and parties once it started, the 竣工决算 once it is complete), a few items carry a
correction, a few wait for approval (never public), three 前期 projects consult the public (opinions approved
and answered, pending, rejected; one consultation decided), one project is suspended and one scaled down, and
an exempted office building is registered past the 楼堂馆所 check.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from touzi.audit.choices import Event
from touzi.audit.services import record
from touzi.core.actor import System
from touzi.disclosure.choices import ConsultationState, ItemKind, OpinionState, VersionState
from touzi.disclosure.limits import record_exemption
from touzi.disclosure.models import Consultation, DisclosureItem, ItemVersion, Opinion
from touzi.disclosure.services import default_responsible, disclosable, threshold_wan
from touzi.lib.errors import BusinessError
from touzi.projects.choices import FundingSource, Stage
from touzi.projects.models import Project
from touzi.projects.services import ProjectInput, create_project, move_stage

CUTOFF = dt.date(2023, 12, 31)
STARTED = (Stage.NEW_START, Stage.CONTINUING, Stage.SCALED_DOWN, Stage.SUSPENDED, Stage.COMPLETED,
           Stage.IN_OPERATION)
DONE = (Stage.COMPLETED, Stage.IN_OPERATION)
BUILDERS = ["广西建工集团第一建筑工程有限责任公司", "中国建筑第八工程局有限公司", "广西北部湾投资集团建设有限公司",
            "中交第四航务工程局有限公司", "广西路桥工程集团有限公司", "中铁二十五局集团有限公司",
            "北海市城市建设工程有限公司", "广西水利电力建设集团有限公司"]
DESIGNERS = ["广西壮族自治区建筑科学研究设计院", "华蓝设计(集团)有限公司", "中国市政工程中南设计研究总院有限公司",
             "广西交通设计集团有限公司", "北海市规划设计院"]
SUPERVISORS = ["广西建设监理有限责任公司", "北海市建设工程监理有限公司", "广西恒基建设监理有限公司",
               "中咨工程管理咨询有限公司"]
METHODS = [("open", "公开招标"), ("open", "公开招标"), ("open", "公开招标"), ("invited", "邀请招标"),
           ("consultation", "竞争性磋商")]
OPINIONS = [
    ("建议施工期间合理安排作业时间,夜间减少噪声,方便周边居民休息。", True, "已要求施工单位严格控制夜间施工并设置隔音屏障。"),
    ("希望项目同步建设无障碍设施和公共停车位。", True, "设计方案已增加无障碍通道和停车位。"),
    ("建议公开项目环评结论,接受监督。", True, "环评批复将在审批完成后公开。"),
    ("项目选址离学校较近,建议优化出入口位置。", True, "已调整主出入口至东侧道路。"),
    ("广告:专业代办各类证件,价格优惠。", False, ""),
    ("建议加快建设进度。", None, ""),
]


def _day_between(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    if last <= first:
        return first
    return first + dt.timedelta(days=rng.randrange((last - first).days + 1))


def _texts(project: Project, rng: random.Random) -> dict[str, tuple[str, dict]]:
    total = project.total_investment
    fiscal = project.fiscal_contribution
    funding = [{"source": f.source, "label": str(FundingSource(f.source).label), "amount": str(f.amount)}
               for f in project.funding.all()] or [{"source": FundingSource.FISCAL,
                                                    "label": str(FundingSource.FISCAL.label), "amount": str(fiscal)}]
    texts: dict[str, tuple[str, dict]] = {
        ItemKind.SCOPE: (f"{project.description or project.name}总投资{total:.2f}万元,建设地点位于{project.county.name}。"
                         "主要建设内容以批复的可行性研究报告和初步设计为准。", {}),
        ItemKind.NECESSITY: (f"项目列入北海市重大项目建设三年行动计划,属{project.domain.name}领域补短板项目。"
                             "依据:项目建议书批复、可行性研究报告批复及国土空间规划。", {}),
        ItemKind.FUNDING: (f"项目总投资{total:.2f}万元,其中各级财政出资{fiscal:.2f}万元,资金来源见下表。",
                           {"lines": funding}),
    }
    if project.stage in STARTED:
        start = project.actual_start or dt.date(2021, 3, 1)
        tenders = []
        for n, lot in enumerate(("施工总承包", "工程监理", "勘察设计")[: rng.randint(1, 3)]):
            method, label = rng.choice(METHODS)
            winner = rng.choice({0: BUILDERS, 1: SUPERVISORS, 2: DESIGNERS}[n])
            share = Decimal(str({0: rng.uniform(0.55, 0.8), 1: rng.uniform(0.01, 0.02), 2: rng.uniform(0.02, 0.04)}[n]))
            tenders.append({"date": _day_between(rng, start - dt.timedelta(days=120), start).isoformat(),
                            "method": method, "method_label": label, "title": f"{project.name}{lot}",
                            "winner": winner, "amount": str((total * share).quantize(Decimal("0.01"))),
                            "link": f"https://ggzy.beihai.example/notice/{project.code or project.pk}-{n + 1}"})
        texts[ItemKind.TENDERS] = (f"项目依法依规开展招标,共{len(tenders)}个标段,中标结果如下。", {"tenders": tenders})
        parties = {"designer": [rng.choice(DESIGNERS)], "supervisor": [rng.choice(SUPERVISORS)],
                   "contractor": [t["winner"] for t in tenders[:1]]}
        texts[ItemKind.PARTIES] = ("项目设计、监理和施工单位如下。", parties)
    if project.stage in DONE:
        final = (total * Decimal(str(rng.uniform(0.9, 1.0)))).quantize(Decimal("0.01"))
        day = project.actual_completion or CUTOFF
        texts[ItemKind.COMPLETION] = (f"项目已竣工验收,竣工决算{final:.2f}万元,经审计确认。",
                                      {"amount": str(final), "date": day.isoformat(), "audited_by": "北海市审计局"})
    return texts


def seed(*, rng_seed: int = 2022, share: float = 0.7) -> int:
    """Publish the demo subset once (nothing if a demo item exists); returns how many items became public."""
    demo = Project.objects.filter(is_demo=True)
    if DisclosureItem.objects.filter(project__is_demo=True).exists():
        return 0
    rng = random.Random(rng_seed)
    candidates = list(disclosable(demo).select_related("county", "domain", "lead_unit").prefetch_related("funding")
                      .order_by("code", "id"))
    chosen = [p for p in candidates if rng.random() < share]
    now = timezone.now()
    with transaction.atomic():
        plan: list[tuple[DisclosureItem, list[ItemVersion]]] = []
        for project in chosen:
            first = max(project.actual_start or dt.date(2021, 6, 1), dt.date(2021, 6, 1))
            for kind, (text, data) in _texts(project, rng).items():
                day = _day_between(rng, first, CUTOFF)
                item = DisclosureItem(project=project, kind=kind, responsible=default_responsible(project),
                                      first_published_on=day, published_on=day)
                versions = [ItemVersion(number=1, text=text, data=data, state=VersionState.APPROVED,
                                        published_on=day, decided_at=now)]
                roll = rng.random()
                if roll < 0.08 and day < CUTOFF - dt.timedelta(days=30):  # a correction, published later
                    later = _day_between(rng, day + dt.timedelta(days=7), CUTOFF)
                    versions.append(ItemVersion(number=2, text=text.replace("。", ",数据已按最新批复更正。", 1),
                                                data=data, state=VersionState.APPROVED, published_on=later,
                                                decided_at=now, note="按调整后的批复文件更正金额"))
                    item.published_on = later
                elif roll < 0.13:  # a new text waiting for the bureau: never public
                    versions.append(ItemVersion(number=2, text=text + "(拟更新)", data=data,
                                                state=VersionState.PENDING, note="拟按最新进展更新"))
                plan.append((item, versions))
        DisclosureItem.objects.bulk_create([item for item, _ in plan], batch_size=500)
        ids = {(i.project_id, i.kind): i.pk for i in DisclosureItem.objects.filter(project__is_demo=True)}
        rows = []
        for item, versions in plan:
            for version in versions:
                version.item_id = ids[(item.project_id, item.kind)]
                rows.append(version)
        ItemVersion.objects.bulk_create(rows, batch_size=1000)
        consultations = _consultations(rng, candidates)
        record(Event.CREATE, actor=System("demo"), object_type="disclosure.demo", object_repr="演示信息公开",
               after={"projects": len(chosen), "items": len(plan), "versions": len(rows),
                      "consultations": consultations}, message="生成演示信息公开数据")
    _limits(candidates)
    return len(plan)


def _consultations(rng: random.Random, candidates: list[Project]) -> int:
    early = list(Project.objects.filter(is_demo=True, is_government=True, stage=Stage.PRELIMINARY)
                 .select_related("county").order_by("-fiscal_contribution", "id")[:3])
    if len(early) < 3:  # a small demo city: reserve projects above the threshold enter 前期 to consult
        reserve = (Project.objects.filter(is_demo=True, is_government=True, stage=Stage.RESERVE,
                                          fiscal_contribution__gte=threshold_wan())
                   .select_related("county").order_by("code", "id")[: 3 - len(early)])
        early += [move_stage(p, Stage.PRELIMINARY, actor=System("demo"), on_date=dt.date(2023, 8, 1),
                             reason="开展前期工作") for p in reserve]
    for n, project in enumerate(early):
        decided = n == 0
        opened = dt.date(2023, 9, 1) if decided else dt.date(2023, 12, 1)
        c = Consultation.objects.create(
            project=project, title=f"关于{project.name}建设方案征求意见的公告",
            question=(f"{project.name}拟于近期报批可行性研究报告。现就项目选址、建设规模和主要功能公开征求社会各界"
                      "意见建议,请在截止日期前通过本页面提出。"),
            # An open one stays open for two months from the day the demo is built, so its form can be tried.
            opened_on=opened, deadline=opened + dt.timedelta(days=30) if decided
            else max(opened + dt.timedelta(days=45), timezone.localdate() + dt.timedelta(days=60)),
            state=ConsultationState.DECIDED if decided else ConsultationState.OPEN,
            summary="共收到有效意见4条,采纳3条,部分采纳1条,未采纳的已逐条说明理由。" if decided else "",
            decision="经研究,项目按优化后的建设方案报批,同步建设无障碍设施和停车位。" if decided else "",
            decided_on=opened + dt.timedelta(days=40) if decided else None)
        opinions = OPINIONS if decided else OPINIONS[n:n + 3] + OPINIONS[-1:]
        for text, approved, answer in opinions:
            if approved is None:  # still waiting, or (decided) approved with a standing answer
                state = OpinionState.APPROVED if decided else OpinionState.PENDING
                answer = "已纳入施工组织计划统筹考虑。" if decided else ""
            else:
                state = OpinionState.APPROVED if approved else OpinionState.REJECTED
            Opinion.objects.create(consultation=c, text=text, state=state, answer=answer,
                                   sender=f"demo-{rng.randrange(10**6):06d}")
    return len(early)


def _limits(candidates: list[Project]) -> None:
    """One project suspended, one scaled down, and an exempted office building registered."""
    actor = System("demo")
    going = [p for p in candidates if p.stage == Stage.CONTINUING]
    if len(going) >= 2:
        move_stage(going[0], Stage.SUSPENDED, actor=actor, on_date=dt.date(2023, 6, 30),
                   reason="落实压减非生产性财政投入要求,项目暂停建设", document="北政办〔2023〕18号")
        target = going[1]
        move_stage(target, Stage.SCALED_DOWN, actor=actor, on_date=dt.date(2023, 7, 15),
                   reason="压缩非必要建设内容,取消附属配套用房", document="北发改投资〔2023〕52号",
                   new_total=(target.total_investment * Decimal("0.8")).quantize(Decimal("0.01")))
    if not candidates:
        return
    model = candidates[0]
    name = "北海市应急指挥中心业务用房"
    record_exemption(project_name=name, document="桂发改投资〔2022〕301号",
                     reason="应急指挥业务用房,经自治区批准纳入特殊业务用房建设计划", actor=actor)
    try:
        create_project(ProjectInput(values={
            "name": name, "domain": model.domain, "county": model.county, "owner": model.owner,
            "lead_unit": model.lead_unit, "total_investment": Decimal("12000"), "is_government": True,
            "fiscal_contribution": Decimal("12000"), "planned_start": dt.date(2024, 3, 1),
            "planned_completion": dt.date(2025, 12, 1), "description": "应急指挥中心业务用房", "is_demo": True,
        }), actor=actor)
    except BusinessError:  # pragma: no cover - the demo city already has it
        pass

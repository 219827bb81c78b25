"""Disclosure acts: prepare an item, approve or refuse its publication, open a consultation, take the public's
opinions, moderate and answer them, publish the decision. Atomic, audited, scoped.

Publication is decided, not leaked: the owner (or whoever may change the project) prepares a version of an
item; the item's responsible unit (or the plan office) approves it — never the person who prepared it. Only
approved versions are public (touzi/disclosure/public.py). Both steps refuse personal data
(touzi/disclosure/privacy.py). Correcting a published item is a new version: the public sees the newest and the
earlier ones as its correction history.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from touzi.audit.choices import Event
from touzi.audit.services import record
from touzi.core.actor import Actor, System, allowed, is_system, user_of
from touzi.core.scoping import Action, can, scope_of
from touzi.disclosure.choices import ConsultationState, ItemKind, OpinionState, VersionState
from touzi.disclosure.models import Consultation, DisclosureItem, ItemVersion, Opinion
from touzi.disclosure.privacy import check_public
from touzi.lib.errors import BusinessError, Conflict, Forbidden
from touzi.plans.models import Target
from touzi.projects.choices import Stage
from touzi.projects.models import Project
from touzi.units.models import Unit

THRESHOLD_TARGET = "disclosure-threshold"
MAX_TEXT = 20000


def threshold_wan() -> Decimal:
    """The plan's disclosure threshold of fiscal funding (财政出资1000万元以上), in 万元.

    Read from the plan's rule (the target `disclosure-threshold`); the setting TOUZI_DISCLOSURE_THRESHOLD_WAN
    when no plan states one."""
    target = Target.objects.filter(key=THRESHOLD_TARGET).order_by("-plan_id").first()
    if target is None:
        return Decimal(settings.DISCLOSURE_THRESHOLD_WAN)
    factor = {"亿元": Decimal(10000), "万元": Decimal(1), "元": Decimal("0.0001")}.get(target.unit_of_measure,
                                                                                     Decimal(1))
    return target.value * factor


def disclosable(qs: QuerySet[Project] | None = None) -> QuerySet[Project]:
    """Government-invested projects at or above the threshold: those the seed says must be published."""
    base = Project.objects.all() if qs is None else qs
    return base.filter(is_government=True, fiscal_contribution__gte=threshold_wan()).exclude(
        stage=Stage.RESERVE)


def _today() -> dt.date:
    return timezone.localdate()


def _may_change(actor: Actor, project: Project) -> bool:
    return allowed(actor, lambda user: can(user, project, Action.CHANGE))


def default_responsible(project: Project) -> Unit:
    """Who answers for a project's items by default: its lead unit (the bureau), else its county."""
    return project.lead_unit or project.county


def _clean_text(text: str, field: str = "text") -> str:
    text = (text or "").strip()
    if not text:
        raise BusinessError(_("请填写公示内容"), field=field)
    if len(text) > MAX_TEXT:
        raise BusinessError(_("内容过长(最多%(n)s字)") % {"n": MAX_TEXT}, field=field)
    return text


@transaction.atomic
def prepare_item(project: Project, kind: str, text: str, *, actor: Actor, data: dict[str, Any] | None = None,
                 note: str = "", responsible: Unit | None = None) -> ItemVersion:
    """The owner prepares (or corrects) an item: a pending version, public only once approved."""
    if kind not in ItemKind.values:
        raise BusinessError(_("没有这个公示事项:%(kind)s") % {"kind": str(kind)[:50]}, field="kind")
    if not _may_change(actor, project):
        raise Forbidden(_("无权为该项目准备公示内容"))
    if not disclosable(Project.objects.filter(pk=project.pk)).exists():
        raise BusinessError(_("该项目不是财政出资达到公示门槛的政府投资项目"))
    text = _clean_text(text)
    data = data or {}
    check_public(text, data, note)
    item, created = DisclosureItem.objects.select_for_update().get_or_create(
        project=project, kind=kind, defaults={"responsible": responsible or default_responsible(project)})
    if responsible is not None and not created and item.responsible_id != responsible.pk:
        item.responsible = responsible
        item.save(update_fields=["responsible"])
    if item.published_on and not note.strip():
        raise BusinessError(_("更正已公开的内容须说明更正原因"), field="note")
    # A newer text replaces a pending one (the bureau decides on the latest only).
    item.versions.filter(state=VersionState.PENDING).update(state=VersionState.REFUSED, refusal=_("已被新版本取代"))
    number = (item.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    version = ItemVersion.objects.create(item=item, number=number, text=text, data=data, note=note.strip()[:500],
                                         prepared_by=None if is_system(actor) else user_of(actor))
    record(Event.CREATE, actor=actor, obj=version, subject=project.subject,
           after={"kind": kind, "number": number, "text": text, "data": data, "note": version.note})
    return version


def may_approve(actor: Actor, item: DisclosureItem) -> bool:
    def check(user: Any) -> bool:
        who = scope_of(user)
        return who.business and (who.is_office or item.responsible_id in who.unit_ids)

    return allowed(actor, check)


@transaction.atomic
def approve_version(version: ItemVersion, *, actor: Actor, on: dt.date | None = None) -> ItemVersion:
    """The responsible unit approves publication: the version becomes the item's public text."""
    locked = ItemVersion.objects.select_for_update().select_related("item", "item__project").get(pk=version.pk)
    item = locked.item
    if not may_approve(actor, item):
        raise Forbidden(_("只有该事项的责任单位或领导小组办公室可以批准公开"))
    if not is_system(actor) and locked.prepared_by_id == getattr(actor, "pk", None):
        raise Forbidden(_("准备公示内容的人不能自己批准公开"))
    if locked.state != VersionState.PENDING:
        raise Conflict(_("该版本已审核"))
    check_public(locked.text, locked.data, locked.note)  # again: the rules may have grown since it was prepared
    day = on or _today()
    locked.state = VersionState.APPROVED
    locked.decided_at = timezone.now()
    locked.decided_by = None if is_system(actor) else user_of(actor)
    locked.published_on = day
    locked.save()
    DisclosureItem.objects.filter(pk=item.pk).update(
        published_on=day, first_published_on=item.first_published_on or day, version=F("version") + 1)
    record(Event.UPDATE, actor=actor, obj=locked, subject=item.project.subject,
           before={"state": VersionState.PENDING}, after={"state": VersionState.APPROVED, "published_on": day},
           message="批准公开")
    return locked


@transaction.atomic
def refuse_version(version: ItemVersion, reason: str, *, actor: Actor) -> ItemVersion:
    locked = ItemVersion.objects.select_for_update().select_related("item", "item__project").get(pk=version.pk)
    if not may_approve(actor, locked.item):
        raise Forbidden(_("只有该事项的责任单位或领导小组办公室可以审核"))
    if locked.state != VersionState.PENDING:
        raise Conflict(_("该版本已审核"))
    if not reason.strip():
        raise BusinessError(_("请填写退回理由"), field="reason")
    locked.state = VersionState.REFUSED
    locked.refusal = reason.strip()[:500]
    locked.decided_at = timezone.now()
    locked.decided_by = None if is_system(actor) else user_of(actor)
    locked.save()
    record(Event.UPDATE, actor=actor, obj=locked, subject=locked.item.project.subject,
           before={"state": VersionState.PENDING}, after={"state": VersionState.REFUSED, "refusal": locked.refusal},
           message="退回公示内容")
    return locked


# --- consultation (征求意见) ---------------------------------------------------------------------------

@transaction.atomic
def open_consultation(project: Project, *, title: str, question: str, deadline: dt.date, actor: Actor,
                      on: dt.date | None = None) -> Consultation:
    """A government-invested project in 前期 asks the public before its decision, until `deadline` (any such
    project, whatever its fiscal money: the seed asks every one to consult in its 前期)."""
    if not _may_change(actor, project):
        raise Forbidden(_("无权为该项目征求意见"))
    if not project.is_government:
        raise BusinessError(_("征求社会意见适用于政府投资项目"))
    if project.stage != Stage.PRELIMINARY:
        raise BusinessError(_("只有前期阶段的项目可以征求社会意见"))
    day = on or _today()
    if deadline <= day:
        raise BusinessError(_("截止日期须晚于开始日期"), field="deadline")
    if (deadline - day).days > 366:
        raise BusinessError(_("征求意见期不超过一年"), field="deadline")
    title, question = _clean_text(title, "title")[:200], _clean_text(question, "question")
    check_public(title, question)
    consultation = Consultation.objects.create(project=project, title=title, question=question, opened_on=day,
                                               deadline=deadline)
    record(Event.CREATE, actor=actor, obj=consultation, subject=project.subject,
           after={"title": title, "question": question, "opened_on": day, "deadline": deadline})
    return consultation


def is_open(consultation: Consultation, today: dt.date | None = None) -> bool:
    return consultation.state == ConsultationState.OPEN and (today or _today()) <= consultation.deadline


def sender_key(address: str | None) -> str:
    """A keyed hash of the sender's address: enough to rate-limit and spot floods, never the address itself."""
    digest = hmac.new(settings.SECRET_KEY.encode(), (address or "").encode(), hashlib.sha256).hexdigest()
    return digest[:32]


def _rate_limited(sender: str) -> bool:
    """At most DISCLOSURE_OPINIONS_PER_HOUR opinions from one address in an hour (a cache counter, no CAPTCHA)."""
    key = f"disclosure:opinions:{sender}"
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=3600)
        count = 1
    return count > settings.DISCLOSURE_OPINIONS_PER_HOUR


def submit_opinion(consultation: Consultation, text: str, *, address: str | None) -> Opinion:
    """A member of the public sends an opinion: size-limited, rate-limited per address, stored for moderation."""
    text = (text or "").strip()
    if not text:
        raise BusinessError(_("请填写意见"), field="text")
    if len(text) > settings.DISCLOSURE_OPINION_MAX_CHARS:
        raise BusinessError(_("意见不超过%(n)s字") % {"n": settings.DISCLOSURE_OPINION_MAX_CHARS}, field="text")
    if not is_open(consultation):
        raise BusinessError(_("征求意见已截止"))
    sender = sender_key(address)
    if _rate_limited(sender):
        raise BusinessError(_("提交过于频繁,请一小时后再试"), field="text")
    with transaction.atomic():
        opinion = Opinion.objects.create(consultation=consultation, text=text, sender=sender)
        record(Event.CREATE, actor=System("public opinion"), obj=opinion, subject=consultation.project.subject,
               after={"consultation": consultation.pk, "length": len(text)}, message="公众提交意见")
    return opinion


@transaction.atomic
def moderate_opinion(opinion: Opinion, approve: bool, *, actor: Actor, answer: str = "") -> Opinion:
    """Approve an opinion for publication (with the owner's answer, if any) or keep it unpublished."""
    locked = Opinion.objects.select_for_update().select_related("consultation__project").get(pk=opinion.pk)
    project = locked.consultation.project
    if not _may_change(actor, project):
        raise Forbidden(_("无权审核该项目的公众意见"))
    before = {"state": locked.state, "answer": locked.answer}
    answer = (answer or "").strip()
    if approve:
        check_public(locked.text, field="text")  # a name or a phone number keeps an opinion unpublished
        check_public(answer, field="answer")
        locked.state = OpinionState.APPROVED
    else:
        locked.state = OpinionState.REJECTED
    if answer:
        locked.answer = answer[:MAX_TEXT]
        locked.answered_at = timezone.now()
    locked.moderated_at = timezone.now()
    locked.save()
    record(Event.UPDATE, actor=actor, obj=locked, subject=project.subject, before=before,
           after={"state": locked.state, "answer": locked.answer}, message="审核公众意见")
    return locked


@transaction.atomic
def publish_decision(consultation: Consultation, *, summary: str, decision: str, actor: Actor,
                     on: dt.date | None = None) -> Consultation:
    """After the deadline: the summary of the opinions and how they were taken up, published with the decision."""
    locked = Consultation.objects.select_for_update().select_related("project").get(pk=consultation.pk)
    if not _may_change(actor, locked.project):
        raise Forbidden(_("无权公布该项目的决定"))
    day = on or _today()
    if day <= locked.deadline and locked.state == ConsultationState.OPEN:
        raise BusinessError(_("征求意见截止后才能公布决定"))
    if locked.opinions.filter(state=OpinionState.PENDING).exists():
        raise BusinessError(_("还有未审核的公众意见"))
    summary, decision = _clean_text(summary, "summary"), _clean_text(decision, "decision")
    check_public(summary, decision)
    locked.summary, locked.decision, locked.decided_on = summary, decision, day
    locked.state = ConsultationState.DECIDED
    locked.version = F("version") + 1
    locked.save()
    locked.refresh_from_db()
    record(Event.UPDATE, actor=actor, obj=locked, subject=locked.project.subject,
           after={"state": locked.state, "summary": summary, "decision": decision, "decided_on": day},
           message="公布征求意见采纳情况和决定")
    return locked


def pending_versions(user: Any) -> QuerySet[ItemVersion]:
    """The versions waiting for this user's approval (items their unit answers for; all for the office)."""
    who = scope_of(user)
    qs = ItemVersion.objects.filter(state=VersionState.PENDING).select_related("item__project", "item__responsible")
    if who.is_office:
        return qs
    return qs.filter(Q(item__responsible_id__in=who.unit_ids))

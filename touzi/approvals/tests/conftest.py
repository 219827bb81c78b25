import datetime as dt

import pytest

from touzi.approvals.models import Approval, ApprovalKind
from touzi.approvals.services import accept, submit
from touzi.core.actor import System
from touzi.units.models import Unit


@pytest.fixture
def nrb(abe) -> Unit:
    return Unit.objects.get(key="nrb")


@pytest.fixture
def eeb(eve) -> Unit:
    return Unit.objects.get(key="eeb")


def approval(project, kind_key: str, unit: Unit | None = None) -> Approval:
    kind = ApprovalKind.objects.get(key=kind_key)
    found, _ = Approval.objects.get_or_create(project=project, kind=kind, defaults={
        "legal_days": kind.legal_days, "approving_unit": unit})
    return Approval.objects.select_related("kind", "project").get(pk=found.pk)


def accepted(project, kind_key: str, unit: Unit, on: dt.date, **kwargs) -> Approval:
    a = approval(project, kind_key, unit)
    submit(a, on, actor=System("test"))
    return accept(a, on, actor=System("test"), **kwargs)

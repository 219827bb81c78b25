"""Each app registers its models' scoping rules; a model without one is refused and named by a system check."""

from __future__ import annotations

import pytest
from django.core import checks

from touzi.core import scoping
from touzi.core.checks import every_model_has_a_scoping_rule, unscoped_models
from touzi.core.scoping import Action, scope
from touzi.projects.models import Project


def test_every_touzi_model_has_a_rule_or_a_declared_exemption() -> None:
    assert unscoped_models() == []
    assert every_model_has_a_scoping_rule() == []


def test_a_model_without_a_rule_fails_the_system_check(monkeypatch) -> None:
    monkeypatch.delitem(scoping._RULES, Project)
    errors = every_model_has_a_scoping_rule()
    assert [(e.id, e.obj, e.level) for e in errors] == [("touzi.E020", Project, checks.ERROR)]
    assert "projects.Project has no scoping rule" in errors[0].msg


@pytest.mark.django_db
def test_scope_refuses_a_model_without_a_rule_as_before(monkeypatch, olive) -> None:
    monkeypatch.delitem(scoping._RULES, Project)
    with pytest.raises(LookupError, match=r"no scoping rule for projects\.Project"):
        scope(olive, Project.objects.all())


@pytest.mark.django_db
def test_an_exempt_model_is_still_refused_by_scope(olive) -> None:
    from touzi.imports.models import ImportBatch

    assert ImportBatch in scoping.exemptions()
    with pytest.raises(LookupError):
        scope(olive, ImportBatch.objects.all())


def test_a_second_different_rule_for_one_model_is_refused() -> None:
    with pytest.raises(ValueError, match="already has a scoping rule"):
        scoping.register(Project, lambda who, qs, action: qs)
    scoping.register(Project, scoping.rule_for(Project))  # the same rule again (a second ready()) is fine


@pytest.mark.django_db
def test_the_administrators_read_only_the_models_registered_as_administrative(sam) -> None:
    from touzi.units.models import Unit

    assert scope(sam, Unit.objects.all()).exists()  # the unit directory
    assert not scope(sam, Project.objects.all(), Action.VIEW).exists()

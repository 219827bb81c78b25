"""One scoping function decides what each role sees; every persona is checked against the mini plan."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from touzi.core.scoping import Action, can, scope
from touzi.plans.models import Collection, Domain, Indicator, Plan, Target, Task, WorkGroup
from touzi.units.models import Unit

pytestmark = pytest.mark.django_db


def target_keys(user) -> set[str]:
    return set(scope(user, Target.objects.all()).values_list("key", flat=True))


def task_keys(user) -> set[str]:
    return set(scope(user, Task.objects.all()).values_list("key", flat=True))


ALL_TARGETS = {"major-2021", "industry-total", "railway-total", "county-a-funds", "fai-growth"}


def test_the_plan_office_sees_every_target_and_may_change_them(olive) -> None:
    assert target_keys(olive) == ALL_TARGETS
    assert scope(olive, Target.objects.all(), Action.CHANGE).count() == len(ALL_TARGETS)


def test_a_county_sees_overall_targets_and_those_it_leads_or_helps_with(aaron) -> None:
    # county A cooperates on industry through 各县区人民政府 and leads its own funds target; railway is B's.
    assert target_keys(aaron) == {"major-2021", "fai-growth", "industry-total", "county-a-funds"}
    assert task_keys(aaron) == {"1"}


def test_another_county_does_not_see_the_first_countys_target(bella) -> None:
    assert target_keys(bella) == {"major-2021", "fai-growth", "industry-total", "railway-total"}
    assert not can(bella, Target.objects.get(key="county-a-funds"))
    assert task_keys(bella) == {"1", "2"}


def test_a_county_may_not_change_the_plan(aaron, mini_plan) -> None:
    assert not scope(aaron, Target.objects.all(), Action.CHANGE).exists()
    assert not can(aaron, mini_plan, Action.CHANGE)


def test_a_lead_unit_sees_the_targets_of_its_tasks(ian) -> None:
    assert target_keys(ian) == {"major-2021", "fai-growth", "industry-total"}


def test_a_subgroup_sees_the_targets_of_its_domains(gina) -> None:
    assert target_keys(gina) == {"major-2021", "fai-growth", "industry-total"}


def test_the_statistics_bureau_reads_everything_and_writes_only_its_indicators(stan) -> None:
    assert target_keys(stan) == ALL_TARGETS
    assert not scope(stan, Target.objects.all(), Action.CHANGE).exists()
    assert scope(stan, Indicator.objects.all(), Action.CHANGE).count() == 1


def test_the_three_administrators_see_no_plan_data(ada, sam) -> None:
    for admin in (ada, sam):
        assert not scope(admin, Plan.objects.all()).exists()
        assert not scope(admin, Target.objects.all()).exists()
        assert not scope(admin, WorkGroup.objects.all()).exists()
    # The system administrator needs the unit directory to place accounts.
    assert scope(sam, Unit.objects.all()).count() == Unit.objects.count()


def test_anonymous_sees_nothing(mini_plan) -> None:
    anonymous = AnonymousUser()
    for model in (Plan, Target, Task, Unit, Domain, Collection, WorkGroup, Indicator):
        assert not scope(anonymous, model.objects.all()).exists()


def test_a_park_belongs_to_its_countys_scope(aaron) -> None:
    from touzi.core.scoping import scope_of

    assert Unit.objects.get(key="park-a").pk in scope_of(aaron).unit_ids


def test_a_model_without_a_rule_is_refused(olive) -> None:
    from django.contrib.auth.models import Group

    with pytest.raises(LookupError):
        scope(olive, Group.objects.all())


def test_the_audit_trail_is_read_only_by_audit_readers(olive, ada, aaron) -> None:
    from touzi.accounts.choices import Role
    from touzi.audit.models import AuditRecord
    from touzi.core.scoping import Action
    from touzi.testing import make_user

    assert AuditRecord.objects.exists()  # loading the plan and creating the users were audited
    auditor = make_user("audrey", Role.AUDITOR)
    for reader in (ada, auditor):
        assert scope(reader, AuditRecord.objects.all()).count() == AuditRecord.objects.count()
        assert not scope(reader, AuditRecord.objects.all(), Action.CHANGE).exists()
    for other in (olive, aaron):
        assert not scope(other, AuditRecord.objects.all()).exists()


def test_a_disabled_account_sees_nothing(aaron) -> None:
    aaron.is_active = False
    assert not scope(aaron, Target.objects.all()).exists()


def test_users_see_only_plans_their_unit_takes_part_in(aaron, beihai_plan, mini_plan) -> None:
    assert set(scope(aaron, Plan.objects.all()).values_list("key", flat=True)) == {"mini"}

"""Schemathesis over the whole OpenAPI of /api/v1: no server error and no response outside its schema.

The schema is loaded from the running Django application (WSGI), inside a database holding the mini plan,
three projects with monthly reports (submitted, accepted, locked month), an adjustment, a supervision task
and an indicator value. Every operation is called with generated data, once with free path parameters and
once with the ids and keys of real objects (so the 200 paths are reached, not only 404s), as the plan office
and as an owner, with bearer tokens (session calls would need CSRF). Positive and negative generation both
run; `CASES` counts every request so the note can state it.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from decimal import Decimal

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import response_schema_conformance

from touzi.accounts.services import issue_token
from touzi.indicators.services import enter_value
from touzi.plans.models import Indicator
from touzi.reports.models import MonthLock
from touzi.reports.services import accept_report, adjust, report_month
from touzi.supervision.services import raise_task
from touzi.units.models import Unit

pytestmark = pytest.mark.django_db
EXAMPLES = {GenerationMode.POSITIVE: 8, GenerationMode.NEGATIVE: 4}
CASES: Counter[str] = Counter()


@pytest.fixture
def wsgi_app():
    """The project's WSGI application, without closing the test transaction's connection at each request."""
    from touzi.wsgi import application

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield application
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def world(projects, olive, oscar, stan, mini_plan):
    """Real objects for every kind of path parameter."""
    plant, park = projects["plant"], projects["park"]
    for month, amount in ((dt.date(2023, 2, 1), "100"), (dt.date(2023, 3, 1), "120"), (dt.date(2023, 4, 1), "90")):
        report = report_month(plant, month, Decimal(amount), progress="进行中", acting_user=oscar)
        if month < dt.date(2023, 4, 1):
            accept_report(report, acting_user=stan)
    MonthLock.objects.create(month=dt.date(2023, 2, 1))
    adjust(plant, dt.date(2023, 2, 1), Decimal("5"), "统计口径更正", acting_user=oscar)
    report_month(park, dt.date(2023, 3, 1), Decimal("10"), acting_user=oscar)
    task = raise_task(mini_plan, problem="进度滞后", required_action="加快", responsible_unit=Unit.objects.get(key="county-a"),
                      deadline=dt.date(2030, 1, 1), project=plant, acting_user=olive)
    indicator = Indicator.objects.filter(plan=mini_plan).first()
    enter_value(indicator, dt.date(2023, 3, 1), Decimal("6.5"), source="统计快报", acting_user=None)
    return {"pk": plant.pk, "key": mini_plan.key, "year": 2023, "period": "2023-03", "task": task.pk,
            "indicator": indicator.pk, "report": plant.reports.first().pk}


def _fixed_path(operation, world) -> dict:
    """Ids of real objects for the operation's path parameters."""
    path = operation.path.removeprefix("/api/v1")
    values = {}
    for name in ("pk", "key", "year", "period"):
        if "{" + name + "}" not in path:
            continue
        if name == "pk":
            values["pk"] = (world["task"] if path.startswith("/supervision") else world["indicator"]
                            if path.startswith("/indicators") else world["report"] if path.startswith("/reports")
                            else world["pk"])
        elif name == "key":
            values["key"] = world["key"] if path.startswith("/plans") else "county-a"
        else:
            values[name] = world[name]
    return values


def _run(schema, world, who: str, token: str) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    checks = [not_a_server_error, response_schema_conformance]
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 25, [op.label for op in operations]
    for operation in operations:
        for mode, examples in EXAMPLES.items():
            for fixed in (False, True):
                path = _fixed_path(operation, world) if fixed else None
                if fixed and not path:
                    continue
                strategy = operation.as_strategy(generation_mode=mode, path_parameters=path)

                @settings(max_examples=examples, deadline=None, derandomize=True, database=None,
                          suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate])
                @given(case=strategy)
                def call(case) -> None:
                    response = case.call(headers=headers)
                    CASES[who] += 1
                    case.validate_response(response, checks=checks, headers=headers)

                call()


def test_every_api_operation_answers_without_server_error_and_within_its_schema(wsgi_app, world, olive, oscar):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app)
    start = time.perf_counter()
    for who, user in (("office", olive), ("owner", oscar)):
        _, token = issue_token(user, "schemathesis", acting_user=None)
        _run(schema, world, who, token)
    total = sum(CASES.values())
    print(f"\nschemathesis: {total} requests ({dict(CASES)}) over {len(list(schema.get_all_operations()))} "
          f"operations in {time.perf_counter() - start:.1f}s")
    assert total >= 1000, CASES

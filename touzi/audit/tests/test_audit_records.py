"""Audit records are written in the change's transaction and cannot be altered through the application."""

from __future__ import annotations

import pytest
from django.db import transaction

from touzi.audit.choices import Event, Source
from touzi.audit.context import audit_context
from touzi.audit.models import AuditRecord
from touzi.audit.services import diff, jsonable, record

pytestmark = pytest.mark.django_db


def _one() -> AuditRecord:
    with transaction.atomic():
        return record(Event.UPDATE, object_type="x", object_id="1", before={"a": 1}, after={"a": 2})


@pytest.mark.django_db(transaction=True)
def test_a_change_cannot_be_recorded_outside_a_transaction() -> None:
    with pytest.raises(RuntimeError):
        record(Event.UPDATE, object_type="x", object_id="1")


def test_records_cannot_be_changed_or_deleted() -> None:
    item = _one()
    item.message = "tampered"
    with pytest.raises(PermissionError):
        item.save()
    with pytest.raises(PermissionError):
        item.delete()
    with pytest.raises(PermissionError):
        AuditRecord.objects.all().update(message="x")
    with pytest.raises(PermissionError):
        AuditRecord.objects.all().delete()


def test_a_failed_change_leaves_no_record_behind() -> None:
    with pytest.raises(ValueError), transaction.atomic():
        record(Event.UPDATE, object_type="x", object_id="1")
        raise ValueError("the change failed")
    assert not AuditRecord.objects.exists()


def test_the_source_and_address_come_from_the_context() -> None:
    with audit_context(Source.IMPORT, ip="10.0.0.8", actor_name="cli:ops"), transaction.atomic():
        item = record(Event.CREATE, object_type="x", object_id="2")
    assert (item.source, item.ip, item.actor_name) == ("import", "10.0.0.8", "cli:ops")
    assert item.request_id


def test_snapshots_keep_decimals_exact() -> None:
    from decimal import Decimal

    assert jsonable({"v": Decimal("0.1")}) == {"v": "0.1"}
    assert diff({"a": 1, "b": 2}, {"a": 1, "b": 3}) == ({"b": 2}, {"b": 3})


def test_a_web_request_is_recorded_with_its_address(olive) -> None:
    from django.test import Client
    from django.urls import reverse

    client = Client(REMOTE_ADDR="192.0.2.7")
    client.post(reverse("login"), {"username": "olive", "password": "Correct-Horse-9"})
    item = AuditRecord.objects.filter(event="sign_in").get()
    assert (item.source, item.ip) == ("web", "192.0.2.7")


def test_behind_the_proxy_the_address_is_the_one_nginx_saw(olive, settings) -> None:
    from django.test import Client
    from django.urls import reverse

    settings.BEHIND_PROXY = True
    client = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.4")
    client.post(reverse("login"), {"username": "olive", "password": "Correct-Horse-9"})
    assert AuditRecord.objects.filter(event="sign_in").get().ip == "198.51.100.4"


def test_without_the_proxy_setting_a_forwarded_address_is_ignored(olive, settings) -> None:
    from django.test import Client
    from django.urls import reverse

    settings.BEHIND_PROXY = False
    client = Client(REMOTE_ADDR="192.0.2.9", HTTP_X_FORWARDED_FOR="6.6.6.6")
    client.post(reverse("login"), {"username": "olive", "password": "Correct-Horse-9"})
    assert AuditRecord.objects.filter(event="sign_in").get().ip == "192.0.2.9"

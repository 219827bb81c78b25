"""Sessions end after 30 idle minutes and 8 hours after sign-in; disabling a user ends all their sessions."""

from __future__ import annotations

import time

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from touzi.accounts import sessions
from touzi.accounts.models import UserSession
from touzi.accounts.services import disable_user, enable_user
from touzi.audit.models import AuditRecord
from touzi.testing import PASSWORD, client_for

pytestmark = pytest.mark.django_db


def _shift(client: Client, key: str, seconds: float) -> None:
    session = client.session
    session[key] = time.time() - seconds
    session.save()


def test_a_session_idle_for_more_than_30_minutes_ends(aaron) -> None:
    client = client_for(aaron)
    assert client.get("/api/v1/me").status_code == 200
    _shift(client, sessions.LAST_SEEN, 31 * 60)
    page = client.get(reverse("profile"))
    assert page.status_code == 302 and page["Location"].startswith(reverse("login"))
    assert client.get("/api/v1/me").status_code == 401
    out = AuditRecord.objects.get(event="sign_out")
    assert out.actor_name == "aaron" and "空闲超过30分钟" in out.message


def test_the_sign_in_page_says_the_session_ended(aaron) -> None:
    client = client_for(aaron)
    client.get("/api/v1/me")
    _shift(client, sessions.LAST_SEEN, 31 * 60)
    assert "空闲超过30分钟" in client.get(reverse("profile"), follow=True).content.decode()


def test_activity_keeps_a_session_alive(aaron) -> None:
    client = client_for(aaron)
    _shift(client, sessions.LAST_SEEN, 29 * 60)
    assert client.get("/api/v1/me").status_code == 200
    assert time.time() - client.session[sessions.LAST_SEEN] < 5


def test_the_idle_limit_comes_from_the_settings(aaron, settings) -> None:
    settings.SESSION_IDLE_MINUTES = 5
    client = client_for(aaron)
    _shift(client, sessions.LAST_SEEN, 6 * 60)
    assert client.get("/api/v1/me").status_code == 401


def test_a_session_ends_8_hours_after_sign_in_however_active(aaron) -> None:
    client = client_for(aaron)
    _shift(client, sessions.SIGNED_IN_AT, 8 * 3600 + 60)
    assert client.get("/api/v1/me").status_code == 401
    assert "8.0小时" in AuditRecord.objects.get(event="sign_out").message


def test_signing_in_records_the_session_and_signing_out_forgets_it(aaron) -> None:
    client = Client()
    client.post(reverse("login"), {"username": "aaron", "password": PASSWORD})
    key = client.session.session_key
    assert UserSession.objects.filter(user=aaron, session_key=key).exists()
    client.post(reverse("logout"))
    assert not UserSession.objects.filter(session_key=key).exists()


def test_disabling_a_user_ends_every_session_at_once(aaron, sam) -> None:
    browsers = [client_for(aaron), client_for(aaron)]
    for browser in browsers:
        assert browser.get("/api/v1/me").status_code == 200
    assert disable_user(aaron, actor=sam) == 2
    assert not Session.objects.filter(session_key__in=[b.session.session_key for b in browsers]).exists()
    for browser in browsers:
        assert browser.get("/api/v1/me").status_code == 401
    record = AuditRecord.objects.get(event="update", object_type="accounts.user", object_id=str(aaron.pk), actor_name="sam")
    assert record.before == {"is_active": True} and record.after["is_active"] is False
    assert not Client().login(username="aaron", password=PASSWORD)


def test_a_disabled_users_token_stops_working_and_enabling_restores_it(aaron, sam) -> None:
    from touzi.accounts.services import issue_token

    _token, raw = issue_token(aaron, "报表", actor=aaron)
    disable_user(aaron, actor=sam)
    assert Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    enable_user(aaron, actor=sam)
    assert Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200


def test_a_password_change_keeps_the_session_mapped(aaron) -> None:
    client = Client()
    client.post(reverse("login"), {"username": "aaron", "password": PASSWORD})
    client.post(reverse("password-change"), {"old_password": PASSWORD, "new_password1": "Batter!y-Staple7",
                                             "new_password2": "Batter!y-Staple7"})
    assert UserSession.objects.filter(user=aaron, session_key=client.session.session_key).exists()


def test_a_request_within_a_minute_of_the_last_seen_one_does_not_write_the_session(aaron) -> None:
    # Reading pages must not cost a session write each time: last activity moves at most once a minute.
    client = client_for(aaron)
    _shift(client, sessions.LAST_SEEN, sessions.SEEN_RESOLUTION - 10)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/v1/me").status_code == 200
    assert not [q for q in queries.captured_queries if "django_session" in q["sql"]
                and q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT"))]
    _shift(client, sessions.LAST_SEEN, sessions.SEEN_RESOLUTION + 1)
    assert client.get("/api/v1/me").status_code == 200
    assert time.time() - client.session[sessions.LAST_SEEN] < 5  # older than the resolution: written


def test_the_idle_limit_holds_within_the_write_resolution(aaron) -> None:
    # Last activity written up to a minute late can end a session at most a minute early, never late.
    client = client_for(aaron)
    _shift(client, sessions.LAST_SEEN, 30 * 60 - sessions.SEEN_RESOLUTION - 5)
    assert client.get("/api/v1/me").status_code == 200
    _shift(client, sessions.LAST_SEEN, 30 * 60 + 1)
    assert client.get("/api/v1/me").status_code == 401

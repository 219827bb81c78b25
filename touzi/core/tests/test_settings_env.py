"""Settings come from environment variables through strict helpers that fail loudly."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from touzi.lib.env import database_from_url, env_bool, env_int


def test_booleans_accept_only_clear_words(monkeypatch) -> None:
    monkeypatch.setenv("X_FLAG", "yes")
    assert env_bool("X_FLAG", False) is True
    monkeypatch.setenv("X_FLAG", "perhaps")
    with pytest.raises(ImproperlyConfigured):
        env_bool("X_FLAG", False)


def test_integers_refuse_garbage_and_values_below_the_minimum(monkeypatch) -> None:
    monkeypatch.setenv("X_NUM", "12a")
    with pytest.raises(ImproperlyConfigured):
        env_int("X_NUM", 1)
    monkeypatch.setenv("X_NUM", "3")
    with pytest.raises(ImproperlyConfigured):
        env_int("X_NUM", 1, minimum=5)


def test_database_urls_for_postgres_and_sqlite() -> None:
    pg = database_from_url("postgres://touzi:s%40cret@db.example:6543/touzi")
    assert (pg["ENGINE"], pg["NAME"], pg["USER"], pg["PASSWORD"], pg["HOST"], pg["PORT"]) == (
        "django.db.backends.postgresql", "touzi", "touzi", "s@cret", "db.example", "6543")
    assert database_from_url("sqlite:////var/lib/touzi/db.sqlite3")["NAME"] == "/var/lib/touzi/db.sqlite3"
    with pytest.raises(ImproperlyConfigured):
        database_from_url("mysql://x/y")


def test_an_unset_boolean_can_mean_decide_later(monkeypatch) -> None:
    from touzi.lib.env import env_bool_or_none

    monkeypatch.delenv("X_FLAG", raising=False)
    assert env_bool_or_none("X_FLAG") is None
    monkeypatch.setenv("X_FLAG", "false")
    assert env_bool_or_none("X_FLAG") is False
    monkeypatch.setenv("X_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured):
        env_bool_or_none("X_FLAG")

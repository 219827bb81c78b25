"""Every secret can come from the environment or from a file named by NAME_FILE."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from touzi.lib.env import env_secret


def test_a_secret_comes_from_the_variable(monkeypatch) -> None:
    monkeypatch.setenv("X_SECRET", "s3cret")
    monkeypatch.delenv("X_SECRET_FILE", raising=False)
    assert env_secret("X_SECRET") == "s3cret"


def test_a_secret_comes_from_its_file_without_the_trailing_newline(monkeypatch, tmp_path) -> None:
    secret = tmp_path / "key"
    secret.write_text("from-a-file  x\n", encoding="utf-8")
    monkeypatch.delenv("X_SECRET", raising=False)
    monkeypatch.setenv("X_SECRET_FILE", str(secret))
    assert env_secret("X_SECRET") == "from-a-file  x"


def test_the_default_applies_when_neither_is_set_and_a_required_secret_stops_start_up(monkeypatch) -> None:
    monkeypatch.delenv("X_SECRET", raising=False)
    monkeypatch.delenv("X_SECRET_FILE", raising=False)
    assert env_secret("X_SECRET", "dev") == "dev"
    with pytest.raises(ImproperlyConfigured, match="X_SECRET"):
        env_secret("X_SECRET")


@pytest.mark.parametrize("content", [None, "", "\n"])
def test_a_missing_or_empty_file_stops_start_up(monkeypatch, tmp_path, content) -> None:
    secret = tmp_path / "key"
    if content is not None:
        secret.write_text(content, encoding="utf-8")
    monkeypatch.delenv("X_SECRET", raising=False)
    monkeypatch.setenv("X_SECRET_FILE", str(secret))
    with pytest.raises(ImproperlyConfigured, match="X_SECRET_FILE"):
        env_secret("X_SECRET", "dev")


def test_both_the_variable_and_the_file_is_ambiguous(monkeypatch, tmp_path) -> None:
    secret = tmp_path / "key"
    secret.write_text("a", encoding="utf-8")
    monkeypatch.setenv("X_SECRET", "b")
    monkeypatch.setenv("X_SECRET_FILE", str(secret))
    with pytest.raises(ImproperlyConfigured, match="not both"):
        env_secret("X_SECRET")

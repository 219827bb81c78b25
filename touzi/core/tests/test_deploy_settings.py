"""Production settings pass `touzi check --deploy` with no warning; secrets may come from files; HTTPS is env driven."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest


def _production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    # Not the test run's own settings: TOUZI_*, the database, and the browser tests' async escape hatch
    # (DJANGO_ALLOW_ASYNC_UNSAFE, which a deployment must never set and the deploy check refuses).
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("TOUZI_", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"))}
    return {**env, "DJANGO_SETTINGS_MODULE": "touzi.settings", "TOUZI_ENV": "production",
            "TOUZI_SECRET_KEY": secrets.token_urlsafe(50), "TOUZI_AUDIT_KEY": secrets.token_urlsafe(40),
            "TOUZI_ALLOWED_HOSTS": "touzi.example.gov.cn", "TOUZI_DATA_DIR": str(tmp_path), **extra}


def _touzi(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "touzi.cli", *args], env=env, capture_output=True, text=True,
                          timeout=300, check=False)


_SHOW = ("import json, django; django.setup(); from django.conf import settings as s; print(json.dumps({k: getattr(s, k) "
         "for k in ['SECRET_KEY', 'AUDIT_HMAC_KEY', 'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS', "
         "'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SECURE_HSTS_PRELOAD', 'SECURE_PROXY_SSL_HEADER', "
         "'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'EMAIL_HOST_PASSWORD', 'LANGUAGE_COOKIE_SECURE', "
         "'LANGUAGE_COOKIE_SAMESITE', 'LANGUAGE_COOKIE_HTTPONLY']}))")


def _settings(env: dict[str, str]) -> dict:
    result = subprocess.run([sys.executable, "-c", _SHOW], env=env, capture_output=True, text=True, timeout=120,
                            check=False)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_settings_pass_the_deploy_check_without_a_warning(tmp_path) -> None:
    result = _touzi(_production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path) -> None:
    env = _production_env(tmp_path)
    del env["TOUZI_SECRET_KEY"]
    result = _touzi(env, "check")
    assert result.returncode != 0 and "TOUZI_SECRET_KEY" in result.stderr


def test_production_defaults_are_https_only(tmp_path) -> None:
    found = _settings(_production_env(tmp_path))
    assert found["SECURE_SSL_REDIRECT"] is True and found["SECURE_HSTS_SECONDS"] == 31_536_000
    assert found["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True and found["SECURE_HSTS_PRELOAD"] is False
    assert found["SESSION_COOKIE_SECURE"] is True and found["CSRF_COOKIE_SECURE"] is True
    assert found["SECURE_PROXY_SSL_HEADER"] is None


def test_the_language_cookie_is_secure_same_site_and_http_only_in_production(tmp_path) -> None:
    found = _settings(_production_env(tmp_path))
    assert found["LANGUAGE_COOKIE_SECURE"] is True and found["LANGUAGE_COOKIE_SAMESITE"] == "Lax"
    assert found["LANGUAGE_COOKIE_HTTPONLY"] is True


def test_https_settings_follow_the_environment(tmp_path) -> None:
    found = _settings(_production_env(tmp_path, TOUZI_HSTS_SECONDS="600", TOUZI_BEHIND_PROXY="true",
                                      TOUZI_HSTS_PRELOAD="true"))
    assert found["SECURE_HSTS_SECONDS"] == 600 and found["SECURE_HSTS_PRELOAD"] is True
    assert found["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_secrets_come_from_files(tmp_path) -> None:
    files, key = {}, secrets.token_urlsafe(50)
    for name, value in (("TOUZI_SECRET_KEY", key), ("TOUZI_AUDIT_KEY", "audit-from-file"),
                        ("TOUZI_EMAIL_PASSWORD", "mail-pass"),
                        ("DATABASE_URL", f"sqlite:///{tmp_path / 'from-file.sqlite3'}")):
        path = tmp_path / name.lower()
        path.write_text(value + "\n", encoding="utf-8")
        files[f"{name}_FILE"] = str(path)
    env = _production_env(tmp_path, **files)
    del env["TOUZI_SECRET_KEY"], env["TOUZI_AUDIT_KEY"]
    found = _settings(env)
    assert (found["SECRET_KEY"], found["AUDIT_HMAC_KEY"], found["EMAIL_HOST_PASSWORD"]) == (
        key, "audit-from-file", "mail-pass")
    check = _touzi(env, "check", "--deploy", "--fail-level", "WARNING", "--database", "default")
    assert check.returncode == 0, check.stdout + check.stderr


@pytest.mark.parametrize("name", ["TOUZI_SECRET_KEY", "TOUZI_AUDIT_KEY", "DATABASE_URL", "TOUZI_EMAIL_PASSWORD"])
def test_every_secret_is_read_through_the_file_aware_helper(name) -> None:
    settings_py = (Path(__file__).resolve().parents[2] / "settings.py").read_text(encoding="utf-8")
    assert f'env_secret("{name}"' in settings_py

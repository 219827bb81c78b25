"""Strict typed readers for settings that come from environment variables.

A bad value fails loudly at start-up instead of silently falling back, so a
misconfigured production server never starts half-right.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value is None or value == "":
        if default is None:
            raise ImproperlyConfigured(f"environment variable {name} is required")
        return default
    return value


def env_secret(name: str, default: str | None = None) -> str:
    """A secret from NAME, or from the file NAME_FILE names (Docker secrets, systemd credentials).

    A file keeps the secret out of the process environment (and so out of `ps e`, crash reports and
    child processes); one trailing newline is dropped. Setting both is refused as ambiguous.
    """
    path = os.environ.get(f"{name}_FILE")
    if not path:
        return env_str(name, default)
    if os.environ.get(name):
        raise ImproperlyConfigured(f"set {name} or {name}_FILE, not both")
    try:
        value = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ImproperlyConfigured(f"{name}_FILE={path}: cannot read the file ({exc})") from exc
    value = value[:-1] if value.endswith("\n") else value
    value = value[:-1] if value.endswith("\r") else value
    if not value:
        raise ImproperlyConfigured(f"{name}_FILE={path} is empty")
    return value


def env_bool(name: str, default: bool) -> bool:
    value = env_bool_or_none(name)
    return default if value is None else value


def env_bool_or_none(name: str) -> bool | None:
    """True or False when NAME says so, None when it is unset (for a setting whose default is decided later)."""
    value = os.environ.get(name)
    if value is None or value == "":
        return None
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean (use true/false)")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={value!r} is not an integer") from exc
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name}={number} is below the minimum {minimum}")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


_TILE_HOST = re.compile(r"^[A-Za-z0-9.-]+(:[0-9]{1,5})?$")


def env_tile_url(name: str) -> str:
    """A map tile URL template (`https://tiles.example.gov.cn/{z}/{x}/{y}.png`), or "" when unset (no tiles).

    One host (its origin is added to the map pages' Content-Security-Policy, so no `{s}` subdomains and nothing in
    the host a policy could be bent with), http or https, and the `{z}`, `{x}` and `{y}` placeholders."""
    value = os.environ.get(name, "").strip()
    if not value:
        return ""
    parts = urlsplit(value)
    if parts.scheme not in {"http", "https"} or not _TILE_HOST.match(parts.netloc or ""):
        raise ImproperlyConfigured(f"{name}={value!r}: an http(s) URL on one host is needed (no {{s}}, no user:password@)")
    missing = [p for p in ("{z}", "{x}", "{y}") if p not in value]
    if missing:
        raise ImproperlyConfigured(f"{name}={value!r} lacks {', '.join(missing)}")
    if any(c.isspace() for c in value):
        raise ImproperlyConfigured(f"{name}={value!r} contains white space")
    return value


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = os.environ.get(name, "").strip().lower() or default
    if value not in choices:
        raise ImproperlyConfigured(f"{name}={value!r}: use one of {', '.join(choices)}")
    return value


def database_from_url(url: str) -> dict[str, Any]:
    """Translate a DATABASE_URL (sqlite:///path or postgres://…) into Django's DATABASES entry."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "sqlite":
        # sqlite:///relative/path or sqlite:////absolute/path, as dj-database-url reads them.
        path = parts.path[1:] if parts.path.startswith("/") else parts.path
        if not path:
            raise ImproperlyConfigured("DATABASE_URL sqlite:/// needs a file path")
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(Path(unquote(path)))}
    if scheme in {"postgres", "postgresql", "pgsql"}:
        name = unquote(parts.path.lstrip("/"))
        if not name:
            raise ImproperlyConfigured("DATABASE_URL needs a database name after the host")
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "CONN_MAX_AGE": env_int("TOUZI_DB_CONN_MAX_AGE", 60, minimum=0),
            "CONN_HEALTH_CHECKS": True,
            # JIT compiles the monitoring's wide aggregates for seconds to save milliseconds (measured:
            # 9.4 s of compilation for a 0.85 s query on 20,000 projects); off unless asked for. work_mem
            # lets a million project ids be hashed (else IN (subquery) rescans them for every row).
            "OPTIONS": {"options": " ".join(
                ([] if env_bool("TOUZI_DB_JIT", False) else ["-c jit=off"])
                + [f"-c work_mem={env_str('TOUZI_DB_WORK_MEM', '64MB')}"])},
        }
    raise ImproperlyConfigured(f"DATABASE_URL scheme {scheme!r} is not supported (use sqlite or postgres)")


def database_replicas(name: str, primary: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The read replicas NAME lists (comma-separated postgres:// URLs) as DATABASES entries `replica1` ….

    Replicas need a PostgreSQL primary. In test runs each mirrors `default` (Django's test runner creates no
    database on a replica); the replica tests point an alias at the real replica themselves.
    """
    urls = env_list(name, [])
    if urls and primary.get("ENGINE") != "django.db.backends.postgresql":
        raise ImproperlyConfigured(f"{name} needs DATABASE_URL to be a postgres:// primary")
    replicas: dict[str, dict[str, Any]] = {}
    for number, url in enumerate(urls, start=1):
        if urlsplit(url).scheme.lower() not in {"postgres", "postgresql", "pgsql"}:
            raise ImproperlyConfigured(f"{name}: replica {number} is not a postgres:// URL")
        entry = database_from_url(url)
        # A replica that does not answer within seconds is skipped (touzi.core.replicas), not waited for.
        entry["OPTIONS"]["connect_timeout"] = env_int("TOUZI_DB_REPLICA_CONNECT_TIMEOUT", 2, minimum=1)
        entry["TEST"] = {"MIRROR": "default"}
        replicas[f"replica{number}"] = entry
    return replicas


def media_storage() -> dict[str, Any] | None:
    """The STORAGES["default"] entry of an S3-compatible media store, or None when TOUZI_MEDIA_S3_BUCKET is unset.

    Uploads (evidence, import workbooks) then go to the bucket through Django's storage API (django-storages),
    so every application server and worker sees the same files without a shared filesystem. Files are
    private: links are signed and expire (TOUZI_MEDIA_S3_URL_SECONDS); a name is never overwritten.
    """
    bucket = env_str("TOUZI_MEDIA_S3_BUCKET", "")
    if not bucket:
        return None
    endpoint = env_str("TOUZI_MEDIA_S3_ENDPOINT_URL", "")
    if endpoint and urlsplit(endpoint).scheme not in {"http", "https"}:
        raise ImproperlyConfigured(f"TOUZI_MEDIA_S3_ENDPOINT_URL={endpoint!r} is not an http(s):// URL")
    style = env_str("TOUZI_MEDIA_S3_ADDRESSING", "path")
    if style not in {"path", "virtual"}:
        raise ImproperlyConfigured(f"TOUZI_MEDIA_S3_ADDRESSING={style!r}: use path or virtual")
    options: dict[str, Any] = {
        "bucket_name": bucket,
        "endpoint_url": endpoint or None,
        "region_name": env_str("TOUZI_MEDIA_S3_REGION", "") or None,
        # Empty: boto3's own chain (instance role, ~/.aws); the secret may come from a file (…_FILE).
        "access_key": env_secret("TOUZI_MEDIA_S3_ACCESS_KEY", "") or None,
        "secret_key": env_secret("TOUZI_MEDIA_S3_SECRET_KEY", "") or None,
        "location": env_str("TOUZI_MEDIA_S3_PREFIX", ""),
        "addressing_style": style,
        "default_acl": None,  # private: the bucket's policy, never public-read
        "querystring_auth": True,
        "querystring_expire": env_int("TOUZI_MEDIA_S3_URL_SECONDS", 300, minimum=10),
        "file_overwrite": False,
    }
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}

"""Uploads in an S3-compatible object store (TOUZI_MEDIA_S3_*, docs/scaling.md), against moto in server mode.

moto's server is a real HTTP endpoint on this machine: django-storages and boto3 talk to it as they would to
MinIO, Ceph or a cloud's object store. Skipped when django-storages or moto is not installed (the `dev` extra
installs both).
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile

from touzi.lib.env import media_storage

BUCKET = "touzi-media"


def test_no_bucket_keeps_files_on_disk(monkeypatch, settings) -> None:
    monkeypatch.delenv("TOUZI_MEDIA_S3_BUCKET", raising=False)
    assert media_storage() is None
    assert settings.STORAGES["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"


def test_the_bucket_settings(monkeypatch) -> None:
    monkeypatch.setenv("TOUZI_MEDIA_S3_BUCKET", BUCKET)
    monkeypatch.setenv("TOUZI_MEDIA_S3_ENDPOINT_URL", "https://oss.example.gov.cn")
    monkeypatch.setenv("TOUZI_MEDIA_S3_ACCESS_KEY", "key")
    monkeypatch.setenv("TOUZI_MEDIA_S3_SECRET_KEY", "secret")
    entry = media_storage()
    assert entry is not None and entry["BACKEND"] == "storages.backends.s3.S3Storage"
    options = entry["OPTIONS"]
    assert options["bucket_name"] == BUCKET and options["endpoint_url"] == "https://oss.example.gov.cn"
    assert options["default_acl"] is None and options["querystring_auth"] and not options["file_overwrite"]
    monkeypatch.setenv("TOUZI_MEDIA_S3_ENDPOINT_URL", "oss.example.gov.cn")
    with pytest.raises(ImproperlyConfigured):
        media_storage()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    pytest.importorskip("storages.backends.s3")
    pytest.importorskip("moto.server")
    boto3 = pytest.importorskip("boto3")
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(url + "/moto-api/", timeout=1).close()
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, "moto server did not start"
                time.sleep(0.2)
        boto3.client("s3", endpoint_url=url, aws_access_key_id="test", aws_secret_access_key="test",
                     region_name="us-east-1").create_bucket(Bucket=BUCKET)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def media_in_s3(s3_endpoint, monkeypatch, settings) -> str:
    for name, value in {"TOUZI_MEDIA_S3_BUCKET": BUCKET, "TOUZI_MEDIA_S3_ENDPOINT_URL": s3_endpoint,
                        "TOUZI_MEDIA_S3_ACCESS_KEY": "test", "TOUZI_MEDIA_S3_SECRET_KEY": "test",
                        "TOUZI_MEDIA_S3_REGION": "us-east-1", "TOUZI_MEDIA_S3_PREFIX": "media"}.items():
        monkeypatch.setenv(name, value)
    entry = media_storage()
    assert entry is not None
    settings.STORAGES = {**settings.STORAGES, "default": entry}  # resets default_storage (setting_changed)
    return s3_endpoint


def test_uploads_go_to_the_object_store(media_in_s3) -> None:
    import boto3  # type: ignore[import-untyped]
    from django.core.files.storage import default_storage

    name = default_storage.save("evidence/2026/12/现场照片.txt", ContentFile("进度照片".encode()))
    again = default_storage.save("evidence/2026/12/现场照片.txt", ContentFile(b"second"))
    assert again != name, "a name is never overwritten"
    with default_storage.open(name) as stored:
        assert stored.read().decode() == "进度照片"
    client = boto3.client("s3", endpoint_url=media_in_s3, aws_access_key_id="test",
                          aws_secret_access_key="test", region_name="us-east-1")
    keys = {item["Key"] for item in client.list_objects_v2(Bucket=BUCKET, Prefix="media/")["Contents"]}
    assert f"media/{name}" in keys and f"media/{again}" in keys
    url = default_storage.url(name)
    assert url.startswith(f"{media_in_s3}/{BUCKET}/media/evidence/") and "Signature" in url
    with urllib.request.urlopen(url, timeout=5) as response:  # the signed link works, without credentials
        assert response.read().decode() == "进度照片"
    unsigned = url.split("?", 1)[0]
    with pytest.raises(urllib.error.HTTPError):  # and nothing is public without it
        urllib.request.urlopen(unsigned, timeout=5)
    default_storage.delete(name)
    assert not default_storage.exists(name)


@pytest.mark.django_db
def test_a_model_file_field_writes_there(media_in_s3, mini_plan) -> None:
    from touzi.reports.models import Evidence

    field = Evidence._meta.get_field("file")
    stored = field.storage  # the field follows STORAGES["default"]
    name = stored.save(field.generate_filename(None, "进度.pdf"), ContentFile(b"%PDF-1.4"))
    wrapped = stored._wrapped  # type: ignore[attr-defined]
    assert type(wrapped).__name__ == "S3Storage" and name.startswith("evidence/")
    assert stored.size(name) == 8

"""Evidence files: PDF or image, recognised by their first bytes, never by their name."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from touzi.lib.errors import BusinessError

_SIGNATURES = [
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
]


def sniff(head: bytes) -> tuple[str, str] | None:
    for magic, content_type, suffix in _SIGNATURES:
        if head.startswith(magic):
            return content_type, suffix
    return None


def check_upload(upload: UploadedFile) -> tuple[str, str, str]:
    """(content type, suffix, sha256) of an acceptable evidence file, else a Chinese BusinessError."""
    limit = settings.EVIDENCE_MAX_BYTES
    if upload.size > limit:
        raise BusinessError(_("佐证材料「%(name)s」超过 %(mb)s MB 上限") % {"name": upload.name, "mb": limit // (1024 * 1024)})
    if upload.size == 0:
        raise BusinessError(_("佐证材料「%(name)s」是空文件") % {"name": upload.name})
    upload.seek(0)
    kind = sniff(upload.read(16))
    if kind is None:
        raise BusinessError(_("佐证材料「%(name)s」不是 PDF、PNG 或 JPEG 文件(按文件内容判断)") % {"name": upload.name})
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return kind[0], kind[1], digest.hexdigest()

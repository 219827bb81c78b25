"""Evidence files (佐证材料) of monthly reports, supervision answers and indicator values: one check, one way to
store, one way to serve.

- Accepted: PDF, PNG or JPEG recognised by content, whose structure covers the whole file (formats.py).
  Anything else, and any polyglot, is refused with a Chinese message.
- Flagged, not refused: a PDF with active content (pdf.py). The reviewer sees the flag next to the file.
- Stored under a generated name (sha-256 prefix) with the detected type's extension; the uploader's name is kept,
  cleaned (names.py), for display only.
- Served with the stored detected type, as an attachment, nosniff, and a sandboxing CSP in case a browser
  renders it anyway.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse
from django.utils.translation import gettext as _

from touzi.lib.errors import BusinessError
from touzi.lib.evidence.formats import KINDS, PDF, Kind, Malformed, Trailing, check_structure, sniff
from touzi.lib.evidence.names import display_name, download_name
from touzi.lib.evidence.pdf import UNINSPECTED, active_content

__all__ = ["KINDS", "Checked", "check_upload", "detect_type", "evidence_response", "flag_text", "stored_name"]

FALLBACK_TYPE = "application/octet-stream"


@dataclass(frozen=True)
class Checked:
    """An accepted upload: its detected type, digest, reviewer flags and the name to display."""

    kind: Kind
    sha256: str
    name: str
    flags: list[str] = field(default_factory=list)

    @property
    def content_type(self) -> str:
        return self.kind.content_type

    @property
    def suffix(self) -> str:
        return self.kind.suffix


def check_upload(upload: UploadedFile) -> Checked:
    """The checked upload, else a BusinessError saying in Chinese why it is refused."""
    name = display_name(upload.name)
    limit = settings.EVIDENCE_MAX_BYTES
    size = upload.size or 0  # Django's uploads always know their size; the stubs allow None
    if size > limit:
        raise BusinessError(_("佐证材料「%(name)s」超过 %(mb)s MB 上限") % {"name": name, "mb": limit // (1024 * 1024)})
    if size == 0:
        raise BusinessError(_("佐证材料「%(name)s」是空文件") % {"name": name})
    upload.seek(0)
    data = upload.read()  # at most EVIDENCE_MAX_BYTES: the structure checks need the whole file
    upload.seek(0)
    kind = sniff(data)
    if kind is None:
        raise BusinessError(_("佐证材料「%(name)s」不是 PDF、PNG 或 JPEG 文件(按文件内容判断)") % {"name": name})
    try:
        check_structure(kind, data)
    except Trailing as exc:
        raise BusinessError(_("佐证材料「%(name)s」在 %(kind)s 内容结束后还附有其他数据,不予接收;"
                              "请用看图软件或 PDF 阅读器另存一份后再上传") % {"name": name, "kind": kind.label}) from exc
    except Malformed as exc:
        raise BusinessError(_("佐证材料「%(name)s」不是完整的 %(kind)s 文件(文件结构不正确),请重新导出后再上传")
                            % {"name": name, "kind": kind.label}) from exc
    flags = active_content(data) if kind is PDF else []
    return Checked(kind=kind, sha256=hashlib.sha256(data).hexdigest(), name=name, flags=flags)


def stored_name(checked: Checked) -> str:
    """The file's name in storage: nothing of the uploader's, the detected extension."""
    return f"{checked.sha256[:32]}{checked.suffix}"


def detect_type(head: bytes) -> str:
    """The content type of a stored file from its first bytes (for files stored before the type was kept)."""
    kind = sniff(head)
    return kind.content_type if kind else FALLBACK_TYPE


def flag_text(flags: list[str] | None) -> str:
    """What the reviewer is told about a flagged file ("" when it is not flagged)."""
    if not flags:
        return ""
    active = [f for f in flags if f != UNINSPECTED]
    parts = []
    if active:
        parts.append(_("PDF 含有脚本或自动动作(%(names)s),请在不执行脚本的阅读器中查看,或请填报单位提供不含脚本的版本")
                     % {"names": "、".join(active)})
    if UNINSPECTED in flags:
        parts.append(_("PDF 有部分内容未能检查(加密或压缩方式不支持),请谨慎打开"))
    return ";".join(parts)


def evidence_response(stored: Any, *, content_type: str, name: str) -> FileResponse:
    """A stored evidence file as a download: the stored detected type (never the name's), attachment, nosniff."""
    kind = KINDS.get(content_type)
    response = FileResponse(stored.open("rb"), as_attachment=True, filename=download_name(name, kind),
                            content_type=kind.content_type if kind else FALLBACK_TYPE)
    response["X-Content-Type-Options"] = "nosniff"
    # Should a browser render it anyway: no script, no plugin, no same-origin access.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response

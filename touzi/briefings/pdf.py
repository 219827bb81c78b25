"""The PDF of a briefing: its .docx converted by LibreOffice headless, the fonts embedded.

The official fonts (方正小标宋简体, 仿宋_GB2312, 楷体_GB2312, 黑体) are rarely installed on a server;
fonts.conf beside this module maps each to an installed face of the same design (仿宋 to FandolFang,
from Debian's texlive-lang-chinese) for the conversion only.

Speed: most of a conversion is LibreOffice starting. A new profile costs a second or two more than a
used one, so conversions reuse one profile per system user (under the temporary directory, private to
that user) while no other conversion holds it; a conversion that finds it busy uses a fresh profile of
its own, so conversions still run side by side.
"""

from __future__ import annotations

import contextlib
import fcntl
import io
import os
import shutil
import signal
import stat
import subprocess
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from xml.sax.saxutils import escape

from django.utils.translation import gettext_lazy as _

from touzi.lib.messages import Message, define, render

__all__ = ["FANDOL_DIRS", "FONTS_CONF", "PDF_TIMEOUT", "RenderError", "fonts_conf", "render_pdf"]

FONTS_CONF = Path(__file__).with_name("fonts.conf")
# Where Debian's texlive-lang-chinese puts the Fandol fonts; fontconfig does not index them by itself.
FANDOL_DIRS = (
    Path("/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol"),
    Path("/usr/share/texmf/fonts/opentype/public/fandol"),
)
# Codes with parameters: rendered in the language of whoever reads the refusal (see touzi.lib.messages).
MSG_NO_OFFICE = define("briefing.no_office", _("未安装 LibreOffice,无法生成 PDF"))
MSG_TIMEOUT = define("briefing.pdf_timeout", _("生成 PDF 超时(超过 %(seconds)s 秒),请稍后重试"))
MSG_FAILED = define("briefing.pdf_failed", _("LibreOffice 未能生成 PDF(退出码 %(code)s)%(detail)s"))
MSG_NOT_DOCX = define("briefing.not_docx", _("待转换的文件不是有效的 Word(.docx)文档"))
MSG_NOT_PDF = define("briefing.not_pdf", _("LibreOffice 生成的文件不是有效的 PDF"))
PDF_TIMEOUT = 120


class RenderError(Exception):
    """The document could not be produced; `msg` says why, `message` / str() in the active language."""

    def __init__(self, message: Message | str) -> None:
        super().__init__(message.code if isinstance(message, Message) else message)
        self.msg = message

    @property
    def message(self) -> str:
        return render(self.msg)

    def __str__(self) -> str:
        return self.message


def fonts_conf(system: str | None = None) -> str:
    """A fontconfig file: the Fandol fonts' folder, the stand-ins of fonts.conf, then the system's configuration."""
    system = system or os.environ.get("FONTCONFIG_FILE") or "/etc/fonts/fonts.conf"
    dirs = "".join(f"  <dir>{escape(str(path))}</dir>\n" for path in FANDOL_DIRS if path.is_dir())
    return (
        '<?xml version="1.0"?>\n'
        '<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
        "<fontconfig>\n"
        f"{dirs}"
        f'  <include ignore_missing="yes">{escape(str(FONTS_CONF))}</include>\n'
        f'  <include ignore_missing="yes">{escape(system)}</include>\n'
        "</fontconfig>\n"
    )


def _office() -> str:
    binary = shutil.which("soffice") or shutil.which("libreoffice")
    if binary is None:
        raise RenderError(MSG_NO_OFFICE())
    return binary


def _private_dir(path: Path) -> bool:
    """`path` is a real directory of this user that nobody else may write to (creating it if need be)."""
    try:
        path.mkdir(mode=0o700, exist_ok=True)
        info = path.lstat()
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid() and not info.st_mode & 0o077


@contextlib.contextmanager
def _profile(work: Path) -> Iterator[Path]:
    """The shared profile when it is free (held under an exclusive lock), else a fresh one in `work`."""
    shared = Path(tempfile.gettempdir()) / f"touzi-soffice-{os.getuid()}"
    if _private_dir(shared):
        with open(shared / "lock", "a+b") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                pass  # another conversion holds it
            else:
                try:
                    yield shared / "profile"
                finally:
                    fcntl.flock(lock, fcntl.LOCK_UN)
                return
    yield work / "profile"


def render_pdf(docx: bytes, *, timeout: float = PDF_TIMEOUT) -> bytes:
    """Convert a .docx to PDF with LibreOffice headless, fonts embedded.

    A conversion that takes longer than `timeout` seconds is killed with its whole process group.
    """
    binary = _office()
    if not _is_docx(docx):
        raise RenderError(MSG_NOT_DOCX())
    with tempfile.TemporaryDirectory(prefix="touzi-briefing-") as folder, _profile(Path(folder)) as profile:
        work = Path(folder)
        source = work / "briefing.docx"
        source.write_bytes(docx)
        (work / "fonts.conf").write_text(fonts_conf(), encoding="utf-8")
        output = work / "out"
        output.mkdir()
        env = dict(os.environ, FONTCONFIG_FILE=str(work / "fonts.conf"))
        env.setdefault("HOME", str(work))
        command = [
            binary,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--invisible",
            "--nodefault",
            "--nologo",
            "--nolockcheck",
            "--norestore",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(output),
            str(source),
        ]
        process = subprocess.Popen(
            command,
            cwd=work,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,  # its own process group: a timeout kills soffice.bin too
        )
        try:
            _, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(process)
            raise RenderError(MSG_TIMEOUT(seconds=f"{timeout:g}")) from None
        except BaseException:
            _kill_group(process)
            raise
        result = output / "briefing.pdf"
        if process.returncode != 0 or not result.exists():
            detail = stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
            raise RenderError(
                MSG_FAILED(code=process.returncode, detail=(":" + " ".join(detail)) if detail else "")
            )
        data = result.read_bytes()
    if not data.startswith(b"%PDF"):
        raise RenderError(MSG_NOT_PDF())
    return data


def _is_docx(data: bytes) -> bool:
    """A zip holding word/document.xml; LibreOffice would print anything else as plain text."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            return "word/document.xml" in package.namelist()
    except zipfile.BadZipFile:
        return False


def _kill_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.communicate()

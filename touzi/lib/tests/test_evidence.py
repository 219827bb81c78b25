"""Issue #12 (5): evidence is accepted only as the type its content shows, whole; a PDF's active content is flagged."""

from __future__ import annotations

import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from touzi.lib.errors import BusinessError
from touzi.lib.evidence import check_upload, evidence_response, flag_text, stored_name
from touzi.lib.evidence import pdf as pdf_scan
from touzi.lib.evidence.formats import JPEG, PNG
from touzi.lib.evidence.names import display_name, download_name
from touzi.lib.tests.evidence_files import chunk, jpeg, object_stream, pdf, png, stream

HTML = b"<html><script>alert(document.cookie)</script></html>"


def _check(name: str, data: bytes):
    return check_upload(SimpleUploadedFile(name, data))


def test_a_png_a_jpeg_and_a_pdf_whose_structure_covers_the_file_are_accepted_as_their_type() -> None:
    assert _check("a.png", png()).content_type == "image/png"
    assert _check("b.jpg", jpeg()).content_type == "image/jpeg"
    checked = _check("c.pdf", pdf())
    assert checked.content_type == "application/pdf" and checked.flags == []


@pytest.mark.parametrize("make", [png, jpeg, pdf])
def test_bytes_after_the_detected_types_end_are_refused_as_a_polyglot(make) -> None:
    with pytest.raises(BusinessError) as refused:
        _check("evil.html", make() + HTML)
    assert "结束后还附有其他数据" in refused.value.message and "evil.html" in refused.value.message


def test_padding_after_a_jpeg_and_whitespace_after_a_pdf_are_not_content() -> None:
    assert _check("a.jpg", jpeg() + b"\x00" * 64).content_type == "image/jpeg"
    assert _check("a.pdf", pdf() + b"\r\n \x00").content_type == "application/pdf"


def test_a_html_page_behind_a_png_header_is_refused() -> None:
    """The issue's case: a PNG signature followed by HTML was stored as evil.html."""
    with pytest.raises(BusinessError) as refused:
        _check("evil.html", b"\x89PNG\r\n\x1a\n" + HTML)
    assert "不是完整的 PNG 文件" in refused.value.message


@pytest.mark.parametrize("data", [
    png()[:-6],  # cut inside IEND
    png().replace(b"IDAT", b"IDAt"),  # the chunk's CRC no longer matches
    png()[:8] + png()[33:],  # IHDR missing
    jpeg()[:-2],  # no EOI
    b"%PDF-1.7\n1 0 obj<<>>endobj\n",  # no %%EOF
])
def test_a_file_with_a_broken_or_cut_structure_is_refused(data) -> None:
    with pytest.raises(BusinessError):
        _check("x", data)


def test_an_ancillary_png_chunk_may_carry_text_inside_the_structure() -> None:
    """Text inside a chunk is part of the picture's file (served as image/png, attachment): not a polyglot."""
    with_text = png(extra_chunks=chunk(b"tEXt", b"Comment\x00" + HTML))
    assert _check("a.png", with_text).content_type == "image/png"


@pytest.mark.parametrize(("obj", "found"), [
    (b"<< /S /JavaScript /JS (app.alert(1)) >>", ["JavaScript"]),
    (b"<< /S /J#61vaScript /J#53 (app.alert(1)) >>", ["JavaScript"]),  # names with #xx escapes
    (b"<< /OpenAction << /S /Launch /F (cmd.exe) >> >>", ["Launch", "OpenAction"]),
    (b"<< /AA << /O 5 0 R >> >>", ["AA"]),
    (b"<< /Names << /EmbeddedFiles 6 0 R >> >>", ["EmbeddedFile"]),
    (b"<< /RichMedia 1 /XFA 2 >>", ["RichMedia", "XFA"]),
])
def test_a_pdf_with_active_content_is_accepted_and_flagged_with_what_it_has(obj, found) -> None:
    checked = _check("a.pdf", pdf(obj))
    assert checked.flags == found


def test_javascript_hidden_in_a_compressed_object_stream_is_found() -> None:
    hidden = object_stream(b"<< /S /JavaScript /JS (app.alert(1)) >>", b"<< /OpenAction 10 0 R >>")
    assert pdf_scan.active_content(pdf()) == []
    assert _check("a.pdf", pdf(hidden)).flags == ["JavaScript", "OpenAction"]


def test_a_name_cut_by_an_inflate_slice_boundary_is_still_found(monkeypatch) -> None:
    monkeypatch.setattr(pdf_scan, "_SLICE", 64)
    filler = b"<< /Filler (" + b"a" * 57 + b") >>"
    hidden = object_stream(filler, b"<< /S /JavaScript >>")
    assert pdf_scan.active_content(pdf(hidden)) == ["JavaScript"]


def test_an_object_stream_past_the_inflate_budget_is_flagged_as_uninspected(monkeypatch) -> None:
    monkeypatch.setattr(pdf_scan, "INFLATE_BUDGET", 1024)
    bomb = object_stream(b"<< /Pad (" + b"0" * 100_000 + b") >>")
    assert _check("a.pdf", pdf(bomb)).flags == ["uninspected"]


@pytest.mark.parametrize("pdf_bytes", [
    pdf(trailer=b"/Encrypt 9 0 R "),
    pdf(stream(b"/Type /ObjStm /N 1 /First 4 /Filter [/ASCIIHexDecode /FlateDecode]", b"00ff>")),
])
def test_an_encrypted_pdf_or_an_undecoded_object_stream_is_flagged_as_uninspected(pdf_bytes) -> None:
    assert _check("a.pdf", pdf_bytes).flags == ["uninspected"]


def test_a_compressed_image_is_not_inflated_past_its_first_slice_nor_flagged() -> None:
    pixels = bytes(range(256)) * 4096  # binary once inflated: image data, not PDF syntax
    image = stream(b"/Type /XObject /Subtype /Image /Filter /FlateDecode", zlib.compress(pixels))
    assert _check("scan.pdf", pdf(image)).flags == []


def test_the_reviewers_warning_names_what_was_found() -> None:
    assert flag_text([]) == ""
    assert "JavaScript、OpenAction" in flag_text(["JavaScript", "OpenAction"])
    assert "未能检查" in flag_text(["uninspected"])


def test_the_stored_name_is_generated_with_the_detected_extension() -> None:
    checked = _check("../../etc/passwd.html", png())
    assert stored_name(checked) == checked.sha256[:32] + ".png"
    assert checked.name == "passwd.html"


@pytest.mark.parametrize(("raw", "shown"), [
    ("C:\\Users\\甲\\现场照片.png", "现场照片.png"),
    ("报告\u202efdp.exe", "报告fdp.exe"),  # a right-to-left override would show "exe.pdf"
    ("a\x00b\r\n.pdf", "ab.pdf"),
    ("zero\u200bwidth.pdf", "zerowidth.pdf"),
    ("  ..  ", "佐证材料"),
    ("长" * 300 + ".pdf", "长" * 251 + ".pdf"),
])
def test_the_uploaders_name_is_cleaned_for_display(raw, shown) -> None:
    assert display_name(raw) == shown


@pytest.mark.parametrize(("name", "kind", "saved"), [
    ("evil.html", PNG, "evil.png"), ("evil.svg", PNG, "evil.png"), ("photo.JPEG", JPEG, "photo.JPEG"),
    ("现场", JPEG, "现场.jpg"), (".html", PNG, "html.png"),
])
def test_a_download_is_saved_under_the_detected_types_extension(name, kind, saved) -> None:
    assert download_name(name, kind) == saved


def test_a_stored_file_is_served_as_its_stored_type_as_an_attachment_with_nosniff(tmp_path) -> None:
    class Stored:
        def open(self, mode: str):
            path = tmp_path / "f"
            path.write_bytes(png())
            return path.open(mode)

    response = evidence_response(Stored(), content_type="image/png", name="evil.html")
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment") and "evil.png" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff" and "sandbox" in response["Content-Security-Policy"]
    unknown = evidence_response(Stored(), content_type="text/html", name="a.html")
    assert unknown["Content-Type"] == "application/octet-stream"

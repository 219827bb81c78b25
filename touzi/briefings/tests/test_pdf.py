"""The PDF of sample.py's briefing, read back with poppler: the faces, the red 版头, the page numbers and
the 版记 where GB/T 9704 puts them. Needs LibreOffice and poppler-utils (skipped without them, except on CI).
"""

from __future__ import annotations

import shutil

import pytest
from django.utils import translation
from fontTools.ttLib import TTFont

from touzi.briefings.pdf import FANDOL_DIRS, RenderError, fonts_conf, render_pdf
from touzi.briefings.render import render_docx

from .pdftools import HAN, dark_rows, read_pdf, red_rows, tools_or_skip
from .sample import MASTHEAD, NUMBER, TITLE, sample

MM = 72 / 25.4
TEXT_BOTTOM = 297 - 35  # mm from the top of an A4 page: the bottom edge of the text block


@pytest.fixture(scope="module")
def docx_bytes() -> bytes:
    return render_docx(sample())


@pytest.fixture(scope="module")
def pdf(docx_bytes, tmp_path_factory):
    tools_or_skip()
    return read_pdf(render_pdf(docx_bytes), tmp_path_factory.mktemp("pdf"))


def fandol_fang() -> set[int]:
    for folder in FANDOL_DIRS:
        path = folder / "FandolFang-Regular.otf"
        if path.exists():
            return set(TTFont(path).getBestCmap())
    pytest.fail("FandolFang is not installed (Debian: texlive-lang-chinese)")


def test_fandol_fang_covers_all_of_gb2312_hanzi():
    tools_or_skip()
    covered = fandol_fang()
    hanzi = []
    for first in range(0xB0, 0xF8):
        for second in range(0xA1, 0xFF):
            try:
                hanzi.append(bytes([first, second]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    assert len(hanzi) == 6763
    assert [ch for ch in hanzi if ord(ch) not in covered] == []


def test_every_font_is_embedded_and_the_body_is_set_in_fangsong(pdf):
    fonts = pdf.fonts()
    assert fonts and all(embedded == "yes" for _, embedded in fonts), fonts
    body = [f for f in pdf.fragments if abs(f.size - 16) < 0.5 and HAN.search(f.text)]
    sentence = next(f for f in body if f.text.startswith("月，全市重大项目完成投资"))
    assert sentence.family.startswith("FandolFang")
    # 仿宋's fallback (Noto Serif CJK) prints no body text: every Chinese character of it is in FandolFang.
    assert not [f.text for f in body if f.family.startswith("NotoSerif")]


def test_masthead_is_red_and_the_red_rule_runs_under_the_number(pdf):
    mark = next(f for f in pdf.on(1) if f.text == MASTHEAD)
    assert mark.colour.lower() == "#ff0000"
    _, number_bottom, _ = next(line for line in pdf.lines(1) if line[2] == NUMBER)
    picture = pdf.picture(1, dpi=50)
    rules = red_rows(picture, min_share=0.6)  # the text block is 74 % of the page's width
    assert rules, "no red rule on page 1"
    rule_mm = rules[0] / 50 * 25.4
    number_bottom_mm = number_bottom / MM
    assert 0 < rule_mm - number_bottom_mm < 10  # 4 mm under the number (7.2.6), give or take the line


def test_title_number_and_figures_are_in_the_text(pdf):
    compact = "".join(pdf.text().split())
    assert TITLE in compact
    assert NUMBER in compact and "1,234,567.89" in compact and "特此通报。" in compact


def test_page_numbers_stand_on_the_outside_corners(pdf):
    assert pdf.pages >= 2
    for page in range(1, pdf.pages + 1):
        dashes = [f for f in pdf.on(page) if f.text.startswith("—") and f.top > TEXT_BOTTOM * MM]
        assert dashes, f"no page number on page {page}"
        left = min(f.left for f in dashes)
        right = max(f.left + f.width for f in dashes)
        if page % 2:
            assert left > pdf.page_width / 2, f"page {page}: odd numbers stand right"
        else:
            assert right < pdf.page_width / 2, f"page {page}: even numbers stand left"


def test_colophon_sits_on_the_bottom_of_the_last_page_between_rules(pdf):
    lines = pdf.lines(pdf.pages)
    copy = next(line for line in lines if line[2].startswith("抄送："))
    printed = next(line for line in lines if line[2].endswith("印发"))
    assert copy[0] < printed[0]
    assert TEXT_BOTTOM - 12 < printed[1] / MM <= TEXT_BOTTOM + 1
    rules = dark_rows(pdf.picture(pdf.pages, dpi=50), min_share=0.6)
    groups = [row for i, row in enumerate(rules) if i == 0 or row - rules[i - 1] > 1]
    assert len(groups) == 3  # first, middle and last rule of the 版记


def test_fonts_conf_adds_the_fandol_folder_then_the_stand_ins_then_the_system():
    generated = fonts_conf("/etc/fonts/fonts.conf")
    assert generated.index("touzi/briefings/fonts.conf") < generated.index("/etc/fonts/fonts.conf")
    if any(folder.is_dir() for folder in FANDOL_DIRS):
        assert "<dir>" in generated and "fandol" in generated


def test_pdf_without_libreoffice_says_so(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(RenderError) as raised:
        render_pdf(b"not used")
    assert raised.value.message == "未安装 LibreOffice,无法生成 PDF"
    with translation.override("en"):  # the same refusal, read by an English user
        assert str(raised.value) == "LibreOffice is not installed: the PDF cannot be produced"


def test_pdf_of_a_broken_file_raises_render_error():
    tools_or_skip()
    with pytest.raises(RenderError):
        render_pdf(b"this is not a docx")


def test_pdf_timeout_raises_render_error(docx_bytes):
    tools_or_skip()
    with pytest.raises(RenderError) as raised:
        render_pdf(docx_bytes, timeout=0.2)
    assert raised.value.message == "生成 PDF 超时(超过 0.2 秒),请稍后重试"


def test_the_shared_profile_folder_must_be_private_to_this_user(tmp_path):
    from touzi.briefings.pdf import _private_dir

    mine = tmp_path / "mine"
    assert _private_dir(mine) and oct(mine.stat().st_mode & 0o777) == "0o700"
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o777)
    shared.chmod(0o777)
    assert not _private_dir(shared)  # another user could have put a profile there: not used
    (tmp_path / "target").mkdir(mode=0o700)
    (tmp_path / "link").symlink_to(tmp_path / "target")
    assert not _private_dir(tmp_path / "link")

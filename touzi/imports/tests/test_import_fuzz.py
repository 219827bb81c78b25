"""Fuzzing the two imports through their public entry points with > 10,000 mutated and malformed workbooks.

Every case goes through the functions the web upload and `touzi import` call (`check`, `write`,
`stage_import`, `confirm_import`) and must end in one of the documented outcomes: accepted, refused with
row-level errors, or refused with a file-level `SheetError` whose message is Chinese. No other exception,
and a refused file — or an accepted preview — writes no business row. Most cases run the file-reading and
checking path (`check`, as the preview and `--dry-run` do); a representative subset runs the full
stage → confirm → write path, each inside a savepoint that is rolled back so that cases stay independent.

Cases are generated deterministically (seeded `random.Random`, hypothesis with `derandomize=True`), so a
failure replays. `RAN` counts the cases; the last test asserts the whole file ran at least 10,000.
"""

from __future__ import annotations

import datetime as dt
import random
import time
import zipfile
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from touzi.accounts.models import User
from touzi.audit.models import AuditRecord
from touzi.imports.choices import ImportStatus
from touzi.imports.common import Checked
from touzi.imports.models import ImportBatch
from touzi.imports.services import check, confirm_import, stage_import, write
from touzi.imports.tests import hostile
from touzi.imports.tests.hostile import Formula
from touzi.imports.tests.sheets import workbook as openpyxl_workbook
from touzi.lib.errors import BusinessError
from touzi.lib.xlsx import SheetError
from touzi.projects.models import AnnualPlan, FundingLine, KeyApproval, Membership, Project
from touzi.reports.models import Adjustment, Evidence, MonthLock, MonthlyReport
from touzi.units.models import Unit

pytestmark = pytest.mark.django_db

PLANT, PARK, RAIL = "2021-450521-26-03-000001", "2021-450521-26-03-000002", "2021-450503-54-01-000003"
REPORT_HEADER = ["项目代码", "项目名称", "报告期", "本月完成投资(万元)", "形象进度", "存在问题"]
PROJECT_HEADER = ["项目代码", "项目名称", "所属领域", "专项归属", "县区", "园区", "项目业主", "牵头单位", "总投资(万元)",
                  "专项债券(万元)", "企业自筹(万元)", "计划开工", "计划竣工", "项目阶段", "政府投资项目", "财政出资",
                  "房地产项目", "行业代码", "占用耕地", "建设内容"]
GOOD_REPORTS: list[Sequence[object]] = [[PLANT, "甲公司新材料工厂", "2023-03", 1200.5, "主体完工", ""],
                [PARK, "甲公司园区标准厂房", "2023-03", "300", "", "用地指标未落实"]]
GOOD_PROJECTS: list[Sequence[object]] = [["2023-450521-26-03-000501", "甲县新材料二期", "工业", "年度重大项目清单2023", "甲县", "", "甲公司",
                  "市工业和信息化局", "20,000", "", "20000", "2023-03", "2024-12", "新开工", "否", "", "否",
                  "26 化学原料和化学制品制造业", "否", "新建生产线"]]
BUSINESS = [Project, MonthlyReport, Unit, FundingLine, Membership, KeyApproval, AnnualPlan, Adjustment, Evidence,
            MonthLock]
SECRET = "root:x:0:0"  # what an external entity pointing at /etc/passwd would leak into a cell
RAN: Counter[str] = Counter()
SECONDS: dict[str, float] = defaultdict(float)
CPU: dict[str, float] = defaultdict(float)  # process time: what the cases cost on a machine shared with others
FUZZ_SETTINGS = settings(deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck),
                         print_blob=True)


def counts(*, with_batches: bool = True) -> tuple[int, ...]:
    """Rows of every table an import could touch, in one query."""
    models = [*BUSINESS, AuditRecord, *([ImportBatch] if with_batches else [])]
    sql = "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {connection.ops.quote_name(m._meta.db_table)})"
                                for m in models)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return tuple(cursor.fetchone())


def business_counts() -> tuple[int, ...]:
    return counts()[:len(BUSINESS)]


def chinese(text: str) -> bool:
    return bool(text) and any("\u4e00" <= ch <= "\u9fff" for ch in text)


@contextmanager
def timed(name: str) -> Iterator[None]:
    start, cpu = time.perf_counter(), time.process_time()
    yield
    SECONDS[name] += time.perf_counter() - start
    CPU[name] += time.process_time() - cpu


@contextmanager
def undone() -> Iterator[None]:
    """Run a case that may write inside a savepoint, then roll it back: the next case starts from the same data."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def assert_sane(kind: str, checked: Checked, user: User) -> None:
    """What an accepted or row-refused file must look like."""
    for error in checked.errors:
        assert error.row >= 1 and chinese(error.message), error
    for note in checked.notes:
        assert SECRET not in str(note)
    if not checked.ok:
        return
    for row in checked.rows:
        if kind == "reports":
            assert row.amount.is_finite() and row.amount >= 0, row
            assert row.project_id in user.allowed_ids, row  # type: ignore[attr-defined]  # the fixture's oracle: only the user's own projects
            assert dt.date(2000, 1, 1) <= row.month <= dt.date.today(), row
            assert SECRET not in row.progress and SECRET not in row.problems
        else:
            values = row.data.values
            assert values["total_investment"] is not None and values["total_investment"].is_finite()
            assert SECRET not in values["name"] and SECRET not in values.get("description", "")


def attempt(kind: str, content: bytes, user: User, category: str) -> str:
    """One case through `check` (the preview, `touzi import --dry-run`): the outcome, never a crash or a write."""
    before = counts()
    try:
        checked = check(kind, content, user)
    except SheetError as exc:
        outcome = "file"
        assert chinese(exc.message), exc.message
        assert SECRET not in exc.message
    else:
        assert_sane(kind, checked, user)
        outcome = "accepted" if checked.ok else "rows"
    assert counts() == before, f"{category}: a preview wrote rows"
    RAN[category] += 1
    return outcome


def staged(kind: str, content: bytes, user: User, category: str, *, confirm: bool) -> str:
    """One case through the web upload's services: stage (preview), then confirm when the preview is clean."""
    with undone():
        before = business_counts()
        try:
            batch = stage_import(kind, "fuzz.xlsx", content, actor=user)
        except BusinessError as exc:  # above the size limit: refused before anything is kept
            assert chinese(exc.message)
            assert business_counts() == before
            RAN[category] += 1
            return "file"
        assert business_counts() == before, f"{category}: staging wrote business rows"
        if batch.status == ImportStatus.REFUSED:
            assert chinese(batch.message) or batch.errors, batch
            outcome = "refused"
        else:
            assert batch.status == ImportStatus.PREVIEWED
            outcome = "previewed"
            if confirm:
                batch = confirm_import(batch, actor=user)
                after = business_counts()
                if batch.status == ImportStatus.COMMITTED:
                    model = Project if kind == "projects" else MonthlyReport
                    index = BUSINESS.index(model)
                    assert after[index] - before[index] == batch.summary["create"], batch.summary
                    outcome = "committed"
                else:
                    assert batch.status == ImportStatus.FAILED and chinese(batch.message)
                    assert after == before, f"{category}: a failed confirm wrote rows"
    RAN[category] += 1
    return outcome


def written(kind: str, content: bytes, user: User, category: str) -> str:
    """One case through `write` (what `touzi import` runs): all or nothing."""
    with undone():
        before = business_counts()
        try:
            checked = write(kind, content, user, file_name="fuzz.xlsx")
        except SheetError as exc:
            assert chinese(exc.message)
            assert business_counts() == before
            outcome = "file"
        else:
            assert_sane(kind, checked, user)
            if checked.ok:
                outcome = "written"
            else:
                assert business_counts() == before, f"{category}: a refused write wrote rows"
                outcome = "rows"
    RAN[category] += 1
    return outcome


@pytest.fixture
def people(projects, aaron, olive):
    """Aaron (county A) imports reports, Olive (plan office) imports projects; `allowed_ids` is the oracle."""
    aaron.allowed_ids = {projects["plant"].pk, projects["park"].pk}
    olive.allowed_ids = set(Project.objects.values_list("pk", flat=True))
    return {"reports": aaron, "projects": olive}


def seeds() -> dict[str, list[bytes]]:
    return {
        "reports": [hostile.xlsx([REPORT_HEADER, *GOOD_REPORTS]), openpyxl_workbook(GOOD_REPORTS)],
        "projects": [hostile.xlsx([PROJECT_HEADER, *GOOD_PROJECTS]),
                     openpyxl_workbook(GOOD_PROJECTS, header=PROJECT_HEADER)],
    }


def test_the_unmutated_seeds_are_accepted_so_mutations_start_from_a_good_file(people) -> None:
    for kind, files in seeds().items():
        for content in files:
            assert attempt(kind, content, people[kind], "seeds") == "accepted"


# --- byte level ----------------------------------------------------------------------------------------

BYTE_CASES = 6200


def test_byte_level_mutations_are_refused_as_a_file_or_read_never_a_crash(people) -> None:
    outcomes: Counter[str] = Counter()
    files = seeds()
    with timed("bytes"):
        for n in range(BYTE_CASES):
            rnd = random.Random(n)
            kind = ("reports", "projects")[n % 2]
            seed = rnd.choice(files[kind])
            mutate = hostile.BYTE_MUTATORS[n % len(hostile.BYTE_MUTATORS)]
            content = mutate(seed, rnd)
            if rnd.random() < 0.3:  # some files are broken twice
                content = rnd.choice(hostile.BYTE_MUTATORS)(content or seed, rnd)
            if n % 40 == 0:
                outcomes[staged(kind, content, people[kind], "bytes", confirm=True)] += 1
            else:
                outcomes[attempt(kind, content, people[kind], "bytes")] += 1
    assert RAN["bytes"] == BYTE_CASES
    assert outcomes["file"] > BYTE_CASES // 2, outcomes  # most mutations break the file


# --- zip level -----------------------------------------------------------------------------------------

def zip_cases() -> Iterator[tuple[str, str, bytes]]:
    """(kind, what, bytes) for every zip-level trick, on both kinds of workbook."""
    bomb = hostile.stored_bomb(32 * 1024 * 1024)
    for kind, rows in (("reports", [REPORT_HEADER, *GOOD_REPORTS]), ("projects", [PROJECT_HEADER, *GOOD_PROJECTS])):
        members = hostile.parts(rows)
        names = list(members)
        valid = hostile.pack(members)
        yield kind, "stored, not deflated", hostile.pack(members, method=zipfile.ZIP_STORED)
        for index, name in enumerate(names):
            yield kind, f"without {name}", hostile.without(members, name)
            yield kind, f"{name} twice", hostile.duplicated(members, name)
            yield kind, f"{name} twice, second broken", hostile.duplicated(members, name, b"<x")
            for value in (0, 1, 0xDEADBEEF, 0xFFFFFFFF):
                yield kind, f"{name} crc {value:x}", hostile.patch_central(valid, index, "crc", value)
            for value in (0, 1, 100, 10**6, 2**31, 0xFFFFFFFF):
                yield kind, f"{name} declares size {value}", hostile.patch_central(valid, index, "size", value)
                yield kind, f"{name} declares packed {value}", hostile.patch_central(valid, index, "compressed", value)
            for method in (1, 9, 12, 14, 93, 99, 0xFFFF):
                yield kind, f"{name} method {method}", hostile.patch_central(valid, index, "method", method)
            for flags in (0x1, 0x8, 0x40, 0x41, 0xFFFF):
                yield kind, f"{name} flags {flags:x}", hostile.patch_central(valid, index, "flags", flags)
        yield kind, "encrypted worksheet", hostile.encrypted_member(members)
        yield kind, "two archives back to back", valid * 2
        yield kind, "junk before the archive (self-extracting style)", bytes(range(64)) + valid
        for depth in range(1, 12):
            yield kind, f"nested zip depth {depth}", hostile.nested_zip(members, depth)
        for declared in (1024, 1024 * 1024, 32 * 1024 * 1024):
            yield kind, f"bomb declared {declared}", hostile.with_raw_member(members, "xl/media/bomb.bin", bomb,
                                                                             declared_size=declared)
        yield kind, "bomb as the worksheet", hostile.pack({**members, hostile.SHEET: b"\0" * (8 * 1024 * 1024)})
        yield kind, "bomb of whitespace in the worksheet", hostile.pack(
            {**members, hostile.SHEET: str(members[hostile.SHEET]).replace("<sheetData>", "<sheetData>" + " " * 3_000_000)})


def test_zip_level_tricks_are_refused_as_a_file_or_read_never_a_crash(people) -> None:
    outcomes: Counter[str] = Counter()
    with timed("zip"):
        for n, (kind, what, content) in enumerate(zip_cases()):
            if n % 10 == 0:
                outcomes[written(kind, content, people[kind], "zip")] += 1
            else:
                try:
                    outcomes[attempt(kind, content, people[kind], "zip")] += 1
                except AssertionError as exc:
                    raise AssertionError(f"{kind}: {what}: {exc}") from exc
    assert RAN["zip"] >= 400, RAN["zip"]
    assert outcomes["file"] > RAN["zip"] // 3, outcomes


NOT_XLSX_CASES = 800


def test_files_that_are_not_xlsx_are_refused_as_a_file(people) -> None:
    files = seeds()
    with timed("containers"):
        for n in range(NOT_XLSX_CASES):
            rnd = random.Random(10**6 + n)
            kind = ("reports", "projects")[n % 2]
            content = hostile.not_xlsx(rnd, files[kind][0])
            outcome = attempt(kind, content, people[kind], "containers")
            assert outcome == "file", (n, content[:40])


# --- XML level -----------------------------------------------------------------------------------------

LAUGHS = ('<!DOCTYPE lolz [<!ENTITY lol "lolololololololololol">'
          + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 9))
          + "]>")
XXE = '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
XXE_PARAM = '<!DOCTYPE x [<!ENTITY % p SYSTEM "http://127.0.0.1:9/evil.dtd"> %p;]>'


def _with_doctype(xml: str, doctype: str) -> str:
    head, _, body = xml.partition("\n")
    return f"{head}\n{doctype}{body}"


def xml_cases(rnd: random.Random, kind: str) -> bytes:
    """One XML-level mutation of a valid workbook, chosen by `rnd`."""
    header = REPORT_HEADER if kind == "reports" else PROJECT_HEADER
    good = [list(r) for r in (GOOD_REPORTS if kind == "reports" else GOOD_PROJECTS)]
    members = hostile.parts([header, *good])
    name = rnd.choice(list(members))
    xml = str(members[name])
    trick = rnd.randrange(16)
    if trick == 0:  # malformed: cut anywhere
        members[name] = xml[:rnd.randrange(len(xml))]
    elif trick == 1:  # malformed: a tag dropped or doubled
        cut = rnd.randrange(len(xml))
        members[name] = xml[:cut] + rnd.choice(["<", ">", "</row>", "<c>", "&", "&#0;", "\0", "]]>"]) + xml[cut:]
    elif trick == 2:  # entity expansion (billion laughs)
        members[name] = _with_doctype(xml, LAUGHS).replace("主体完工", "&lol8;").replace("甲公司", "&lol8;")
    elif trick == 3:  # external entity (XXE), in a cell the import echoes back
        members[name] = _with_doctype(xml, XXE).replace("主体完工", "&xxe;").replace("新建生产线", "&xxe;")
    elif trick == 4:
        members[name] = _with_doctype(xml, XXE_PARAM)
    elif trick == 5:  # another encoding declared than used
        members[name] = xml.replace('encoding="UTF-8"', rnd.choice(['encoding="UTF-16"', 'encoding="GBK"',
                                                                    'encoding="x-nonsense"']))
    elif trick == 6:  # bytes that are not UTF-8
        members[name] = xml.encode() .replace("甲".encode(), "甲".encode("gbk"))
    elif trick == 7:  # huge or nonsense dimensions and row numbers
        rows: list[Sequence[object]] = [header, *good]
        members[hostile.SHEET] = hostile.sheet_xml(
            rows, dimension=rnd.choice(["A1:XFD1048576", "A1:ZZZZ99999999", "A0:A0", "B2:A1", "-1", ""]),
            first_row=rnd.choice([1, 1, 2, 19, 21, 1048570, 1048576, 2_000_000, 99_999_999]))
    elif trick == 8:  # row numbers going backwards or repeated, refs that disagree with the row
        sheet = hostile.sheet_xml([header, *good])
        members[hostile.SHEET] = sheet.replace('<row r="2">', f'<row r="{rnd.choice(["1", "0", "-5", "x", "2"])}">')
    elif trick == 9:  # wrong types
        raw = rnd.choice([("s", "99"), ("s", "-1"), ("s", "x"), ("b", "maybe"), ("n", "abc"), ("n", "1e999"),
                          ("n", "NaN"), ("n", "-inf"), ("e", "#DIV/0!"), ("e", "#REF!"), ("d", "not-a-date"),
                          ("d", "2023-02-30"), ("str", "=1+1"), ("inlineStr", "x"), ("zz", "1")])
        good[rnd.randrange(len(good))][rnd.randrange(len(header))] = raw
        members[hostile.SHEET] = hostile.sheet_xml([header, *good])
    elif trick == 10:  # formulas, with and without cached values
        formula = Formula(rnd.choice(["1+1", "SUM(A1:A9)", 'HYPERLINK("http://x","y")', "cmd|' /C calc'!A0",
                                      "A1", "1/0", "NOW()"]),
                          rnd.choice([None, 2, "2023-03", "=1+1", "甲公司新材料工厂", PLANT, -5]))
        good[rnd.randrange(len(good))][rnd.randrange(len(header))] = formula
        members[hostile.SHEET] = hostile.sheet_xml([header, *good])
    elif trick == 11:  # date cells, sane and not
        value = rnd.choice([dt.date(2023, 3, 1), dt.datetime(2023, 3, 31, 23, 59), dt.date(1900, 1, 1),
                            dt.date(9999, 12, 31), ("n", "-1"), ("n", "1e10"), ("n", "2958466")])
        if isinstance(value, tuple):
            sheet = hostile.sheet_xml([header, *good]).replace('t="inlineStr"><is><t xml:space="preserve">2023-03',
                                                              f's="1"><v>{value[1]}</v><is><t>x', 1)
            members[hostile.SHEET] = sheet
        else:
            good[rnd.randrange(len(good))][rnd.randrange(len(header))] = value
            members[hostile.SHEET] = hostile.sheet_xml([header, *good])
    elif trick == 12:  # style index out of range, missing styles
        members[hostile.SHEET] = hostile.sheet_xml([header, *good]).replace("<c r=", '<c s="99" r=', 3)
        if rnd.random() < 0.5:
            members.pop("xl/styles.xml")
    elif trick == 13:  # too many columns
        width = rnd.choice([99, 100, 101, 150, 16384])
        members[hostile.SHEET] = hostile.sheet_xml([[*header, *[f"列{i}" for i in range(width - len(header))]],
                                                    *good])
    elif trick == 14:  # unicode junk in every text cell
        junk = rnd.choice(["\u202e", "\u200b", "\ufeff", "\U0001f600", "_x0000_", "_xD800_", "_x001B_", "\u3000",
                           "＝１＋１", "\r\n", "\t=", "ｓｕｍ", "\u0301" * 50])
        members[hostile.SHEET] = hostile.sheet_xml([header, *[[f"{v}{junk}" if isinstance(v, str) else v
                                                              for v in row] for row in good]])
    else:  # a workbook whose sheet list points at nothing, or at itself
        members["xl/workbook.xml"] = xml.replace('r:id="rId1"', rnd.choice(['r:id="rId9"', 'r:id="rId2"', ""])) \
            if name == "xl/workbook.xml" else str(members["xl/workbook.xml"]).replace(
                "</sheets>", '<sheet name="Sheet1" sheetId="2" r:id="rId1"/></sheets>')
    return hostile.pack(members)


XML_CASES = 1000


def test_xml_level_mutations_are_refused_as_a_file_or_read_never_a_crash_nor_a_leak(people) -> None:
    outcomes: Counter[str] = Counter()
    with timed("xml"):
        for n in range(XML_CASES):
            rnd = random.Random(2 * 10**6 + n)
            kind = ("reports", "projects")[n % 2]
            content = xml_cases(rnd, kind)
            if n % 25 == 0:
                outcomes[staged(kind, content, people[kind], "xml", confirm=True)] += 1
            else:
                outcomes[attempt(kind, content, people[kind], "xml")] += 1
    assert RAN["xml"] == XML_CASES
    assert outcomes["file"] and (outcomes["accepted"] or outcomes["rows"]), outcomes


# --- value level ---------------------------------------------------------------------------------------

FULL_WIDTH = str.maketrans("0123456789.,-+", "０１２３４５６７８９．，－＋")
FORMULA_LOOKING = ["=1+1", "+cmd", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "＝1+1", "=HYPERLINK(\"http://x\")",
                   "=cmd|' /C calc'!A0"]


def _number_texts(number: Decimal | int) -> st.SearchStrategy[str]:
    text = format(number, "f") if isinstance(number, Decimal) else str(number)
    grouped = f"{number:,}" if isinstance(number, int) else text
    return st.sampled_from([text, text.translate(FULL_WIDTH), grouped, f"({text})", f" {text} ", f"{text}万元",
                            f"{text}%", f"{text}e3", text.replace(".", ","), f"-{text}", f"{text}.", f"１{text}"])


amounts = st.one_of(
    st.none(),
    st.integers(-10**20, 10**20),
    st.decimals(allow_nan=False, allow_infinity=False, places=4),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-10**20, 10**20).flatmap(_number_texts),
    st.decimals(min_value=-10**9, max_value=10**9, places=4, allow_nan=False).flatmap(_number_texts),
    st.sampled_from(["NaN", "nan", "inf", "-inf", "Infinity", "1e3", "1E+3", "1.234,56", "12%", "100万元", "-", "—",
                     "", " ", "〇", "一百", "0x10", "1_000", "١٢٣", "١٢٣.٥", *FORMULA_LOOKING]),
    st.builds(Formula, st.sampled_from(["1+1", "A1*2", "SUM(A1:A3)"]), st.one_of(st.none(), st.integers(0, 10**6),
                                                                                  st.text(max_size=5))),
    st.booleans(),
    st.dates(),
    st.text(max_size=12),
)
periods = st.one_of(
    st.none(),
    st.sampled_from(["2023-03", "2023-3", "2023/03", "2023.03", "202303", "2023年3月", "2023年1-2月", "2023年1—2月",
                     "２０２３－０３", "2023-13", "2023-00", "1999-12", "2101-01", "2099-01", "03/2023", "2023",
                     "2023-03-15", "2023年3月份", *FORMULA_LOOKING]),
    st.integers(0, 300000),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(min_value=dt.date(1900, 3, 1)),
    st.datetimes(min_value=dt.datetime(1900, 3, 1)),
    st.builds(lambda y, m: f"{y}-{m:02d}", st.integers(1990, 2110), st.integers(0, 13)),
    st.text(max_size=10),
)
LONG = ["项" * 32767, "x" * 32768 + "溢出", "=" + "1+" * 20000 + "1"]
junk_text = st.one_of(st.text(max_size=40), st.sampled_from([*FORMULA_LOOKING, *LONG]))
codes = st.one_of(st.sampled_from([PLANT, PARK, RAIL, "2021-450521-26-03-999999", "", f" {PLANT} ",
                                   PLANT.translate(FULL_WIDTH), f"={PLANT}", PLANT.lower(), "合计", "小计"]),
                  st.text(max_size=30), st.integers(), st.floats())
names = st.one_of(st.sampled_from(["甲公司新材料工厂", "甲公司园区标准厂房", "乙区铁路专用线", "甲公司 新材料工厂", "", "别的"]),
                  junk_text)
report_rows = st.lists(st.tuples(codes, names, periods, amounts, junk_text, junk_text).map(list)
                       | st.just([None] * 6), min_size=1, max_size=5)

VALUE_REPORT_CASES = 1300


@settings(FUZZ_SETTINGS, max_examples=VALUE_REPORT_CASES)
@given(rows=report_rows, title=st.sampled_from([[], ["2023年3月重大项目月报"], ["标题", "填报单位:甲县"]]))
def test_any_cell_values_in_a_report_file_are_read_or_refused_by_row(people, rows, title) -> None:
    content = hostile.xlsx([*[[t] for t in title], REPORT_HEADER, *rows])
    with timed("report values"):
        attempt("reports", content, people["reports"], "report values")


domains = st.one_of(st.sampled_from(["工业", "铁路", "综合交通", "industry", "railway", "不存在的领域", ""]), junk_text)
counties = st.one_of(st.sampled_from(["甲县", "乙区", "甲县人民政府", "450521", "火星县", ""]), junk_text)
owners = st.one_of(st.sampled_from(["甲公司", "乙公司", "新来的实业有限公司", "", "=1+1有限公司"]), junk_text)
stages = st.one_of(st.sampled_from(["储备", "前期", "新开工", "续建", "竣工", "投产", "取消", "半完工", "new_start", ""]),
                   junk_text)
flags = st.one_of(st.sampled_from(["是", "否", "Y", "n", "√", "×", "", "maybe"]), st.booleans(), st.integers(-1, 2))
project_codes = st.one_of(st.builds(lambda n: f"2023-450521-26-03-{n:06d}", st.integers(0, 999999)),
                          st.sampled_from([PLANT, RAIL, "", "12345"]), st.text(max_size=30))
project_rows = st.lists(
    st.tuples(project_codes, st.one_of(st.builds(lambda n: f"甲县新项目{n}", st.integers(0, 50)), junk_text),
              domains, st.one_of(st.sampled_from(["年度重大项目清单2023", "年度重大项目清单", "不存在的专项", ""]),
                                 junk_text),
              counties, st.sampled_from(["", "甲县园区", "火星园区"]), owners,
              st.sampled_from(["市工业和信息化局", "", "不存在的局"]), amounts, amounts, amounts, periods, periods,
              stages, flags, amounts, flags, st.one_of(st.sampled_from(["26", "26 化学原料", ""]), junk_text), flags,
              junk_text).map(list),
    min_size=1, max_size=3)

VALUE_PROJECT_CASES = 450


@settings(FUZZ_SETTINGS, max_examples=VALUE_PROJECT_CASES)
@given(rows=project_rows)
def test_any_cell_values_in_a_project_file_are_read_or_refused_by_row(people, rows) -> None:
    content = hostile.xlsx([PROJECT_HEADER, *rows])
    with timed("project values"):
        attempt("projects", content, people["projects"], "project values")


# --- the full write path with fuzzed values ----------------------------------------------------------

WRITE_CASES = 100


@settings(FUZZ_SETTINGS, max_examples=WRITE_CASES)
@given(kind=st.sampled_from(["reports", "projects"]), report=report_rows, project=project_rows,
       via=st.sampled_from(["stage", "write"]))
def test_fuzzed_files_through_upload_confirm_and_write_are_all_or_nothing(people, kind, report, project, via) -> None:
    rows = [REPORT_HEADER, *report] if kind == "reports" else [PROJECT_HEADER, *project]
    content = hostile.xlsx(rows)
    with timed("write path"):
        if via == "stage":
            staged(kind, content, people[kind], "write path", confirm=True)
        else:
            written(kind, content, people[kind], "write path")


def test_clean_fuzz_shaped_files_are_really_written_through_confirm(people) -> None:
    """The write-path oracle is not vacuous: a clean file of each kind commits and adds its rows."""
    for kind, rows in (("reports", [REPORT_HEADER, *GOOD_REPORTS]), ("projects", [PROJECT_HEADER, *GOOD_PROJECTS])):
        assert staged(kind, hostile.xlsx(rows), people[kind], "write path", confirm=True) == "committed"
        assert written(kind, hostile.xlsx(rows), people[kind], "write path") == "written"


# --- limits --------------------------------------------------------------------------------------------

def test_row_column_and_size_limits_are_file_level_refusals_while_streaming(people, settings) -> None:
    settings.IMPORT_MAX_ROWS = 50
    many: list[Sequence[object]] = [[PLANT, "甲公司新材料工厂", f"{2000 + i // 12}-{i % 12 + 1:02d}", 1, "", ""]
                                    for i in range(51)]
    for rows, expected in (([REPORT_HEADER, *many], "file"), ([REPORT_HEADER, *many[:50]], "rows")):
        assert attempt("reports", hostile.xlsx(rows), people["reports"], "limits") == expected
    wide: list[Sequence[object]] = [[*REPORT_HEADER, *[f"列{i}" for i in range(101 - len(REPORT_HEADER))]], *GOOD_REPORTS]
    assert attempt("reports", hostile.xlsx(wide), people["reports"], "limits") == "file"
    settings.IMPORT_MAX_BYTES = 2048
    big = hostile.xlsx([REPORT_HEADER, *GOOD_REPORTS, *[[None, None, None, None, "x" * 500, ""]] * 4])
    assert attempt("reports", big, people["reports"], "limits") == "file"
    assert staged("reports", big, people["reports"], "limits", confirm=False) == "file"


# --- the count ------------------------------------------------------------------------------------------

PLANNED: dict[str, int] = {"bytes": BYTE_CASES, "containers": NOT_XLSX_CASES, "xml": XML_CASES,
                           "report values": VALUE_REPORT_CASES, "project values": VALUE_PROJECT_CASES}


def test_the_fuzz_ran_at_least_ten_thousand_workbooks() -> None:
    ran_all = all(RAN[name] >= planned for name, planned in PLANNED.items()) and RAN["zip"] >= 400
    if not ran_all:
        pytest.skip(f"only part of the fuzz file ran: {dict(RAN)}")
    total = sum(RAN.values())
    timings = ", ".join(f"{name} {seconds:.1f}s (cpu {CPU[name]:.1f}s)" for name, seconds in SECONDS.items())
    print(f"\nimport fuzz: {total} workbooks ({dict(RAN)}); {timings}")
    assert total >= 10_000, RAN


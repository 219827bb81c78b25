"""Hostile workbooks cost one refused file, never a process: in-process, on the CLI and under gunicorn.

The corpus (`corpus.py`, 300+ files: truncations, bit flips, XML mutations, lying zip headers, lying
declared counts and dimensions, encodings, formulas, VBA, external links, relationship loops, entities,
huge extents) goes through the import's checks in this process, then a sample through `touzi import`
and through the web upload of a real gunicorn worker, which must survive every one of them.

The parser runs in a forked child with a memory ceiling (`touzi/lib/sandbox.py`); the tests lower that
ceiling to 128 MB so that "below the ceiling" means something, and also switch off the pre-parse check
of declared counts to show that the ceiling alone turns the known parser crashes into refusals.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from pathlib import Path

import pytest

from touzi.imports.report_import import REPORT_COLUMNS
from touzi.imports.services import check
from touzi.imports.tests import corpus, external, hostile
from touzi.lib import sandbox, xlsx

CEILING_MB = 128
SECRET = "root:x:0:0"
# Files that made python-calamine abort (SIGABRT, a 96 GB reservation) or panic before the ceiling existed.
CRASHERS = {"uniqueCount=4294967295": "memory", "uniqueCount=18446744073709551615": "crash"}


def chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def own_rss() -> int:
    with open("/proc/self/statm", "rb") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def test_the_corpus_holds_at_least_300_files_of_every_kind_asked_for() -> None:
    kinds = Counter(kind for kind, _, _ in corpus.corpus())
    assert sum(kinds.values()) >= 300, kinds
    assert set(kinds) >= {"truncation", "bit flip", "xml", "zip header", "declared counts", "dimension", "encoding",
                          "formula", "vba", "external link", "rels", "entities", "extent"}


@pytest.mark.django_db
def test_every_hostile_file_is_read_or_refused_with_a_chinese_message_within_the_ceiling(projects, olive,
                                                                                        settings) -> None:
    settings.IMPORT_PARSE_MEMORY_MB = CEILING_MB
    outcomes: Counter[str] = Counter()
    for kind, label, data in corpus.corpus():
        sandbox.last_usage.max_rss_bytes = 0
        inherited = own_rss()
        try:
            checked = check("reports", data, olive)
        except xlsx.SheetError as exc:
            assert chinese(exc.message), (kind, label, exc.message)
            outcomes["refused"] += 1
        else:
            outcomes["read"] += 1
            for error in checked.errors:
                assert chinese(error.message) and SECRET not in str(error.value), (kind, label, error)
        # The child's resident memory never passes what it inherited plus its ceiling.
        assert sandbox.last_usage.max_rss_bytes <= inherited + CEILING_MB * xlsx.MIB, (kind, label)
    assert outcomes["refused"] > 150 and outcomes["read"] > 0, outcomes


@pytest.mark.parametrize(("label", "reason"), CRASHERS.items())
def test_without_the_count_check_the_ceiling_alone_turns_a_parser_crash_into_a_refusal(label, reason,
                                                                                        monkeypatch) -> None:
    data = next(data for _, name, data in corpus.corpus() if name == label)
    with pytest.raises(xlsx.SheetError) as refused:
        xlsx.read_table(data, REPORT_COLUMNS)
    assert refused.value.msg == xlsx.errors.MSG_DECLARED()
    monkeypatch.setattr(xlsx.safety, "_check_declared_counts", lambda *args: None)
    with pytest.raises(xlsx.SheetError) as refused:
        xlsx.read_table(data, REPORT_COLUMNS, limits=xlsx.Limits(parse_memory_bytes=CEILING_MB * xlsx.MIB))
    assert isinstance(refused.value.__cause__, sandbox.SandboxError)
    assert refused.value.__cause__.reason == reason
    assert refused.value.msg == {"memory": xlsx.errors.MSG_MEMORY, "crash": xlsx.errors.MSG_UNREADABLE}[reason]()
    # This process is untouched and reads the next file.
    assert len(xlsx.read_table(corpus.valid(), REPORT_COLUMNS).rows) == 2


def test_honest_shared_string_counts_pass_the_check() -> None:
    strings = [f"项目{i}" for i in range(50)]
    members = hostile.parts([corpus.REPORT_HEADER, [("s", 0), "工厂", "2023-03", 1, "", ""]])
    data = hostile.pack(hostile.with_shared_strings(members, hostile.sst_xml(strings, count=1)))
    table = xlsx.read_table(data, REPORT_COLUMNS)
    assert table.rows[0].values["code"] == "项目0"


# --- the sandbox itself -----------------------------------------------------------------------------

def _probe(behaviour: str, *, seconds: int = 60) -> list:
    ceiling = sandbox.Ceiling(memory_bytes=CEILING_MB * xlsx.MIB, cpu_seconds=seconds)
    return list(sandbox.run("sandbox.probe", b"", behaviour, ceiling=ceiling))


@pytest.mark.parametrize(("behaviour", "reason"), [("abort", "memory"), ("panic", "crash"), ("allocate", "memory"),
                                                  ("refuse", "refused")])
def test_a_worker_that_aborts_panics_or_overallocates_is_a_sandbox_error_not_our_death(behaviour, reason) -> None:
    with pytest.raises(sandbox.SandboxError) as failed:
        _probe(behaviour)
    assert failed.value.reason == reason
    assert _probe("echo")[0] == "echo"  # the next job runs as usual


def test_a_worker_that_loops_is_stopped_by_its_cpu_ceiling() -> None:
    start = time.monotonic()
    with pytest.raises(sandbox.SandboxError) as failed:
        _probe("spin", seconds=1)
    assert failed.value.reason == "cpu"
    assert time.monotonic() - start < 30


def test_the_ceiling_holds_on_this_machine() -> None:
    assert sandbox.ceiling_holds(sandbox.Ceiling(memory_bytes=CEILING_MB * xlsx.MIB, cpu_seconds=10))


def test_stopping_early_kills_the_worker() -> None:
    ceiling = sandbox.Ceiling(memory_bytes=CEILING_MB * xlsx.MIB, cpu_seconds=60)
    channel = sandbox.run("sandbox.probe", b"", "count", ceiling=ceiling)
    items = iter(channel)
    assert [next(items) for _ in range(4)] == ["count", 1, 2, 3]
    channel.close()
    server = sandbox._current.process.pid
    deadline = time.monotonic() + 10
    while _descendants(server) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _descendants(server)  # supervisor and worker are gone: nothing keeps counting


def _descendants(pid: int) -> list[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(child) for child in children]


def test_dates_times_and_look_alike_objects_cross_the_pipe_unchanged() -> None:
    import datetime as dt

    assert _probe("echo")[1] == ["", dt.date(2023, 3, 1), dt.datetime(2023, 3, 1, 8, 30), dt.time(8, 30),
                                 dt.timedelta(hours=36), 1.5, True, None, {"$d": "not a tag", "x": 1}]


def test_the_sandbox_server_is_restarted_when_it_dies() -> None:
    _probe("echo")
    sandbox._current.process.kill()
    sandbox._current.process.wait()
    assert _probe("echo")[0] == "echo"


# --- as separate processes: the CLI and gunicorn ----------------------------------------------------

def _sample() -> list[tuple[str, str, bytes]]:
    """Every declared-count file (the known crashers among them) and two of every other kind."""
    seen: Counter[str] = Counter()
    chosen = []
    for kind, label, data in corpus.corpus():
        if kind == "declared counts" or seen[kind] < 2:
            chosen.append((kind, label, data))
            seen[kind] += 1
    return chosen


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with external.site(tmp_path_factory.mktemp("site"), TOUZI_IMPORT_PARSE_MEMORY_MB=str(CEILING_MB)) as built:
        yield built


def test_the_cli_exits_0_1_or_2_without_a_traceback_and_within_the_ceiling(site, tmp_path) -> None:
    good = tmp_path / "good.xlsx"
    good.write_bytes(corpus.valid())
    code, _, err, baseline = site.touzi_measured("import", "reports", str(good), "--dry-run")
    assert code in (0, 1) and "Traceback" not in err, err
    crashers = [(kind, label, data) for kind, label, data in _sample() if label in CRASHERS]
    others = [case for case in _sample() if case[1] not in CRASHERS][::3]
    for kind, label, data in [*crashers, *others]:
        path = tmp_path / "upload.xlsx"
        path.write_bytes(data)
        code, out, err, peak = site.touzi_measured("import", "reports", str(path), "--dry-run")
        assert code in (0, 1, 2), (kind, label, code, err)
        assert "Traceback" not in out + err and "panicked" not in err, (kind, label, err)
        assert peak <= baseline + CEILING_MB * xlsx.MIB, (kind, label, peak, baseline)
        if label in CRASHERS:
            assert code == 1 and chinese(err), err


def test_a_gunicorn_worker_survives_every_upload_and_keeps_its_memory(site) -> None:
    server = external.gunicorn(site)
    session = server.signed_in()
    workers = server.workers()
    assert len(workers) == 1
    (worker,) = workers
    before = external.peak_memory(worker)
    statuses: Counter[str] = Counter()
    for kind, label, data in _sample():
        page = session.get(f"{server.base_url}/imports/", timeout=30)
        assert page.status_code == 200
        answer = session.post(f"{server.base_url}/imports/", timeout=60, allow_redirects=False,
                              data={"kind": "reports", "csrfmiddlewaretoken": session.cookies["csrftoken"]},
                              files={"file": ("上传.xlsx", data)})
        assert answer.status_code in (200, 302), (kind, label, answer.status_code)
        if answer.status_code == 302:  # staged: the batch page says what was found (refusals included)
            detail = session.get(server.base_url + answer.headers["Location"], timeout=30)
            assert detail.status_code == 200, (kind, label)
            statuses["refused" if "role=\"alert\"" in detail.text else "staged"] += 1
        assert server.workers() == {worker}, (kind, label)  # the same worker: not killed and replaced
    assert statuses["refused"] > 0, statuses
    # The worker never held a parsed workbook: its peak memory barely moved.
    assert external.peak_memory(worker) - before < 64 * xlsx.MIB
    os.kill(worker, 0)  # still alive after the whole sample

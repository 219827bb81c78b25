"""`touzi bench` runs benchmark modules in child processes and prints their figures (nothing is timed here)."""

from __future__ import annotations

import json
import os
from io import StringIO

from django.core.management import call_command

TINY = '''
def run(size, database_url):
    if size == "nation":
        return []
    return [{"id": "PX", "name": "tiny", "value": 0.5, "unit": "s", "reference": "half of it",
             "reference_value": 0.25, "ratio": 0.5 / 0.25, "goal": "≤ 1 s", "met": True, "notes": size}]
'''


def _bench(tmp_path, monkeypatch, *args: str) -> str:
    (tmp_path / "touzi_fake_bench_tiny.py").write_text(TINY)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")]))
    out = StringIO()
    call_command("bench", *args, stdout=out)
    return out.getvalue()


def test_json_has_the_figures_with_their_ratio_and_the_machine(tmp_path, monkeypatch):
    text = _bench(tmp_path, monkeypatch, "--size", "city", "--format", "json",
                  "--module", "touzi_fake_bench_tiny", "--module", "touzi_no_such_bench_module")
    result = json.loads(text)
    assert result["machine"]["cores"] >= 1 and result["machine"]["sqlite"]
    tiny, missing = result["figures"]
    assert (tiny["id"], tiny["ratio"], tiny["met"], tiny["notes"]) == ("PX", 2.0, True, "city")
    assert tiny["database"] in ("sqlite", "postgresql") and tiny["size"] == "city"
    assert missing["skipped"] is True and "not there yet" in missing["notes"]


def test_a_module_that_does_not_apply_to_a_size_gives_no_rows(tmp_path, monkeypatch):
    text = _bench(tmp_path, monkeypatch, "--size", "nation", "--format", "table", "--module", "touzi_fake_bench_tiny")
    assert "machine:" in text and "PX" not in text


def test_the_benchmarks_are_a_package_of_touzi_the_command_imports(monkeypatch):
    """No path into a source checkout: the runner is touzi.bench.runner, found by a plain import."""
    import sys

    import touzi
    from touzi.bench import runner, touzi_command

    assert runner.__name__ == "touzi.bench.runner"
    assert runner.__file__.startswith(str(touzi.__path__[0]))
    assert touzi_command("audit", "verify") == [sys.executable, "-m", "touzi.cli", "audit", "verify"]
    assert not any(path.endswith("/bench") for path in sys.path)


def test_the_command_lists_each_benchmark_with_what_it_measures():
    out = StringIO()
    call_command("bench", "--list", stdout=out)
    lines = out.getvalue().splitlines()
    assert [line.split()[:2] for line in lines] == [
        ["P1", "touzi.bench.p1_import"], ["P2", "touzi.bench.p2_analysis"], ["P3", "touzi.bench.p3_nation"],
        ["P4", "touzi.bench.p4_web"], ["P5", "touzi.bench.briefing"], ["MONTHEND", "touzi.bench.p5_monthend"]]
    assert "(not there)" not in out.getvalue()


def test_benchmark_data_goes_to_the_data_folder_when_one_is_set(tmp_path, monkeypatch):
    from touzi.bench import work_dir
    from touzi.bench.data import default_url

    monkeypatch.setenv("TOUZI_DATA_DIR", str(tmp_path))
    assert work_dir() == tmp_path / "bench"
    assert default_url("city") == f"sqlite:///{tmp_path / 'bench' / 'city.sqlite3'}"

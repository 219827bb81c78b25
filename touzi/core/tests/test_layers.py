"""The layers hold: lib imports no Touzi package, core only lib, and no two apps import each other (even
through others). Read from the source with `ast` (touzi.lib.import_graph), product modules only."""

from __future__ import annotations

from touzi.lib import import_graph
from touzi.lib.import_graph import cycles, layers, package_graph, upward_imports


def test_lib_and_core_import_nothing_above_them() -> None:
    assert upward_imports(package_graph()) == {}


def test_the_apps_import_each_other_without_cycles() -> None:
    assert cycles(package_graph()) == []


def test_the_graph_reader_finds_a_cycle_and_an_upward_import() -> None:
    graph = {"lib": {"core"}, "core": {"lib", "units"}, "units": {"core", "plans"}, "plans": {"units"}}
    assert cycles(graph) == [["core", "lib", "plans", "units"]]
    assert upward_imports(graph) == {"lib": {"core"}, "core": {"units"}}


def test_imports_inside_functions_count_and_tests_do_not(tmp_path, monkeypatch) -> None:
    app = tmp_path / "app"
    (app / "tests").mkdir(parents=True)
    (app / "__init__.py").write_text("")
    (app / "views.py").write_text("def page():\n    from touzi.other.models import Thing\n")
    (app / "tests" / "test_x.py").write_text("from touzi.third import x\n")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "__init__.py").write_text("")
    monkeypatch.setattr(import_graph, "PACKAGE_ROOT", tmp_path)
    assert package_graph() == {"app": {"other"}, "other": set()}


def test_core_and_lib_are_the_bottom_layers() -> None:
    graph = package_graph()
    assert set(layers(graph)[0]) >= {"lib"}
    assert "core" in layers(graph)[1]

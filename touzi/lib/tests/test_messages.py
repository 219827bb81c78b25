"""touzi.lib.messages: a message stored as code and parameters is rendered in the reader's language."""

from __future__ import annotations

import importlib
import json
import re

import pytest
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from touzi.lib.messages import Message, define, kinds, render

HAS_CHINESE = re.compile(r"[\u4e00-\u9fff]")


def test_a_message_renders_its_parameters_in_the_active_language() -> None:
    kind = define("xlsx.too_many_rows", _("行数超过上限 %(rows)s 行"))
    stored = json.loads(json.dumps(kind(rows=5).as_json()))  # as a JSON field holds it
    assert render(stored) == "行数超过上限 5 行"
    with translation.override("en"):
        assert render(stored) == "More rows than the limit of 5"


def test_text_stored_before_codes_is_shown_as_it_is() -> None:
    assert render("旧的错误信息") == "旧的错误信息"
    assert render(None) == ""


def test_a_nested_message_is_rendered_with_the_outer_one() -> None:
    outer = define("test.outer", "第%(row)s行:%(reason)s")
    inner = define("test.inner", "空行")
    assert render(outer(row=3, reason=inner().as_json()).as_json()) == "第3行:空行"


def test_an_unknown_code_shows_the_code_rather_than_failing() -> None:
    assert Message("gone.since", {"n": 1}).render() == "gone.since"


@pytest.mark.parametrize("module", ["touzi.imports.messages", "touzi.briefings.pdf", "touzi.reports.checks",
                                    "touzi.approvals.imports", "touzi.promotion.imports"])
def test_every_message_code_has_an_english_translation(module: str) -> None:
    importlib.import_module(module)
    with translation.override("en"):
        untranslated = [code for code, kind in kinds().items()
                        if not code.startswith("test.") and HAS_CHINESE.search(str(kind.template))]
    assert untranslated == []

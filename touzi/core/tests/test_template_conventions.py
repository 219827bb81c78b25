"""Templates compare with the apps' choices, share one form partial, and give tables captions and scoped headers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.template import Context, Template, TemplateSyntaxError

import touzi

TEMPLATES = sorted(Path(touzi.__file__).parent.glob("*/templates/**/*.html"))


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def test_a_status_is_compared_with_its_choice_not_a_raw_string() -> None:
    raw = re.compile(r"\.(status|role|level|duty)\s*(==|!=|in)\s*[\"']")
    assert [str(p) for p in TEMPLATES if raw.search(_text(p))] == []


def test_the_choice_filters_compare_with_the_members_and_reject_a_misspelt_name() -> None:
    template = Template('{% load choices %}{% if s|is_choice:"supervision.TaskStatus.ISSUED" %}issued{% endif %}'
                        '{% if s|in_choices:"supervision.TO_DO" %} to do{% endif %}')
    assert template.render(Context({"s": "issued"})) == "issued to do"
    assert template.render(Context({"s": "closed"})) == ""
    with pytest.raises(TemplateSyntaxError):
        Template('{% load choices %}{{ s|is_choice:"supervision.TaskStatus.ISUED" }}').render(Context({"s": "x"}))


def test_the_field_and_error_loop_lives_in_the_shared_partial_only() -> None:
    pasted = [str(p) for p in TEMPLATES
              if '<label for="{{ f.id_for_label }}">' in _text(p) and p.name != "field.html"]
    assert pasted == []


def test_every_header_cell_has_a_scope_and_every_table_a_caption() -> None:
    unscoped = [str(p) for p in TEMPLATES if re.search(r"<th\b(?![^>]*\bscope=)", _text(p))]
    uncaptioned = [str(p) for p in TEMPLATES if re.search(r"<table\b[^>]*>(?!\s*(\{%[^%]*%\})?\s*<caption)", _text(p))]
    assert (unscoped, uncaptioned) == ([], [])


def test_the_shared_partial_renders_errors_labels_and_hidden_fields() -> None:
    from django import forms

    class Sample(forms.Form):
        name = forms.CharField(label="名称", help_text="简称即可")
        version = forms.IntegerField(widget=forms.HiddenInput)

        def clean(self):
            raise forms.ValidationError("整体有误")

    form = Sample(data={"name": "", "version": "3"})
    html = Template('{% include "includes/form_fields.html" %}').render(Context({"form": form}))
    assert '<ul class="errorlist" role="alert"><li>整体有误</li></ul>' in html
    assert '<label for="id_name">名称</label>' in html and "简称即可" in html and "has-error" in html
    assert '<input type="hidden" name="version" value="3"' in html

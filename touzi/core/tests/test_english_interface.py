"""The English interface is complete: every page each role's menu offers, rendered in English, shows no Chinese
but the data (project, unit and plan names, what users typed).

What counts as data is read from the database itself (every text value of every model, JSON included), so the test
needs no list of exceptions: Chinese left in a page after every stored value is taken out of it is interface text
that was not translated — a template string without {% trans %}, a msgid with no English, a label built in code.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from decimal import Decimal
from html.parser import HTMLParser
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models

from touzi.testing import client_for

CJK = re.compile(r"[\u3400-\u9fff\uff01-\uff5e\u3000-\u303f]")
SKIP = {"script", "style"}


class Texts(HTMLParser):
    """Text nodes and the attributes people read (title, placeholder, aria-label, alt, button values)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.stack: list[tuple[str, bool]] = []

    def _other_language(self) -> bool:
        return any(other for _, other in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        other = bool(a.get("lang")) and not str(a.get("lang")).startswith("en")  # the switch to 简体中文
        if tag not in {"br", "img", "input", "meta", "link", "hr", "source", "wbr"}:
            self.stack.append((tag, other))
        if other or self._other_language():
            return
        for name in ("title", "placeholder", "aria-label", "alt"):
            if a.get(name):
                self.found.append(str(a[name]))
        if tag == "input" and a.get("type") in {"submit", "button"} and a.get("value"):
            self.found.append(str(a["value"]))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        if (self.stack and self.stack[-1][0] in SKIP) or self._other_language():
            return
        if data.strip():
            self.found.append(data.strip())


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in [*value.keys(), *value.values()] for s in _strings(v)]
    if isinstance(value, list | tuple):
        return [s for v in value for s in _strings(v)]
    return []


def stored_texts() -> list[str]:
    """Every Chinese text value in the database, longest first (so a name is taken out before its parts)."""
    found: set[str] = set()
    for model in apps.get_models():
        fields = [f.name for f in model._meta.concrete_fields
                  if isinstance(f, models.CharField | models.TextField | models.JSONField)]
        if not fields:
            continue
        for row in model._default_manager.values_list(*fields):
            for value in row:
                for text in _strings(value):
                    for part in re.split(r"[\n\r]+", text):
                        if CJK.search(part):
                            found.add(part.strip())
    return sorted(found - {""}, key=len, reverse=True)


def untranslated(html: str, data: list[str]) -> list[str]:
    parser = Texts()
    parser.feed(html)
    left = []
    for text in parser.found:
        if not CJK.search(text):
            continue
        rest = text
        for value in data:
            if value in rest:
                rest = rest.replace(value, " ")
        if CJK.search(rest):
            left.append(text)
    return left


# A number grouped inside an attribute: a year or an id that English localisation turned into "2,023" (an option
# value, a link's ?year=, a data-project), which the form, the link or the script then cannot read.
GROUPED_IN_ATTRIBUTE = re.compile(r'(?:value|href|data-[\w-]+)="[^"]*\d,\d{3}[^"]*"')


def _menu(html: str) -> list[str]:
    nav = html.split('id="main-nav"', 1)[1].split("</nav>", 1)[0]
    return re.findall(r'href="([^"]+)"', nav)


def test_every_string_marked_for_translation_has_its_english(tmp_path) -> None:
    """makemessages over a copy of the source: no msgid may be new (untranslated) or changed (fuzzy) against
    django.po. Catches a string added or reworded in code or a template without its English."""
    if shutil.which("xgettext") is None and not (os.environ.get("CI") or os.environ.get("TOUZI_REQUIRE_BROWSER")):
        pytest.skip("GNU gettext (xgettext) is not installed")
    source = settings.BASE_DIR / "touzi"
    copy = tmp_path / "touzi"
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns("__pycache__", "static", "*.mo", "*.pyc"))
    env = {**os.environ, "PYTHONPATH": str(tmp_path), "DJANGO_SETTINGS_MODULE": "touzi.settings"}
    env.pop("DATABASE_URL", None)
    subprocess.run([sys.executable, "-m", "django", "makemessages", "-l", "en", "--no-obsolete"], cwd=copy, env=env,
                   check=True, capture_output=True)
    po = copy / "locale" / "en" / "LC_MESSAGES" / "django.po"
    missing = [subprocess.run(["msgattrib", option, "--no-obsolete", "--no-location", "--no-wrap", str(po)],
                              check=True, capture_output=True, text=True).stdout
               for option in ("--untranslated", "--only-fuzzy")]
    new = [line for out in missing for line in out.splitlines() if line.startswith("msgid ") and line != 'msgid ""']
    assert new == [], "add the English of these to touzi/locale/en/LC_MESSAGES/django.po"


@pytest.mark.django_db
def test_every_menu_page_of_every_role_is_english_but_the_data(projects, olive, aaron, ian, stan, oscar, gina,
                                                               banker, abe, sam, secadmin, ada) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from touzi.core.actor import System
    from touzi.field.samples import sample_jpeg
    from touzi.field.services import add_photo, set_location
    from touzi.reports.services import report_month

    plant = projects["plant"]
    set_location(plant, 21.48, 109.12, actor=System("test"))
    report = report_month(plant, dt.date(2023, 3, 1), Decimal("100"), progress="进行中", actor=oscar)
    add_photo(plant, SimpleUploadedFile("p.jpg", sample_jpeg(lat=21.48, lon=109.12), "image/jpeg"), actor=oscar,
              report=report)
    deeper = [f"/projects/{plant.pk}/", f"/reports/{report.pk}/"]
    extra = {"olive": ["/supervision/new/", "/reports/months/", *deeper],
             "aaron": [f"/reports/new/?project={plant.pk}", f"/field/projects/{plant.pk}/location/", *deeper],
             "oscar": [f"/reports/new/?project={plant.pk}", *deeper], "stan": ["/reports/?review=1"]}
    data = stored_texts()
    problems: dict[str, list[str]] = {}
    for user in (olive, aaron, ian, stan, oscar, gina, banker, abe, sam, secadmin, ada):
        client = client_for(user)
        client.cookies["django_language"] = "en"
        home = client.get("/", follow=True)
        assert home.status_code == 200, user.username
        for href in dict.fromkeys([*_menu(home.content.decode()), *extra.get(user.username, [])]):
            response = client.get(href)
            assert response.status_code == 200, (user.username, href, response.status_code)
            html = response.content.decode()
            left = untranslated(html, data) + GROUPED_IN_ATTRIBUTE.findall(html)
            if left:
                problems[f"{user.username} {href}"] = sorted(set(left))
    assert problems == {}, "\n".join(f"{k}: {v}" for k, v in problems.items())

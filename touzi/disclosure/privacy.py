"""The personal-data check: nothing published on the portal may name an individual or carry a phone number,
an ID number or an e-mail address (个人信息保护法; the seed publishes projects, not people).

Best-effort heuristics, documented in docs/disclosure.md — they refuse, they never rewrite:

- 居民身份证号码: 18 characters (17 digits and a digit or X) whose GB 11643 check digit is right, or 15 digits;
- 手机号码: 11 digits 1[3-9]xxxxxxxxx, also written 138-1234-5678 / 138 1234 5678, with or without +86;
- 固定电话: an area code 0xx/0xxx and 7–8 digits (0779-1234567, (0779)1234567, 0779 12345678);
- e-mail addresses;
- a person's name after a label that introduces one (联系人、负责人、项目经理、总监、法定代表人、经办人 …,
  with or without ":") unless what follows is a unit (…局、…公司、…院 …), and "X先生 / X女士 / X同志".

Units (公司, 局, 设计院) may be named: the seed asks for the designer, supervisor and contractor *units*.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from touzi.lib.errors import BusinessError

_ID18 = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx])(?![0-9A-Za-z])")
_ID15 = re.compile(r"(?<![\d-])\d{15}(?![\d-])")
_MOBILE = re.compile(r"(?<![\d-])(?:\+?86[\s-]?)?1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}(?![\d-])")
_LANDLINE = re.compile(r"(?<![\d-])(?:[(（]0\d{2,3}[)）]\s?|0\d{2,3}[\s-])\d{7,8}(?![\d-])|(?<![\d-])0\d{2,3}\d{7,8}(?!\d)")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_LABELS = ("联系人", "负责人", "项目负责人", "技术负责人", "项目经理", "总监理工程师", "总监", "法定代表人",
           "法人代表", "法人", "经办人", "联系方式", "举报人", "建议人", "姓名")
_NAME_AFTER_LABEL = re.compile(r"(?:" + "|".join(sorted(_LABELS, key=len, reverse=True))
                               + r")\s*(?:为|是)?\s*[:：]?\s*([\u4e00-\u9fff·]{2,20})")
_HONORIFIC = re.compile(r"([\u4e00-\u9fff]{1,3})(先生|女士|同志)")
# What a unit's name ends with: after a label it names an organisation, not a person.
_UNIT_ENDINGS = ("局", "委", "司", "院", "所", "中心", "部", "厅", "办", "室", "站", "队", "会", "集团", "政府",
                 "单位", "公司", "处", "科", "组", "社", "行", "署", "馆", "校", "厂", "区", "县", "市", "镇")
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


@dataclass(frozen=True)
class Finding:
    kind: str  # id, mobile, landline, email, name
    excerpt: str  # masked: never echo the personal data whole


def id_checksum_ok(number: str) -> bool:
    """GB 11643-1999: the 18th character of a 居民身份证号码 is its check digit."""
    if len(number) != 18 or not number[:17].isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], _WEIGHTS, strict=True))
    return _CHECK[total % 11] == number[17].upper()


def _mask(text: str) -> str:
    return text[:1] + "*" * max(len(text) - 2, 1) + (text[-1:] if len(text) > 2 else "")


def findings(text: str) -> list[Finding]:
    """Every personal datum the heuristics find in `text`."""
    found: list[Finding] = []
    if not text:
        return found
    for m in _ID18.finditer(text):
        if id_checksum_ok(m.group(1)):
            found.append(Finding("id", _mask(m.group(1))))
    for m in _ID15.finditer(text):
        found.append(Finding("id", _mask(m.group(0))))
    found += [Finding("mobile", _mask(m.group(0))) for m in _MOBILE.finditer(text)]
    found += [Finding("landline", _mask(m.group(0))) for m in _LANDLINE.finditer(text)]
    found += [Finding("email", _mask(m.group(0))) for m in _EMAIL.finditer(text)]
    for m in _NAME_AFTER_LABEL.finditer(text):
        if not any(ending in m.group(1) for ending in _UNIT_ENDINGS):
            found.append(Finding("name", _mask(m.group(0))))
    for m in _HONORIFIC.finditer(text):
        found.append(Finding("name", _mask(m.group(0))))
    return found


def strings_of(value: Any) -> Iterable[str]:
    """Every string inside a JSON value (the structured part of an item)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from strings_of(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from strings_of(item)


def _kind_label(kind: str) -> str:
    return {"id": _("身份证号码"), "mobile": _("手机号码"), "landline": _("固定电话"), "email": _("电子邮箱"),
            "name": _("个人姓名")}[kind]


def check_public(*values: Any, field: str = "text") -> None:
    """Refuse (BusinessError) text that would publish personal data; say what was found, masked."""
    found = [f for value in values for text in strings_of(value) for f in findings(text)]
    if found:
        kinds = "、".join(dict.fromkeys(_kind_label(f.kind) for f in found))
        raise BusinessError(_("公开内容不得包含个人信息(%(kinds)s):%(excerpt)s")
                            % {"kinds": kinds, "excerpt": found[0].excerpt}, field=field)


def is_clean(*values: Any) -> bool:
    return not any(findings(text) for value in values for text in strings_of(value))

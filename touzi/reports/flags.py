"""The reviewer's flags on a monthly report in words: what each says and why it was raised.

The report stores the keys (`spike`, `late`; the API returns them as they are); pages show these notes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from touzi.reports.choices import Flag
from touzi.reports.rules import spike_factor


@dataclass(frozen=True)
class FlagNote:
    key: str
    label: str  # the flag in a few words
    explanation: str  # why it was raised and what the reviewer should do


def _explanation(flag: str) -> str:
    if flag == Flag.SPIKE:
        return _("本月完成投资超过该项目前六个月已审核月报平均值的 %(factor)s 倍,请核实后再审核。") % {
            "factor": spike_factor().normalize()}
    if flag == Flag.LATE:
        return _("报送时间晚于次月的报送截止日。")
    if flag == Flag.EVIDENCE:
        return _("佐证文件(PDF)中有脚本、打开即执行的动作或未能检查的压缩内容;请在隔离环境中打开核实。")
    if flag == Flag.PHOTO:
        return _("现场照片拍摄时间早于报告期、拍摄地点距项目位置过远,或照片没有拍摄信息;请查看照片后再审核。")
    return ""


def flag_notes(flags: Iterable[str]) -> list[FlagNote]:
    """One note per stored flag, in words; a key this version does not know still reads as a flag, not a key."""
    notes = []
    for flag in flags:
        label = str(Flag(flag).label) if flag in Flag.values else _("需要核实")
        notes.append(FlagNote(flag, label, _explanation(flag)))
    return notes

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from touzi.units.choices import UnitKind

division_code_validator = RegexValidator(r"^\d{6}$", _("行政区划代码应为6位数字(GB/T 2260)"))


class Unit(models.Model):
    """单位: a bureau, county, park or other body that leads, cooperates on or owns projects."""

    key = models.SlugField(_("标识"), max_length=64, unique=True)
    name = models.CharField(_("名称"), max_length=128)
    short_name = models.CharField(_("简称"), max_length=64, blank=True)
    name_en = models.CharField(_("英文名称"), max_length=160, blank=True)
    kind = models.CharField(_("类别"), max_length=16, choices=UnitKind.choices)
    division_code = models.CharField(
        _("行政区划代码"), max_length=6, blank=True, validators=[division_code_validator],
        help_text=_("GB/T 2260,县区必填"),
    )
    # The region whose projects a plan office, statistics bureau or auditor of this unit sees (GB/T 2260 code:
    # 450500 a city's bureaus, 450000 a province's departments); empty: the whole installation.
    region_code = models.CharField(_("所属地区"), max_length=6, blank=True, validators=[division_code_validator])
    parent = models.ForeignKey(
        "self", verbose_name=_("上级单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    aliases = models.JSONField(_("别称"), default=list, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["kind", "division_code", "key"]

    def __str__(self) -> str:
        return self.short_name or self.name

    @property
    def label(self) -> str:
        """The name to show in the user's language."""
        return unit_label(self.name, self.short_name, self.name_en, english=(get_language() or "").startswith("en"))


def unit_label(name: str, short_name: str, name_en: str, *, english: bool) -> str:
    """Unit.label from the columns alone (for lists of 10^5 rows, without model instances)."""
    if english and name_en:
        return name_en
    return short_name or name


def unit_labels(ids) -> dict[int, str]:
    """{unit id: its label in the current language} for the given ids, in one query of four columns."""
    english = (get_language() or "").startswith("en")
    ids, labels = list(ids), {}
    for i in range(0, len(ids), 10000):  # bounded statements (SQLite's limit on parameters)
        rows = Unit.objects.filter(pk__in=ids[i:i + 10000]).values_list("pk", "name", "short_name", "name_en")
        labels.update({pk: unit_label(name, short, en, english=english) for pk, name, short, en in rows})
    return labels

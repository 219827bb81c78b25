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
        if (get_language() or "").startswith("en") and self.name_en:
            return self.name_en
        return self.short_name or self.name

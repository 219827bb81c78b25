from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from touzi.field.choices import Datum, ShapeKind


class LocationForm(forms.Form):
    lat = forms.FloatField(label=_("纬度"), min_value=-90, max_value=90,
                           widget=forms.NumberInput(attrs={"step": "0.000001", "inputmode": "decimal"}))
    lon = forms.FloatField(label=_("经度"), min_value=-180, max_value=180,
                           widget=forms.NumberInput(attrs={"step": "0.000001", "inputmode": "decimal"}))
    datum = forms.ChoiceField(label=_("坐标系"), choices=Datum.choices, initial=Datum.WGS84,
                              help_text=_("从高德、腾讯地图复制的坐标为 GCJ-02,百度地图为 BD-09;保存时换算为 WGS-84。"))
    source = forms.CharField(widget=forms.HiddenInput, required=False)
    shape_kind = forms.ChoiceField(label=_("线或面(可选)"), choices=ShapeKind.choices, required=False)
    shape = forms.CharField(label=_("线或面的坐标"), required=False,
                            widget=forms.Textarea(attrs={"rows": 3, "placeholder": "109.12,21.48\n109.13,21.49"}),
                            help_text=_("每行一个点:经度,纬度(与上面所选坐标系相同)"))
    radius = forms.IntegerField(label=_("照片核对半径(米,可选)"), required=False, min_value=50, max_value=100000)

    def clean_shape(self) -> list[list[float]]:
        points: list[list[float]] = []
        for line in (self.cleaned_data.get("shape") or "").splitlines():
            line = line.strip().replace(",", ",").replace(" ", ",")
            if not line:
                continue
            parts = [p for p in line.split(",") if p]
            try:
                points.append([float(parts[0]), float(parts[1])])
            except (IndexError, ValueError):
                raise forms.ValidationError(_("无法识别的坐标行:%(line)s") % {"line": line}) from None
        return points

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("shape_kind") and not data.get("shape"):
            self.add_error("shape", _("请填写线或面的坐标"))
        return data

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class PlanUploadForm(forms.Form):
    file = forms.FileField(label=_("方案文件(YAML)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.PLAN_UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                _("文件过大(上限 %(limit)s 字节)"), params={"limit": settings.PLAN_UPLOAD_MAX_BYTES})
        return upload

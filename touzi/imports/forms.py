from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from touzi.imports.choices import ImportKind


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("导入内容"), choices=ImportKind.choices)
    file = forms.FileField(label=_("Excel 文件(.xlsx)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(_("文件超过 %(mb)s MB 上限"),
                                        params={"mb": settings.IMPORT_MAX_BYTES // (1024 * 1024)})
        return upload

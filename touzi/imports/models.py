from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from touzi.imports import messages as _codes  # noqa: F401  (every code a batch stores is defined)
from touzi.imports.choices import ImportKind, ImportStatus
from touzi.lib.messages import Message, render


class ImportBatch(models.Model):
    """导入批次: one uploaded workbook, its checked preview, and (once confirmed) what it wrote."""

    kind = models.CharField(_("类型"), max_length=16, choices=ImportKind.choices)
    file = models.FileField(_("文件"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("文件名"), max_length=255)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                    related_name="import_batches")
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    status = models.CharField(_("状态"), max_length=16, choices=ImportStatus.choices)
    total_rows = models.PositiveIntegerField(_("数据行数"), default=0)
    processed_rows = models.PositiveIntegerField(_("已处理"), default=0)
    summary = models.JSONField(_("结果"), default=dict, blank=True)
    errors = models.JSONField(_("错误"), default=list, blank=True)
    # What the preview tells besides errors: messages as code and parameters (`note_texts` renders them).
    notes = models.JSONField(_("说明"), default=list, blank=True)
    # Why the file was refused, as a code and parameters rendered in the reader's language (`message`);
    # rows stored before codes hold the text itself, shown as it is.
    message_text = models.TextField(_("文件级错误"), blank=True, db_column="message")
    message_code = models.CharField(_("文件级错误代码"), max_length=64, blank=True)
    message_params = models.JSONField(_("文件级错误参数"), default=dict, blank=True)
    committed_at = models.DateTimeField(_("导入时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("导入批次")
        verbose_name_plural = _("导入批次")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.original_name}"

    @property
    def message(self) -> str:
        """The file-level error in the active language ("" when there is none)."""
        if self.message_code:
            return Message(self.message_code, self.message_params).render()
        return self.message_text

    def set_message(self, msg: Message) -> None:
        self.message_text, self.message_code, self.message_params = "", msg.code, dict(msg.params)

    @staticmethod
    def message_fields(msg: Message) -> dict[str, object]:
        """The fields `set_message` sets, for QuerySet.update()."""
        return {"message_text": "", "message_code": msg.code, "message_params": dict(msg.params)}

    @property
    def note_texts(self) -> list[str]:
        """The notes in the active language (each stored as a message's code and parameters, or as text)."""
        return [render(note) for note in self.notes]

    @property
    def percent(self) -> int:
        return int(100 * self.processed_rows / self.total_rows) if self.total_rows else 0

from django.apps import AppConfig


class BackupConfig(AppConfig):
    """`touzi backup FILE` and `touzi restore FILE`: the database and the uploaded files in one archive."""

    name = "touzi.backup"
    verbose_name = "备份与恢复"

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "touzi.accounts"
    verbose_name = "账号与角色"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from touzi.accounts.roles import sync_role_groups

        post_migrate.connect(sync_role_groups, sender=self)

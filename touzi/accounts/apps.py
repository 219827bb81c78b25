from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "touzi.accounts"
    verbose_name = "账号与角色"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from touzi.accounts import checks, scoping, signals  # noqa: F401  (registers the checks and receivers)
        from touzi.accounts.roles import sync_role_groups

        scoping.register()  # works out each user's scope for touzi.core.scoping

        # After every app's migrate, since the permissions of later apps only exist by then.
        post_migrate.connect(sync_role_groups, dispatch_uid="touzi-sync-role-groups")

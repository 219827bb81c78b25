from django.db import models
from django.utils.translation import gettext_lazy as _


class Source(models.TextChoices):
    """Where a change came from."""

    WEB = "web", _("网页")
    API = "api", _("接口")
    IMPORT = "import", _("导入")
    COMMAND = "command", _("命令行")
    SYSTEM = "system", _("系统")


class Event(models.TextChoices):
    CREATE = "create", _("新增")
    UPDATE = "update", _("修改")
    DELETE = "delete", _("删除")
    SIGN_IN = "sign_in", _("登录")
    SIGN_IN_FAILED = "sign_in_failed", _("登录失败")
    SIGN_OUT = "sign_out", _("退出")
    LOCKOUT = "lockout", _("登录锁定")
    UNLOCK = "unlock", _("解除锁定")
    PERMISSION = "permission", _("权限变更")
    PLAN_LOAD = "plan_load", _("载入行动方案")
    TOKEN = "token", _("接口令牌")
    EXPORT = "export", _("导出审计记录")
    PURGE = "purge", _("清理过期审计记录")
    BACKUP = "backup", _("备份")

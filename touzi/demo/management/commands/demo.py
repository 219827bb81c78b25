"""`touzi demo [--no-serve]`: migrate, load the Beihai plan, create demo accounts, then serve."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command

from touzi.audit.commands import AuditedCommand
from touzi.demo.services import DEMO_PASSWORD, ensure_demo


class Command(AuditedCommand):
    help = "建立演示环境:迁移数据库、载入北海市行动方案、创建各角色演示账号,并启动服务。"

    def add_arguments(self, parser: Any) -> None:
        super().add_arguments(parser)
        parser.add_argument("--no-serve", action="store_true", help="只建立演示环境,不启动服务")
        parser.add_argument("--addrport", default="127.0.0.1:8000")

    def handle(self, *args: Any, **options: Any) -> None:
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        accounts = ensure_demo()
        db = settings.DATABASES["default"]
        self.stdout.write(self.style.SUCCESS("演示环境已就绪 / Demo ready"))
        self.stdout.write(f"  数据库 database: {db['ENGINE'].rsplit('.', 1)[-1]} {db['NAME']}")
        # The database records that it is a demo (touzi.demo.mode): say so, since that is what lets the
        # README's other commands run on it without TOUZI_DEMO=true.
        self.stdout.write("  已记录为演示数据库,其他 touzi 命令无需设置 TOUZI_DEMO / recorded as a demo database: "
                          "other touzi commands need no TOUZI_DEMO")
        self.stdout.write(f"  地址 address:  http://{options['addrport']}/")
        self.stdout.write(f"  演示账号 demo sign-ins (密码 password: {DEMO_PASSWORD}):")
        for account in accounts:
            self.stdout.write(f"    {account.username:<15} {account.role.label}  {account.display_name}")
        if not options["no_serve"]:
            call_command("serve", addrport=options["addrport"])

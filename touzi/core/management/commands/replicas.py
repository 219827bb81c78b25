"""`touzi replicas [--json]`: whether each read replica answers, is a standby, and how far it lags the primary."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

from touzi.core.replicas import primary_lsn, replica_aliases


def replica_status() -> list[dict[str, Any]]:
    """One entry per configured replica: alias, host, port, reachable, in_recovery, replay_lsn, lag_bytes, error."""
    current = primary_lsn() if replica_aliases() else ""
    found = []
    for alias in replica_aliases():
        conf = connections[alias].settings_dict
        entry: dict[str, Any] = {"alias": alias, "host": conf["HOST"], "port": conf["PORT"], "reachable": False,
                                 "in_recovery": None, "replay_lsn": None, "lag_bytes": None, "error": ""}
        try:
            with connections[alias].cursor() as cursor:
                cursor.execute("SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn()::text, "
                               "pg_wal_lsn_diff(%s::pg_lsn, pg_last_wal_replay_lsn())::bigint", [current])
                row = cursor.fetchone()
            assert row is not None
            entry.update(reachable=True, in_recovery=bool(row[0]), replay_lsn=row[1],
                         lag_bytes=max(int(row[2]), 0) if row[2] is not None else None)
        except DatabaseError as exc:
            entry["error"] = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        finally:
            connections[alias].close()
        found.append(entry)
    return found


class Command(BaseCommand):
    help = "查看只读副本:是否可连接、是否为备库、相对主库的复制延迟(字节)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")

    def handle(self, *args: Any, **options: Any) -> None:
        if not replica_aliases():
            raise CommandError("未配置只读副本(DATABASE_REPLICA_URLS)")
        found = replica_status()
        if options["json"]:
            self.stdout.write(json.dumps({"primary": connections[DEFAULT_DB_ALIAS].settings_dict["HOST"] or "local",
                                          "replicas": found}, ensure_ascii=False))
        else:
            for entry in found:
                where = f"{entry['alias']} ({entry['host']}:{entry['port']})"
                if not entry["reachable"]:
                    self.stdout.write(f"{where}: 无法连接 — {entry['error']}")
                elif not entry["in_recovery"]:
                    self.stdout.write(f"{where}: 不是备库(未处于恢复状态)")
                else:
                    self.stdout.write(f"{where}: 正常,已回放至 {entry['replay_lsn']},落后主库 {entry['lag_bytes']} 字节")
        if any(not entry["reachable"] or not entry["in_recovery"] for entry in found):
            raise CommandError("有只读副本不可用")

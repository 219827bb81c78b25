"""Helpers of the restore drills: data with an evidence file, and `touzi` run as a separate process."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def make_data() -> str:
    """A plan, users, projects, a monthly report with its evidence file; returns the file's path under MEDIA_ROOT."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from touzi.accounts.choices import Role
    from touzi.reports.services import add_evidence, report_month
    from touzi.testing import FIXTURES, load_file, make_user, new_project
    from touzi.units.choices import UnitKind
    from touzi.units.models import Unit

    load_file(FIXTURES / "mini.yaml")
    Unit.objects.create(key="owner-a", name="甲公司", kind=UnitKind.ENTERPRISE)
    oscar = make_user("oscar", Role.OWNER, "owner-a")
    make_user("ada", Role.AUDIT_ADMIN)
    project = new_project("甲公司新材料工厂", county="county-a", owner="owner-a", code="2021-450521-26-03-000001",
                          total="50000.5")
    report = report_month(project, dt.date(2021, 4, 1), Decimal("1234.5678"), progress="主体施工", actor=oscar)
    item = add_evidence(report, SimpleUploadedFile("现场照片.pdf", PDF), actor=oscar)
    return item.file.name


def touzi(*args: str, database_url: str, media: Path, timeout: int = 900) -> subprocess.CompletedProcess:
    # Audit checkpoints beside the media folder: the drill's database is not the one var/'s file vouches for.
    env = {**os.environ, "DATABASE_URL": database_url, "TOUZI_MEDIA_ROOT": str(media),
           "TOUZI_AUDIT_CHECKPOINT_FILE": str(media.parent / "audit-checkpoints.jsonl"),
           "TOUZI_DB_CONN_MAX_AGE": "0", "DJANGO_SETTINGS_MODULE": "touzi.settings"}
    env.pop("TOUZI_DEMO", None)
    return subprocess.run([sys.executable, "-m", "touzi.cli", *args], env=env, capture_output=True, text=True,
                          timeout=timeout, check=False)

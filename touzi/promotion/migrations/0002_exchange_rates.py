"""Load the reference USD/CNY rates of 2021–2023 (data/usd_cny_2021_2023.csv); the office may correct them."""

import csv
import datetime as dt
from decimal import Decimal
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "usd_cny_2021_2023.csv"


def load(apps, schema_editor):
    rate_model = apps.get_model("promotion", "ExchangeRate")
    lines = [line for line in DATA.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    for row in csv.DictReader(lines):
        year, month = row["month"].split("-")
        rate_model.objects.update_or_create(month=dt.date(int(year), int(month), 1),
                                            defaults={"rate": Decimal(row["rate"])})


class Migration(migrations.Migration):
    dependencies = [("promotion", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

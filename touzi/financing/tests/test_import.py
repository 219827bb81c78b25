"""Excel import of arrived funds and bond quotas: through the import page's kinds (preview, then confirm) and
the API; all rows or none, with a row-by-row report."""

from __future__ import annotations

import pytest

from touzi.financing.models import BondAllocation, FundsArrival
from touzi.imports.models import ImportBatch
from touzi.imports.services import confirm_import, stage_import
from touzi.imports.tests.hostile import xlsx
from touzi.testing import client_for

pytestmark = pytest.mark.django_db


def test_arrived_funds_are_previewed_then_written_and_wait_for_review(projects, aaron) -> None:
    plant = projects["plant"]
    content = xlsx([["项目代码", "项目名称", "资金来源", "到位月份", "到位金额(万元)"],
                    [plant.code, plant.name, "企业自筹", "2023-02", "120.5"],
                    [plant.code, plant.name, "财政资金", "2023-03", "80"]])
    batch = stage_import("fin_arrivals", "到位.xlsx", content, actor=aaron)
    assert batch.status == "previewed" and not FundsArrival.objects.exists()
    confirm_import(batch, actor=aaron)
    assert sorted(FundsArrival.objects.values_list("source", "status")) == [("fiscal", "submitted"),
                                                                             ("self_raised", "submitted")]


def test_a_bad_row_refuses_the_whole_file(projects, aaron) -> None:
    rail = projects["rail"]  # county B's: not Aaron's to report
    content = xlsx([["项目代码", "资金来源", "到位月份", "到位金额(万元)"],
                    [projects["plant"].code, "企业自筹", "2023-02", "10"], [rail.code, "企业自筹", "2023-02", "10"]])
    batch = stage_import("fin_arrivals", "到位.xlsx", content, actor=aaron)
    assert batch.status == "refused" and ImportBatch.objects.count() == 1
    assert any("无权" in str(e) for e in batch.errors)
    assert not FundsArrival.objects.exists()


def test_bond_quotas_import_through_the_api(projects, aaron) -> None:
    plant = projects["plant"]
    content = xlsx([["项目代码", "批次", "年度", "分配额度(万元)", "用作资本金(万元)"],
                    [plant.code, "2023年第一批", "2023", "5000", "1000"]])
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client_for(aaron).post("/api/v1/financing/import/bonds",
                                      {"file": SimpleUploadedFile("债券.xlsx", content)})
    assert response.status_code == 200, response.content
    assert response.json()["imported"] == 1
    bond = BondAllocation.objects.get()
    assert (bond.amount, bond.capital, bond.year) == (5000, 1000, 2023)
    bad = xlsx([["项目代码", "批次", "年度", "分配额度(万元)", "用作资本金(万元)"],
                [plant.code, "2023年第二批", "2023", "1000", "600"]])  # capital above 25%
    response = client_for(aaron).post("/api/v1/financing/import/bonds", {"file": SimpleUploadedFile("b.xlsx", bad)})
    assert response.status_code == 400 and BondAllocation.objects.count() == 1

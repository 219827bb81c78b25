"""In a real browser: a county proposes a concept; the plan office rates it and accepts it into the reserve."""

from __future__ import annotations

import os

import pytest

from touzi.testing import PASSWORD
from touzi.testing_browser import browser_page, sign_in

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_county_proposes_a_concept_that_the_office_accepts_into_the_reserve(live_server, mini_plan, aaron,
                                                                              olive) -> None:
    from touzi.pipeline.models import Concept
    from touzi.plans.models import Domain

    industry = Domain.objects.get(key="industry")
    with browser_page() as page:
        sign_in(page, live_server.url, "aaron", PASSWORD)
        page.goto(f"{live_server.url}/pipeline/")
        page.click("#propose")
        page.fill("#id_name", "甲县海洋牧场示范区")
        page.select_option("#id_domain", str(industry.pk))
        page.fill("#id_place", "甲县沿海")
        page.fill("#id_estimated_investment", "45000")
        page.fill("#id_planned_start", "2025-04")
        page.click("#concept-form button[type=submit]")
        page.wait_for_selector("#status")
        assert "待筛选" in page.locator("#status").inner_text()
    concept = Concept.objects.get()
    assert concept.county.key == "county-a" and concept.proposer.key == "county-a"
    with browser_page() as page:
        sign_in(page, live_server.url, "olive", PASSWORD)
        page.goto(f"{live_server.url}/pipeline/concepts/{concept.pk}/")
        page.select_option("#id_r_land", "2")
        page.select_option("#id_r_funding", "2")
        page.select_option("#id_r_studies", "1")
        page.select_option("#id_outcome", "accepted")
        page.click("#screen-form button[type=submit]")
        page.wait_for_selector("#reserve-project")
        assert "入库" in page.locator("#status").inner_text()
        page.click("#reserve-project")
        page.wait_for_load_state()
        assert "甲县海洋牧场示范区" in page.content()
    concept.refresh_from_db()
    assert concept.project is not None and concept.project.stage == "reserve"
    assert concept.maturity is not None and concept.project.milestones.count() == 6

"""The 单位 page: searchable, grouped, the enterprises folded; an owner does not get the whole directory."""

from __future__ import annotations

from django.urls import reverse

from touzi.testing import client_for


def test_search_grouping_and_what_an_owner_sees(olive, oscar, owners) -> None:
    url = reverse("unit-list")
    page = client_for(olive).get(url).content.decode()
    assert "乙公司" in page and 'data-kind="enterprise">' in page  # folded: no `open`
    found = client_for(olive).get(url + "?q=甲公司").content.decode()
    assert "甲公司" in found and "乙公司" not in found and 'data-kind="enterprise" open' in found
    mine = client_for(oscar).get(url).content.decode()
    assert "甲公司" in mine and "乙公司" not in mine  # its own unit, not the other owners

"""Progress photos: read in the sandbox, re-encoded, EXIF time and GPS checked against the month and the site."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from touzi.core.actor import System
from touzi.field.choices import PhotoFlag
from touzi.field.models import ProgressPhoto
from touzi.field.samples import sample_jpeg
from touzi.field.services import add_photo, set_location
from touzi.lib import photos
from touzi.lib.errors import BusinessError, Forbidden
from touzi.reports.choices import Flag, ReportStatus
from touzi.reports.services import accept_clean, report_month
from touzi.testing import client_for

SITE = (21.4811, 109.1200)
pytestmark = pytest.mark.django_db


def _upload(name: str = "p.jpg", **kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, sample_jpeg(**kwargs), "image/jpeg")


def test_exif_is_read_and_nothing_of_the_original_is_kept() -> None:
    blob = sample_jpeg(lat=SITE[0], lon=SITE[1], taken=dt.datetime(2023, 3, 15, 10, 20), size=(2400, 1800))
    shot = photos.process(blob)
    assert shot.taken_at == dt.datetime(2023, 3, 15, 10, 20)
    assert shot.lat == pytest.approx(SITE[0], abs=1e-5) and shot.lon == pytest.approx(SITE[1], abs=1e-5)
    stored = Image.open(io.BytesIO(shot.jpeg))
    assert max(stored.size) == photos.STORED_SIDE and not stored.getexif()  # resized, metadata stripped
    assert max(Image.open(io.BytesIO(shot.thumbnail)).size) == photos.THUMB_SIDE


def test_what_is_not_a_photo_is_refused_and_a_bomb_is_not_expanded() -> None:
    with pytest.raises(photos.PhotoRefused):
        photos.process(b"%PDF-1.4 not a photo")
    bomb = io.BytesIO()
    Image.new("1", (20000, 20000)).save(bomb, "PNG")  # 400 megapixels in ~50 KB
    with pytest.raises(photos.PhotoRefused):
        photos.process(bomb.getvalue())
    with pytest.raises(photos.PhotoRefused, match="too_large"):
        photos.process(b"x" * (photos.MAX_BYTES + 1))


def test_a_photo_is_flagged_not_refused(projects, oscar) -> None:
    plant = projects["plant"]
    set_location(plant, *SITE, actor=oscar)
    report = report_month(plant, dt.date(2023, 3, 1), Decimal("100"), actor=oscar)
    good = add_photo(plant, _upload(lat=SITE[0] + 0.001, lon=SITE[1], taken=dt.datetime(2023, 3, 20, 9)),
                     actor=oscar, report=report)
    assert good.flags == [] and 100 < good.distance_m < 120
    old_far = add_photo(plant, _upload(lat=SITE[0] + 0.1, lon=SITE[1], taken=dt.datetime(2022, 12, 1, 9), seed=1),
                        actor=oscar, report=report)
    assert set(old_far.flags) == {PhotoFlag.OLDER, PhotoFlag.FAR}
    bare = add_photo(plant, _upload(seed=2), actor=oscar, report=report)
    assert bare.flags == [PhotoFlag.NO_EXIF]
    report.refresh_from_db()
    assert Flag.PHOTO in report.flags  # the reviewer sees it in the queue


def test_no_site_yet_and_the_same_photo_twice(projects, oscar) -> None:
    plant = projects["plant"]
    first = add_photo(plant, _upload(lat=SITE[0], lon=SITE[1], taken=dt.datetime(2023, 3, 2)), actor=oscar)
    again = add_photo(plant, _upload(lat=SITE[0], lon=SITE[1], taken=dt.datetime(2023, 3, 2)), actor=oscar)
    assert first.flags == [PhotoFlag.NO_SITE] and PhotoFlag.DUPLICATE in again.flags


def test_only_the_project_s_people_add_photos(projects, otto) -> None:
    with pytest.raises(Forbidden):
        add_photo(projects["plant"], _upload(), actor=otto)
    with pytest.raises(BusinessError):
        add_photo(projects["plant"], SimpleUploadedFile("a.jpg", b"GIF89a....", "image/jpeg"),
                  actor=System("test"))


def test_bulk_acceptance_leaves_the_flagged_report(projects, oscar, stan) -> None:
    plant, park = projects["plant"], projects["park"]
    clean = report_month(plant, dt.date(2023, 3, 1), Decimal("100"), actor=oscar)
    flagged = report_month(park, dt.date(2023, 3, 1), Decimal("50"), actor=oscar)
    add_photo(park, _upload(), actor=oscar, report=flagged)  # no EXIF
    flagged.refresh_from_db()
    accepted, skipped = accept_clean([clean, flagged], actor=stan)
    assert [r.pk for r in accepted] == [clean.pk] and [r.pk for r in skipped] == [flagged.pk]
    clean.refresh_from_db()
    flagged.refresh_from_db()
    assert (clean.status, flagged.status) == (ReportStatus.ACCEPTED, ReportStatus.SUBMITTED)


def test_the_gallery_hides_gps_from_roles_that_need_not_see_it(projects, oscar, ian) -> None:
    plant = projects["plant"]
    set_location(plant, *SITE, actor=oscar)
    photo = add_photo(plant, _upload(lat=SITE[0], lon=SITE[1], taken=dt.datetime(2023, 3, 2)), actor=oscar)
    url = reverse("field-photos") + f"?project={plant.pk}"
    assert 'class="muted gps"' in client_for(oscar).get(url).content.decode()
    page = client_for(ian).get(url)  # the lead unit sees the photo, not where it was taken
    assert page.status_code == 200 and f'data-photo="{photo.pk}"' in page.content.decode()
    assert 'class="muted gps"' not in page.content.decode()


def test_the_served_file_is_the_re_encoded_one(projects, oscar, otto) -> None:
    blob = sample_jpeg(lat=SITE[0], lon=SITE[1], taken=dt.datetime(2023, 3, 2))
    photo = add_photo(projects["plant"], SimpleUploadedFile("p.jpg", blob, "image/jpeg"), actor=oscar)
    response = client_for(oscar).get(reverse("field-photo-file", args=[photo.pk, "full"]))
    served = response.getvalue()
    assert response["Content-Type"] == "image/jpeg" and served != blob
    assert not Image.open(io.BytesIO(served)).getexif()
    assert client_for(otto).get(reverse("field-photo-file", args=[photo.pk, "thumb"])).status_code == 404
    assert ProgressPhoto.objects.count() == 1

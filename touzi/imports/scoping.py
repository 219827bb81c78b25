"""Import batches are their uploader's own rows (listed by `uploaded_by`), never through `scope`."""

from __future__ import annotations

from touzi.core import scoping
from touzi.imports.models import ImportBatch


def register() -> None:
    scoping.exempt(ImportBatch, "an uploader lists only their own batches (filtered by uploaded_by)")

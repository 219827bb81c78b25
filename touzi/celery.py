"""`celery -A touzi.celery worker` still works: the application itself is touzi.core.celery_app."""

from touzi.core.celery_app import app

__all__ = ["app"]

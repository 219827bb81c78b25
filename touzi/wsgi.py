"""WSGI entry point: `gunicorn touzi.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "touzi.settings")
application = get_wsgi_application()

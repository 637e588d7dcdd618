"""WSGI entry point for gunicorn (`accord serve`)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accord.config.settings")

application = get_wsgi_application()

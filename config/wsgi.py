import os

from django.core.wsgi import get_wsgi_application

from config.process import settle_after_start

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()
settle_after_start()

import os

from django.core.wsgi import get_wsgi_application

# A server started from this file is a deployment: production settings unless told otherwise.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
application = get_wsgi_application()

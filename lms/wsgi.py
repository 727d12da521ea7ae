import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.base")

application = get_wsgi_application()

from live.beacon import PresenceFastPath  # noqa: E402  (needs the apps loaded)
from playback.beacon import HeartbeatFastPath  # noqa: E402

application = PresenceFastPath(HeartbeatFastPath(application))

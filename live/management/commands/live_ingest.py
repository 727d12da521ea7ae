import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from live.streaming.ingest_server import ingest_server_prepare


class Command(BaseCommand):
    help = (
        "Write the RTMP ingest server's configuration into var/live/ and run nginx on it in "
        "the foreground (--check: only test the configuration)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=settings.LIVE_RTMP_PORT)
        parser.add_argument("--callback", default=settings.LIVE_CALLBACK_URL)
        parser.add_argument("--check", action="store_true")

    def handle(self, *args, port: int, callback: str, check: bool, **options):
        if not Path(settings.LIVE_NGINX_BINARY).exists():
            raise CommandError(
                f"{settings.LIVE_NGINX_BINARY} is missing: run scripts/install-system-packages.sh"
            )
        server = ingest_server_prepare(
            var_dir=Path(settings.VAR_DIR) / "live", port=port, callback_url=callback
        )
        command = [*server.command, "-t", "-q"] if check else server.command
        os.execv(command[0], command)

import signal
import time

from django.core.management.base import BaseCommand, CommandError

from playback.services.heartbeat_buffer import (
    buffer_pending,
    buffering_enabled,
    heartbeats_flush,
    heartbeats_flush_forever,
)


class Command(BaseCommand):
    help = "Write heartbeats buffered in Redis to the database (once, or --loop until stopped)."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="Keep flushing until stopped.")
        parser.add_argument(
            "--interval", type=float, default=0.5, help="Seconds to wait when the queue is empty."
        )

    def handle(self, *args, loop: bool, interval: float, **options):
        if not buffering_enabled():
            raise CommandError("Heartbeats are not buffered: set REDIS_URL.")
        if not loop:
            taken, deadline = 0, time.monotonic() + 60
            while buffer_pending() and time.monotonic() < deadline:
                flushed = heartbeats_flush()
                taken += flushed
                if not flushed:  # another flusher holds the queue: let it finish
                    time.sleep(0.2)
            self.stdout.write(f"{taken} heartbeats written, {buffer_pending()} waiting")
            return
        stopping = []
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stopping.append(True))
        heartbeats_flush_forever(interval=interval, stop=lambda: bool(stopping))

import signal
import time

from django.core.management.base import BaseCommand

from live.streaming.encoders import EncoderSupervisor


class Command(BaseCommand):
    help = "Start a live encoder for every accepted publish and close the replays of ended streams."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0)

    def handle(self, *args, interval: float, **options):
        stopping = []
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stopping.append(True))
        supervisor = EncoderSupervisor()
        while not stopping:
            supervisor.tick()
            time.sleep(interval)

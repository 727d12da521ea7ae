import time

from django.core.management import call_command
from django.core.management.base import BaseCommand

from lms.demo.accounts import (
    DEMO_PASSWORD,
    demo_accounts_seed,
    demo_completions_seed,
    demo_history_seed,
    demo_voucher_seed,
)
from lms.demo.catalog import demo_catalog_seed, demo_episode_lectures_link, demo_speakers_seed
from lms.demo.lectures import demo_lectures
from lms.demo.live import demo_sessions_seed
from playback.demo import demo_videos_seed
from playlists.demo import demo_curated_seed, demo_made_for_you_seed, demo_paths_seed


class Command(BaseCommand):
    help = "Create the demo accounts and demo catalog that are missing (safe to run again)."

    def handle(self, *args, **options):
        accounts = demo_accounts_seed()
        started = time.monotonic()
        videos = demo_videos_seed(lectures=demo_lectures())
        if videos:
            self.stdout.write(
                f"Demo lectures: {videos} new, rendered in {time.monotonic() - started:.0f} s; "
                "the worker transcodes them in the background."
            )
        else:
            self.stdout.write("Demo lectures: 0 new.")
        created = demo_catalog_seed()
        linked = demo_episode_lectures_link()
        self.stdout.write(f"Demo catalog: {created} new course(s).")
        if linked:
            self.stdout.write(f"Demo episodes given a lecture of their own: {linked}.")
        self.stdout.write(f"Demo courses given their speakers: {demo_speakers_seed()}.")
        self.stdout.write(
            f"Demo sessions of webinar and classroom courses: {demo_sessions_seed()}."
        )
        # Captions stored before search read what is said are made searchable once.
        call_command("spoken_lines_index", stdout=self.stdout)
        history = demo_history_seed()
        self.stdout.write(f"Demo viewing history: {history} new item(s).")
        completions = demo_completions_seed()
        self.stdout.write(f"Demo courses completed (points and certificate): {completions} new.")
        self.stdout.write(f"Demo learning paths: {demo_paths_seed()} new.")
        self.stdout.write(f"Demo curated learning paths: {demo_curated_seed()} new.")
        learners = [account.email for account in accounts if not account.editor]
        made = demo_made_for_you_seed(learners)
        self.stdout.write(f"Learning paths made for the demo learners: {made}.")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for account in accounts:
            self.stdout.write(f"  {account.email:<40} {account.role}")
        voucher = demo_voucher_seed()
        if voucher is not None:
            self.stdout.write(
                f"Demo voucher for the paid course “{voucher.course.title}”: {voucher.code}\n"
                f"  (sign in, open {voucher.course.url} and redeem it under “Toegang krijgen”)"
            )

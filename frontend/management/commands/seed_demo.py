from django.core.management.base import BaseCommand

from lms.demo.accounts import DEMO_PASSWORD, demo_accounts_seed, demo_history_seed
from lms.demo.catalog import demo_catalog_seed
from playback.demo import demo_videos_seed
from playlists.demo import demo_curated_seed, demo_made_for_you_seed, demo_paths_seed


class Command(BaseCommand):
    help = "Create the demo accounts and demo catalog that are missing (safe to run again)."

    def handle(self, *args, **options):
        accounts = demo_accounts_seed()
        videos = demo_videos_seed()
        self.stdout.write(f"Demo videos: {videos} new, queued for transcoding.")
        created = demo_catalog_seed()
        self.stdout.write(f"Demo catalog: {created} new course(s).")
        history = demo_history_seed()
        self.stdout.write(f"Demo viewing history: {history} new item(s).")
        self.stdout.write(f"Demo learning paths: {demo_paths_seed()} new.")
        self.stdout.write(f"Demo curated learning paths: {demo_curated_seed()} new.")
        learners = [account.email for account in accounts if not account.editor]
        made = demo_made_for_you_seed(learners)
        self.stdout.write(f"Learning paths made for the demo learners: {made}.")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for account in accounts:
            self.stdout.write(f"  {account.email:<40} {account.role}")

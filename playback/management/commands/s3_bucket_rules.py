from django.core.management.base import BaseCommand, CommandError

from playback.services.bucket_rules import (
    INCOMPLETE_UPLOAD_DAYS,
    NoBucket,
    bucket_rules_apply,
    bucket_rules_check,
)


class Command(BaseCommand):
    help = (
        "Check the media bucket's CORS rules (browser upload parts, hls.js playback from the "
        "site's origins) and its lifecycle rule (abort incomplete multipart uploads after "
        f"{INCOMPLETE_UPLOAD_DAYS} day); with --apply, set them, keeping every other rule."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--apply", action="store_true", help="Set the rules that are missing or differ."
        )

    def handle(self, *args, apply: bool, **options):
        try:
            report = bucket_rules_apply() if apply else bucket_rules_check()
        except NoBucket as missing:
            raise CommandError(
                "AWS_STORAGE_BUCKET_NAME is not set: media live on local disk and there is no "
                "bucket to check."
            ) from missing
        self.stdout.write(f"Bucket {report.bucket}, site origins: {', '.join(report.origins)}")
        if report.ok:
            self.stdout.write("CORS and lifecycle rules are as the site needs them.")
            return
        for problem in report.problems:
            self.stdout.write(f"- {problem}")
        hint = "" if apply else " Run again with --apply to set them."
        raise CommandError(f"{len(report.problems)} rule(s) not as needed.{hint}")

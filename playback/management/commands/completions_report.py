from argparse import ArgumentTypeError
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from playback.services.completion import course_completions_report_again


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise ArgumentTypeError(f"not a date: {value!r}; use YYYY-MM-DD, e.g. 2026-01-31") from exc


class Command(BaseCommand):
    help = (
        "Report stored course completions to accreditation again (points and certificates are "
        "awarded once however often a completion is reported)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--since", type=_day, help="Only completions on or after this day (YYYY-MM-DD)."
        )

    def handle(self, *args, since: date | None, **options):
        result = course_completions_report_again(since=since)
        self.stdout.write(f"{result.reported} completion(s) reported to accreditation.")
        if result.failed:
            raise CommandError(
                f"{len(result.failed)} report(s) failed (completion ids "
                f"{', '.join(map(str, result.failed))}); see the log, then run this again."
            )

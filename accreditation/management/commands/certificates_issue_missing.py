from django.core.management.base import BaseCommand

from accreditation.certificates.backfill import certificates_issue_missing


class Command(BaseCommand):
    help = (
        "Issue the certificates of courses completed before certificates existed: one per "
        "learner and course with an award that stands and no certificate (safe to run again)."
    )

    def handle(self, *args, **options):
        result = certificates_issue_missing()
        self.stdout.write(f"Certificates issued: {result.issued}.")
        self.stdout.write(
            f"Waiting for the learner's name: {result.waiting_for_name} "
            "(issued when they give it in their profile, or by running this again then)."
        )

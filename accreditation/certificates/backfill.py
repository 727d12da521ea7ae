"""Certificates for courses completed before certificates existed."""

from dataclasses import dataclass
from datetime import datetime, time

from django.db.models import Exists, Min, OuterRef
from django.utils import timezone

from ..models import Certificate, LedgerEntry
from .services import certificate_issue

# An award keeps the day, not the hour, of the completion: the certificate says that day.
COMPLETION_TIME_OF_DAY = time(12, 0)


@dataclass(frozen=True)
class MissingCertificates:
    issued: int
    waiting_for_name: int


def certificates_issue_missing(*, user_id: int | None = None) -> MissingCertificates:
    """A certificate for every learner (or this one) and course with an award that stands and
    no certificate at all, whether the course was completed or a session of it attended; one
    revoked by staff is not issued again. Safe to run again: what exists is left alone, and
    learners without a name are counted and skipped until they give it."""
    certified = Certificate.objects.filter(
        user_id=OuterRef("user_id"), course_id=OuterRef("course_id")
    )
    completions = (
        LedgerEntry.objects.filter(
            kind=LedgerEntry.Kind.AWARD, course_id__isnull=False, reversed_by__isnull=True
        )
        .exclude(Exists(certified))
        .filter(**({} if user_id is None else {"user_id": user_id}))
        .values("user_id", "course_id")
        .annotate(earned_on=Min("earned_on"))
        .order_by("user_id", "course_id")
    )
    issued = waiting = 0
    for completion in completions.iterator(chunk_size=500):
        completed_at = timezone.make_aware(
            datetime.combine(completion["earned_on"], COMPLETION_TIME_OF_DAY)
        )
        certificate = certificate_issue(
            user_id=completion["user_id"],
            course_id=completion["course_id"],
            completed_at=completed_at,
        )
        if certificate is None:
            waiting += 1
        else:
            issued += 1
    return MissingCertificates(issued=issued, waiting_for_name=waiting)


def certificates_on_learner_named(sender, *, user_id: int, **kwargs) -> None:
    """Certificates wait for the learner's name (they are made out to it); once it is given,
    every one they have points for is issued."""
    certificates_issue_missing(user_id=user_id)

"""What other apps may ask of live sessions: a course's sessions with the learner's place (for
the course page), the learner's registrations (for the dashboard). The live stream (ingest,
player) builds on the session model and the presence services here."""

from datetime import datetime

from .selectors import LearnerOutcome as LearnerOutcome
from .selectors import MyRegistration as MyRegistration
from .selectors import SessionOffer as SessionOffer
from .selectors import course_sessions_offered, registrations_of

__all__ = [
    "LearnerOutcome",
    "MyRegistration",
    "SessionOffer",
    "course_sessions",
    "learner_registrations",
]


def course_sessions(*, course_id: int, user, now: datetime | None = None) -> list[SessionOffer]:
    """A course's sessions to come, and any the learner took part in, with their place."""
    return course_sessions_offered(course_id=course_id, user=user, now=now)


def learner_registrations(*, user, now: datetime | None = None) -> list[MyRegistration]:
    """The learner's registrations: coming ones first, then the past months' with their
    outcome and points."""
    if not user.is_authenticated:
        return []
    return registrations_of(user=user, now=now)

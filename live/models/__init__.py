from .presence import Attendance, PresenceCheck, PresenceCheckAnswer
from .questions import Question, QuestionVote
from .registrations import ProviderReferral, SessionRegistration
from .rules import PresenceRule
from .sessions import LiveSession
from .streaming import LiveStream

__all__ = [
    "Attendance",
    "LiveSession",
    "LiveStream",
    "PresenceCheck",
    "PresenceCheckAnswer",
    "PresenceRule",
    "ProviderReferral",
    "Question",
    "QuestionVote",
    "SessionRegistration",
]

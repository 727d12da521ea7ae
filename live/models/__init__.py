from .presence import Attendance, PresenceCheck, PresenceCheckAnswer
from .registrations import ProviderReferral, SessionRegistration
from .rules import PresenceRule
from .sessions import LiveSession

__all__ = [
    "Attendance",
    "LiveSession",
    "PresenceCheck",
    "PresenceCheckAnswer",
    "PresenceRule",
    "ProviderReferral",
    "SessionRegistration",
]

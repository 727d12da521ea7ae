from .access import Enrolment, Voucher
from .assessment import TestAttempt
from .captions import Caption
from .completion import CourseCompletion
from .parts import TranscodePart
from .preferences import PlaybackPreference
from .progress import PlaybackSession, ViewingProgress
from .uploads import UploadSession
from .video import Rendition, Video

__all__ = [
    "Caption",
    "CourseCompletion",
    "Enrolment",
    "PlaybackPreference",
    "PlaybackSession",
    "Rendition",
    "TestAttempt",
    "TranscodePart",
    "UploadSession",
    "Video",
    "ViewingProgress",
    "Voucher",
]

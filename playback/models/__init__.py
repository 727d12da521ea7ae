from .access import Enrolment, Voucher
from .captions import Caption
from .parts import TranscodePart
from .progress import PlaybackSession, ViewingProgress
from .uploads import UploadSession
from .video import Rendition, Video

__all__ = [
    "Caption",
    "Enrolment",
    "PlaybackSession",
    "Rendition",
    "TranscodePart",
    "UploadSession",
    "Video",
    "ViewingProgress",
    "Voucher",
]

from .captions import Caption
from .parts import TranscodePart
from .progress import ViewingProgress
from .uploads import UploadSession
from .video import Rendition, Video

__all__ = ["Caption", "Rendition", "TranscodePart", "UploadSession", "Video", "ViewingProgress"]

from .captions import Caption
from .uploads import UploadSession
from .video import Rendition, Video

__all__ = ["Caption", "Rendition", "UploadSession", "Video"]

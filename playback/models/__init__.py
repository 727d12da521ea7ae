from .uploads import UploadSession
from .video import Rendition, Video

__all__ = ["Rendition", "UploadSession", "Video"]

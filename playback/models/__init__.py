from .video import Rendition, Video

__all__ = ["Rendition", "Video"]

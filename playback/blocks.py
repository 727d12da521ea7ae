"""StreamField blocks the playback app provides to pages."""

from .viewsets import VideoChooserBlock

__all__ = ["VideoChooserBlock"]

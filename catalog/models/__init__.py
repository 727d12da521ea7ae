from .pages import (
    CoursePage,
    EpisodeAttachment,
    EpisodeChapter,
    EpisodePage,
    EpisodeQuestion,
    HomePage,
)
from .snippets import Competency, Profession, Provider, Sponsor, Topic

__all__ = [
    "Competency",
    "CoursePage",
    "EpisodeAttachment",
    "EpisodeChapter",
    "EpisodePage",
    "EpisodeQuestion",
    "HomePage",
    "Profession",
    "Provider",
    "Sponsor",
    "Topic",
]

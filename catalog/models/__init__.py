from .episode_parts import EpisodeAttachment, EpisodeChapter, EpisodeQuestion
from .featured import FeaturedCollection, FeaturedCollectionItem
from .pages import CoursePage, EpisodePage, HomePage
from .search import CourseSearchDocument, SearchWord
from .snippets import Competency, Profession, Provider, Sponsor, Topic

__all__ = [
    "Competency",
    "CoursePage",
    "CourseSearchDocument",
    "EpisodeAttachment",
    "EpisodeChapter",
    "EpisodePage",
    "EpisodeQuestion",
    "FeaturedCollection",
    "FeaturedCollectionItem",
    "HomePage",
    "Profession",
    "Provider",
    "SearchWord",
    "Sponsor",
    "Topic",
]

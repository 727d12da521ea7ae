from .course_parts import CourseSpeaker
from .episode_parts import EpisodeAttachment, EpisodeChapter, EpisodeQuestion
from .featured import FeaturedCollection, FeaturedCollectionItem
from .pages import CoursePage, EpisodePage, HomePage
from .search import CourseSearchDocument, SearchWord, SpokenLine
from .snippets import Competency, Profession, Provider, Speaker, Sponsor, Topic

__all__ = [
    "Competency",
    "CoursePage",
    "CourseSearchDocument",
    "CourseSpeaker",
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
    "Speaker",
    "SpokenLine",
    "Sponsor",
    "Topic",
]

from .pages import CoursePage, HomePage
from .snippets import Profession

__all__ = ["CoursePage", "HomePage", "Profession"]

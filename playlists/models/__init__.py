from .paths import LearningPath, PathItem

__all__ = ["LearningPath", "PathItem"]

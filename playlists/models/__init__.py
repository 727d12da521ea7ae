from .paths import LearningPath, PathCollaborator, PathFollow, PathInvite, PathItem

__all__ = ["LearningPath", "PathCollaborator", "PathFollow", "PathInvite", "PathItem"]

from .curated import CuratedPath, CuratedPathFollow
from .paths import (
    LearningPath,
    PathCollaborator,
    PathFollow,
    PathInvite,
    PathItem,
    PathPlay,
)

__all__ = [
    "CuratedPath",
    "CuratedPathFollow",
    "LearningPath",
    "PathCollaborator",
    "PathFollow",
    "PathInvite",
    "PathItem",
    "PathPlay",
]

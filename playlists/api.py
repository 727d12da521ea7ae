"""What other apps may ask of the learning paths."""

from .curated import CuratedTile, curated_tiles


def curated_paths_featured() -> list[CuratedTile]:
    """The editors' published learning paths to show on the home page, in their order."""
    return curated_tiles(featured_only=True)


__all__ = ["CuratedTile", "curated_paths_featured"]

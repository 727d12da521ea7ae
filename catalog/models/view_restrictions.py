"""View restrictions of pages learners open a lot, looked up in the cache."""

from wagtail.models import PageViewRestriction

from ..generation import cached_read, page_cache_enabled


class CachedViewRestrictions:
    """Page types learners open a lot look their view restrictions up in the cache: most pages
    have none, and then no query is made at all. A page remembered with its route
    (``catalog/routing.py``) carries them."""

    def get_view_restrictions(self):
        if not page_cache_enabled():
            return super().get_view_restrictions()
        return PageViewRestriction.objects.filter(page_id__in=self.restricting_page_ids())

    def restricting_page_ids(self) -> list[int]:
        """This page and those of its ancestors that carry a view restriction."""
        if not hasattr(self, "_restricting_page_ids"):
            self._restricting_page_ids = cached_read(
                "restricted",
                str(self.pk),
                lambda: list(
                    super(CachedViewRestrictions, self)
                    .get_view_restrictions()
                    .values_list("page_id", flat=True)
                ),
            )
        return self._restricting_page_ids

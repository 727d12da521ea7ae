from django.contrib.postgres.search import SearchVectorField
from django.db import models


class CourseSearchDocument(models.Model):
    """What learners' search matches for one course: its own text and its episodes'.

    Written by ``catalog.search_index`` whenever a course or one of its episodes is published or
    unpublished. On PostgreSQL ``vector`` holds the weighted Dutch full-text vector (GIN-indexed);
    elsewhere the two text columns are searched by substring."""

    course = models.OneToOneField(
        "catalog.CoursePage",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="search_document",
    )
    keywords = models.TextField(blank=True, default="")
    text = models.TextField(blank=True, default="")
    vector = SearchVectorField(null=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"search document of course {self.course_id}"

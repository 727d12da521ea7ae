from django.contrib.postgres.search import SearchVectorField
from django.db import models


class CourseSearchDocument(models.Model):
    """What learners' search matches for one course: its own text and its episodes'.

    Written by ``catalog.search_index`` whenever a course or one of its episodes is published or
    unpublished. On PostgreSQL ``vector`` holds the weighted Dutch full-text vector with accents
    removed (GIN-indexed); elsewhere ``folded``, the two text columns in lower case without
    accents (``catalog.search_text.text_fold``), is searched by substring."""

    course = models.OneToOneField(
        "catalog.CoursePage",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="search_document",
    )
    keywords = models.TextField(blank=True, default="")
    text = models.TextField(blank=True, default="")
    folded = models.TextField(blank=True, default="")
    vector = SearchVectorField(null=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"search document of course {self.course_id}"


class SearchWord(models.Model):
    """A word of some course's search document, folded ("patienten"): what a misspelt search
    word is compared with to suggest "Did you mean …?". Written with the documents and never
    pruned; a suggestion is offered only when it finds courses."""

    word = models.CharField(max_length=40, primary_key=True)

    def __str__(self) -> str:
        return self.word

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


class SpokenLine(models.Model):
    """One caption cue of a video: what is said from ``start`` (seconds), so a search finds
    the moment in an episode where a word is spoken.

    Written by ``catalog.spoken`` whenever a video's captions are saved (playback tells the
    catalog through ``catalog.api.video_spoken_lines_replace``). On PostgreSQL ``vector`` holds
    the accent-free Dutch full-text vector (GIN-indexed); elsewhere ``folded`` is searched by
    substring, as the course search documents are."""

    video = models.ForeignKey(
        "playback.Video", on_delete=models.CASCADE, related_name="spoken_lines"
    )
    language = models.CharField(max_length=10)
    start = models.FloatField()
    text = models.TextField()
    folded = models.TextField(blank=True, default="")
    vector = SearchVectorField(null=True)

    class Meta:
        indexes = [models.Index(fields=["video", "start"], name="spoken_line_video_start")]

    def __str__(self) -> str:
        return f"line of video {self.video_id} at {self.start:.1f} s"

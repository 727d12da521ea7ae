"""What a page shows of each learner, pulled into its template the way ``{% image %}`` pulls a
rendition: the catalog's pages know nothing of the apps above them, and this, the site, puts
the home page's rows and paths and the episode page's player, end test and path together."""

from dataclasses import dataclass

from django import template
from django.urls import reverse
from django.utils import timezone

from accreditation import api as accreditation_api
from catalog import api as catalog_api
from catalog.api import NextEpisode
from discovery import api as discovery_api
from playback import api as playback_api
from playlists import api as playlists_api

register = template.Library()


@register.simple_tag(takes_context=True)
def home_rows(context):
    """The home page's hero and rows for the learner looking."""
    return discovery_api.home_rows_for(request=context["request"])


@register.simple_tag
def curated_paths_featured():
    return playlists_api.curated_paths_featured()


@register.simple_tag(takes_context=True)
def episode_path_id(context) -> int | None:
    """The learning path this episode is played in ("play all"), if any."""
    return playlists_api.path_id_from(context["request"])


@register.simple_tag(takes_context=True)
def episode_player(context, episode, facts, path_id=None):
    """The player for an episode page: the next episode is the course's, or during "play all"
    the path's."""
    request = context["request"]
    next_episode = facts.next_in_course
    if path_id is not None and request.user.is_authenticated:
        following = playlists_api.path_next_episode(
            user=request.user, path_id=path_id, episode_id=episode.pk, request=request
        )
        next_episode = NextEpisode(following.url, following.title) if following else None
    return playback_api.player_for(
        user=request.user,
        episode_id=episode.pk,
        course_id=facts.course.id,
        video_id=episode.video_id,
        free=facts.course.free,
        chapters=list(facts.chapters),
        next_episode=next_episode,
        requested_start=request.GET.get("t"),
    )


@register.simple_tag(takes_context=True)
def episode_course_list(context, facts):
    """The course's episodes for the list beside the player, each with how far the learner
    looking got with it (None: not started)."""
    user = context["request"].user
    ids = [episode.id for episode in facts.episodes]
    watched = (
        playback_api.episodes_watched(user_id=user.pk, episode_ids=ids)
        if user.is_authenticated and len(ids) > 1
        else {}
    )
    return [(episode, watched.get(episode.id)) for episode in facts.episodes]


@register.simple_tag(takes_context=True)
def episode_test_summary(context, episode, facts):
    """The learner's standing on the episode's end test; None when it has none."""
    if not facts.has_end_test:
        return None
    return playback_api.episode_test_summary(user=context["request"].user, episode_id=episode.pk)


@register.simple_tag(takes_context=True)
def course_episodes(context, course):
    """The course's live episodes, with how far the learner looking got with each."""
    user = context["request"].user
    return discovery_api.course_episodes(course=course, user_id=user.pk or None)


@register.simple_tag(takes_context=True)
def course_page_view(context, course):
    """The learner's part of a course page: episodes and progress, the play button, what
    completion takes, their points, access to a paid course, their completion."""
    return discovery_api.course_page_view(course=course, request=context["request"])


@register.simple_tag
def course_speakers(course):
    return discovery_api.course_speakers(course=course)


@register.simple_tag(takes_context=True)
def course_related(context, course_id, limit=4):
    """Courses like this one, as cards."""
    return discovery_api.course_related_cards(
        course_id=course_id, request=context["request"], limit=limit
    )


@dataclass(frozen=True)
class WatchNext:
    title: str
    url: str
    path_title: str = ""  # set when it comes next in one of the learner's learning paths


@register.simple_tag(takes_context=True)
def course_watch_next(context, course_id) -> WatchNext | None:
    """After a completed course: what comes next in the learner's learning path, else the
    course most like it."""
    request = context["request"]
    following = playlists_api.path_next_after_course(
        user_id=request.user.pk, course_id=course_id, request=request
    )
    if following is not None:
        return WatchNext(following.item.title, following.item.url, following.path_title)
    related = discovery_api.course_related_cards(course_id=course_id, request=request, limit=1)
    return WatchNext(related[0].title, related[0].url) if related else None


@register.simple_tag(takes_context=True)
def episode_completion_url(context, facts) -> str:
    """Where the player asks, when an episode ends, whether that completed the course; for
    signed-in learners ("" otherwise: nothing to ask). No query: the page costs what it did."""
    if not context["request"].user.is_authenticated:
        return ""
    return reverse("discovery:course_complete", args=[facts.course.id])


@register.simple_tag(takes_context=True)
def episode_course_completion(context, episode_id):
    """The completion of the episode's course by the learner looking, with what it earned
    them; None while it is not complete."""
    course_id = catalog_api.episode_courses([episode_id]).get(episode_id)
    if course_id is None:
        return None
    return discovery_api.course_completion(course_id=course_id, request=context["request"])


@register.simple_tag
def course_accreditations(course):
    """The course's accreditations valid today, per register."""
    return accreditation_api.course_accreditation_lines(
        course_id=course.pk, on=timezone.localdate()
    )


@register.simple_tag(takes_context=True)
def accreditation_path_url(context):
    """The learner's "Complete your accreditation" path, made for them every night; None while
    it is not made yet or empty."""
    return playlists_api.made_for_you_path_url(
        user_id=context["request"].user.pk, generator=playlists_api.ACCREDITATION_PATH_GENERATOR
    )

"""Courses learners can finish: an on-demand course is published only when every required
episode has a ready video, and live courses that lost one are flagged to editors."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from catalog import api as catalog_api

from ..models import Video


@dataclass(frozen=True)
class Unfinishable:
    course_id: int
    course_title: str
    reasons: tuple[str, ...]


def _reason(required: catalog_api.RequiredVideo, states: dict[int, str]) -> str | None:
    if required.episode_id is None:
        return _("The course has no published episode yet.")
    if required.video_id is None:
        return _("The required episode “%(episode)s” has no video.") % {
            "episode": required.episode_title
        }
    state = states.get(required.video_id)
    if state == Video.State.READY:
        return None
    if state in (Video.State.FAILED, Video.State.REJECTED, None):
        return _(
            "The video of the required episode “%(episode)s” could not be made ready: upload it "
            "again or choose another."
        ) % {"episode": required.episode_title}
    return _("The video of the required episode “%(episode)s” is not ready yet (%(state)s).") % {
        "episode": required.episode_title,
        "state": Video.State(state).label,
    }


def _unfinishable(rows: list[catalog_api.RequiredVideo]) -> list[Unfinishable]:
    video_ids = {row.video_id for row in rows if row.video_id}
    states = dict(Video.objects.filter(pk__in=video_ids).values_list("pk", "state"))
    reasons: dict[int, list[str]] = {}
    titles: dict[int, str] = {}
    for row in rows:
        reason = _reason(row, states)
        if reason:
            reasons.setdefault(row.course_id, []).append(reason)
            titles[row.course_id] = row.course_title
    return [Unfinishable(pk, titles[pk], tuple(found)) for pk, found in reasons.items()]


def page_publish_blockers(*, page) -> list[str]:
    """Why publishing this page would leave learners a course they cannot finish (none: fine)."""
    found = _unfinishable(catalog_api.required_videos_to_publish(page=page))
    return [reason for course in found for reason in course.reasons]


def courses_unfinishable() -> list[Unfinishable]:
    """Live on-demand courses a learner cannot finish today, with the reasons."""
    return _unfinishable(catalog_api.required_videos_of_live_courses())
